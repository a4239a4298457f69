// No orphans (DECISIONS, "Processes and distributed"): every child process runs a watchdog in a
// worker thread that kills the child as soon as its parent is gone. A worker keeps watching while
// the child's main thread is blocked (a training step, a synchronous collective), where an
// event-loop timer or the IPC 'disconnect' event would never fire.
import { Worker } from "node:worker_threads";

/** The environment variable through which a launcher tells its child the pid to watch. */
export const parentPidEnv = "PYSTEMATIC_PARENT_PID";

const pollMilliseconds = 200;

// Plain CommonJS so the worker needs no loader (tsx or not) and starts in a few milliseconds.
// When the parent dies the child is re-parented (to init or a subreaper), so its ppid changes.
const watchdogSource = `
const { workerData } = require("node:worker_threads");
const { rmSync } = require("node:fs");
const check = () => {
  if (process.ppid === workerData.parentPid) return;
  if (workerData.removeOnParentExit) rmSync(workerData.removeOnParentExit, { recursive: true, force: true });
  process.kill(workerData.pid, "SIGKILL");
};
check();
setInterval(check, workerData.pollMilliseconds);
`;

let started = false;

export interface WatchdogOptions {
  /** The pid to watch. Default: the one the launcher put in `PYSTEMATIC_PARENT_PID`. */
  parentPid?: number;
  /** A folder the parent would have removed (launch files), removed before dying instead. */
  removeOnParentExit?: string;
}

/**
 * Starts the watchdog that kills this process when its parent is gone. Does nothing when there is
 * no parent to watch or it already runs.
 */
export function startParentWatchdog(options: WatchdogOptions = {}): void {
  const parentPid = options.parentPid ?? Number(process.env[parentPidEnv]);
  if (started || !Number.isInteger(parentPid) || parentPid <= 0) return;
  started = true;
  const worker = new Worker(watchdogSource, {
    eval: true,
    workerData: { parentPid, pid: process.pid, pollMilliseconds, removeOnParentExit: options.removeOnParentExit ?? null },
    // The watchdog must not hold stdio or keep the child alive once its work is done.
    stdout: true,
    stderr: true,
  });
  worker.unref();
}
