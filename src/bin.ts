#!/usr/bin/env node
// The `pystematic` command: `pystematic <file.ts|file.js> [group ...] <experiment> [options]`, or
// `pystematic board [dirs ...]` (a first argument of exactly `board`: scripts have an extension).
// Imports the file with its own entry points (globalEntrypoint(), cli(), run()) turned off, then
// runs the CLI of every experiment it defined. TypeScript files load through tsx: no build step.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const USAGE = "Usage: pystematic <file.ts|file.js> [group ...] <experiment> [options]";

async function main(): Promise<void> {
  const [file, ...rest] = process.argv.slice(2);
  if (file === "board") {
    const { boardCommand } = await import("./board/cli.js");
    await boardCommand(rest);
    return;
  }
  if (file === "-h" || file === "--help") {
    process.stdout.write(`${USAGE}\n\nWith only a file, lists the experiments it defines.\n` +
        `\n       pystematic board [dirs ...] [--port 6006] [--host 127.0.0.1]\n\nShows the runs under dirs (default ./output) in a browser.\n`);
    return;
  }
  if (file === undefined || file.startsWith("-")) {
    process.stderr.write(`Error: ${file === undefined ? "No script given." : `Unknown option '${file}'.`}\n${USAGE}\n`);
    process.exit(2);
  }
  const script = resolve(file);
  if (!existsSync(script)) {
    process.stderr.write(`Error: Cannot find script '${file}'.\n${USAGE}\n`);
    process.exit(2);
  }
  const commonJs = commonJsReason(script);
  if (commonJs !== null) {
    process.stderr.write(
      `Error: '${file}' would load as CommonJS (${commonJs}), and pystematic scripts are ES modules.\n` +
        `Give it a package.json with "type": "module" (or add that field), or name the script .mts (.mjs).\n`,
    );
    process.exit(2);
  }
  if (/\.[mc]?tsx?$/.test(script)) {
    const { register } = await import("tsx/esm/api");
    register();
  }
  const core = await import("./core/index.js");
  // The script sees itself as the program, as if run directly.
  process.argv = [process.argv[0]!, script, ...rest];
  core.setProgramName(`pystematic ${file}`);
  core.setEntrypointsSuppressed(true);
  try {
    await import(pathToFileURL(script).href);
  } finally {
    core.setEntrypointsSuppressed(false);
  }
  if (core.topLevelEntries().length === 0) {
    // Also the symptom of a script importing another copy of pystematic than this command's.
    process.stderr.write(`Error: '${file}' defines no experiments (does it import the same pystematic installation as this command?).\n`);
    process.exit(2);
  }
  await core.globalEntrypoint(rest);
}

/**
 * Why Node (and tsx) would treat `script` as CommonJS, or null when it loads as an ES module: a
 * .ts/.js file is CommonJS unless its nearest package.json says "type": "module".
 */
function commonJsReason(script: string): string | null {
  if (/\.(mts|mjs)$/.test(script)) return null;
  if (/\.(cts|cjs)$/.test(script)) return "its extension says so";
  for (let dir = dirname(script); ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { type?: string }).type === "module") return null;
      } catch {
        return `${pkg} cannot be read`;
      }
      return `${pkg} has no "type": "module"`;
    }
    if (dirname(dir) === dir) return "no package.json above it";
  }
}

await main();
