// Runs: the standard plugin (registered on import), run directories, logging, seeds, sweeps and
// subprocesses. Spec sections 3 and 7.
import "./standard-plugin.js";

export { standardPlugin } from "./standard-plugin.js";
export { outputDir, params, paramsFile, currentExperiment, context } from "./run-state.js";
export { getLogger, type Logger, type LogLevel } from "./logging.js";
export { newSeed, getMasterRngState, setMasterRngState, type MasterRngState } from "./seed.js";
export { paramMatrix } from "./param-matrix.js";
export { runParameterSweep, type SweepOptions, type SweepRunResult } from "./sweep.js";
export { launchSubprocess, isSubprocess, localRank } from "./subprocess.js";
export type { ChildProcessHandle } from "./launch.js";
