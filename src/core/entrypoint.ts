// Script entry points: `globalEntrypoint()` (every experiment and group of the script) and the
// seeds-era `runExperiment(exp, params)`.

import type { CliOptions, ExperimentDefinition, RunParams } from "./experiment.js";
import { entrypointsSuppressed } from "./entry-state.js";
import { topLevelEntries } from "./registry.js";

let programName: string | null = null;

/** Sets the program name shown in usage lines (the bin sets `pystematic <file>`). */
export function setProgramName(name: string | null): void {
  programName = name;
}

/** The program name: set by the bin, else the script's file name. */
export function getProgramName(): string {
  if (programName !== null) return programName;
  const script = process.argv[1] ?? "script";
  return script.split(/[\\/]/).pop() ?? script;
}

/**
 * The CLI of every experiment and group defined so far: with no arguments it lists them;
 * `<script> [group ...] <experiment> [options]` runs one. An exception from main is printed with
 * its stack and exits 1 (with `exitOnError: false` it is rethrown).
 */
export async function globalEntrypoint(argv?: readonly string[], options: CliOptions = {}): Promise<void> {
  if (entrypointsSuppressed()) return;
  const { entriesCli } = await import("./cli.js");
  try {
    await entriesCli(topLevelEntries(), argv ?? process.argv.slice(2), options, null);
  } catch (e) {
    if (options.exitOnError === false) throw e;
    const { reportCrash } = await import("./cli.js");
    reportCrash(e);
  }
}

/** Runs an experiment with these values (the seeds' `run_experiment`); same as `exp.run(params)`. */
export function runExperiment<P>(exp: ExperimentDefinition<P>, params: RunParams<P> = {}): Promise<void> {
  return exp.run(params);
}
