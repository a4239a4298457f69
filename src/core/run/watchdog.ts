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
const check = () => {
  if (process.ppid !== workerData.parentPid) process.kill(workerData.pid, "SIGKILL");
};
check();
setInterval(check, workerData.pollMilliseconds);
`;

let started = false;

/**
 * Starts the watchdog for `parentPid` (by default the one the launcher put in
 * `PYSTEMATIC_PARENT_PID`). Does nothing when there is no parent to watch or it already runs.
 */
export function startParentWatchdog(parentPid: number = Number(process.env[parentPidEnv])): void {
  if (started || !Number.isInteger(parentPid) || parentPid <= 0) return;
  started = true;
  const worker = new Worker(watchdogSource, {
    eval: true,
    workerData: { parentPid, pid: process.pid, pollMilliseconds },
    // The watchdog must not hold stdio or keep the child alive once its work is done.
    stdout: true,
    stderr: true,
  });
  worker.unref();
}
