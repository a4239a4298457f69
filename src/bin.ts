#!/usr/bin/env node
// The `pystematic` command: `pystematic <file.ts|file.js> [group ...] <experiment> [options]`.
// Imports the file with its own entry points (globalEntrypoint(), cli(), run()) turned off, then
// runs the CLI of every experiment it defined. TypeScript files load through tsx: no build step.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const USAGE = "Usage: pystematic <file.ts|file.js> [group ...] <experiment> [options]";

async function main(): Promise<void> {
  const [file, ...rest] = process.argv.slice(2);
  if (file === "-h" || file === "--help") {
    process.stdout.write(`${USAGE}\n\nWith only a file, lists the experiments it defines.\n`);
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

await main();
