// Spec 3.8: `launchSubprocess`, `isSubprocess`, `localRank`. The caller is local rank 0 and runs
// main itself; each subprocess runs the same experiment with the caller's parameters plus
// overrides, the next local rank and the caller's run directory.
import { getLogger, setLogRank } from "./logging.js";
import { launchExperimentChild, type ChildProcessHandle } from "./launch.js";
import { requireActiveRun } from "./run-state.js";

/**
 * Starts the running experiment again in a new process, with this run's parameters overlaid by
 * `overrides` (camelCase keys). The subprocess logs to `log.rank-<n>.txt` in this run's directory.
 * Subprocesses still running when this run ends are stopped.
 */
export function launchSubprocess(overrides: Readonly<Record<string, unknown>> = {}): ChildProcessHandle {
  const run = requireActiveRun("launchSubprocess()");
  if (run.isSubprocess) throw new Error("A subprocess cannot launch further subprocesses.");
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
    throw new TypeError("launchSubprocess(overrides) expects an object of parameter values.");
  }
  const unknown = Object.keys(overrides).filter((key) => !(key in run.params));
  if (unknown.length > 0) {
    throw new Error(`launchSubprocess(): unknown parameter${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `'${k}'`).join(", ")}.`);
  }
  const localRank = run.subprocessCount + 1;
  // The parent's values are already resolved: the params file is not read again.
  const params = { ...run.params, ...overrides, paramsFile: null, subprocess: run.paramsFile, localRank };
  run.subprocessCount = localRank;
  // As the original: the parent's records carry [RANK 0] from its first launch on.
  setLogRank(run.localRank);
  getLogger("pystematic.standard").debug(`Launching subprocess with local rank ${localRank} and overrides ${JSON.stringify(overrides)}.`);
  const child = launchExperimentChild({ experiment: run.experiment, params, runDir: run.outputDir, localRank });
  run.children.add(child);
  void child.wait().then(() => run.children.delete(child));
  return child;
}

/** True in a process started by `launchSubprocess`. */
export function isSubprocess(): boolean {
  return requireActiveRun("isSubprocess()").isSubprocess;
}

/** This process's local rank: 0 in the process the user started, 1, 2, ... in its subprocesses. */
export function localRank(): number {
  return requireActiveRun("localRank()").localRank;
}
