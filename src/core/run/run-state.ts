// The run in progress as the standard plugin set it up, and the module-level accessors of the
// original (`pystematic.output_dir`, `params`, `params_file`, `current_experiment`, `context`).
import type { ExperimentDefinition } from "../experiment.js";
import type { LaunchedChild } from "./launch.js";

export interface ActiveRun {
  readonly experiment: ExperimentDefinition;
  readonly params: Readonly<Record<string, unknown>>;
  readonly outputDir: string;
  /** This run's parameters.yaml (a subprocess: its parent's). */
  readonly paramsFile: string;
  readonly localRank: number;
  readonly isSubprocess: boolean;
  /** The ctx handed to main (frozen once main starts). */
  readonly ctx: Readonly<Record<string, unknown>>;
  /** Subprocesses launched so far: the next one gets local rank `subprocessCount + 1`. */
  subprocessCount: number;
  /** Subprocesses still running, stopped when the run ends. */
  readonly children: Set<LaunchedChild>;
}

let active: ActiveRun | null = null;

export function setActiveRun(run: ActiveRun | null): void {
  active = run;
}

/** The run in progress, or a clear error naming what was called outside one. */
export function requireActiveRun(what: string): ActiveRun {
  if (active === null) throw new Error(`${what} can only be used while an experiment is running.`);
  return active;
}

export function getActiveRun(): ActiveRun | null {
  return active;
}

/** The absolute path of the current run's directory: write everything the run produces here. */
export function outputDir(): string {
  return requireActiveRun("outputDir()").outputDir;
}

/** The current run's parameters (camelCase keys). */
export function params(): Readonly<Record<string, unknown>> {
  return requireActiveRun("params()").params;
}

/** The current run's parameters.yaml (in a subprocess: its parent's). */
export function paramsFile(): string {
  return requireActiveRun("paramsFile()").paramsFile;
}

/** The experiment that is running. */
export function currentExperiment(): ExperimentDefinition {
  return requireActiveRun("currentExperiment()").experiment;
}

/** The current run's `ctx.context` (a `ContextObject`, added by `pystematic/torch`). */
export function context(): unknown {
  const run = requireActiveRun("context()");
  if (!("context" in run.ctx)) throw new Error("context() needs pystematic/torch: import it to get a per-run context.");
  return run.ctx.context;
}
