// Spec 3.2: every top-level run gets its own directory,
// `<output-dir>/<experiment-name>/<YYYY-MM-DD_HH-MM-SS>_<6 chars of 0-9a-z>`.
import { randomInt } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatLocalTime } from "./local-time.js";

const suffixAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

/** `<YYYY-MM-DD_HH-MM-SS>_<suffix>`: local time and 6 characters from a cryptographic RNG. */
export function runDirName(date: Date = new Date()): string {
  let suffix = "";
  for (let i = 0; i < 6; i++) suffix += suffixAlphabet[randomInt(suffixAlphabet.length)];
  return `${formatLocalTime(date, "_", "-")}_${suffix}`;
}

/** Creates a fresh run directory (never an existing one) and returns its absolute path. */
export function createRunDir(outputDir: string, experimentName: string, date: Date = new Date()): string {
  const parent = resolve(outputDir, experimentName);
  mkdirSync(parent, { recursive: true });
  for (;;) {
    const path = join(parent, runDirName(date));
    try {
      mkdirSync(path);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
