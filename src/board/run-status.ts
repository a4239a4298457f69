// A run's status (finished / failed / running / interrupted) and start time, from what is on disk:
// the end record the standard plugin writes to the run's log ("Experiment ended at ...", with
// "with an error" on failure), else the files' modification times.
import fs from "node:fs";
import path from "node:path";

export type RunStatus = "finished" | "failed" | "running" | "interrupted";

/** A run whose files changed within this many milliseconds is running. */
export const RUNNING_WINDOW_MS = 60_000;

const LOG_NAMES = ["log.txt", "log.launcher.node-0.txt"];
const END_RECORD = /\[pystematic\.standard\] Experiment ended at [^\n]*/g;
const RECORD_START = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\]/m;
const TAIL_BYTES = 256 * 1024;

/** What the run's log says about its end: null when it has no log or no end record after its last start. */
export function logEndStatus(dir: string): { status: "finished" | "failed"; logModifiedMs: number } | null {
  for (const name of LOG_NAMES) {
    const file = path.join(dir, name);
    let text: string;
    let logModifiedMs: number;
    try {
      const fd = fs.openSync(file, "r");
      try {
        const stat = fs.fstatSync(fd);
        logModifiedMs = stat.mtimeMs;
        const length = Math.min(stat.size, TAIL_BYTES);
        const buffer = Buffer.alloc(length);
        fs.readSync(fd, buffer, 0, length, stat.size - length);
        text = buffer.toString("utf8");
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      continue;
    }
    let last: RegExpExecArray | null = null;
    for (const match of text.matchAll(END_RECORD)) last = match;
    if (last === null) return null;
    // A record after the end record (a restarted run's) means that end is not the run's end.
    const after = text.slice(last.index + last[0].length);
    if (RECORD_START.test(after)) return null;
    return { status: last[0].includes(" with an error: ") ? "failed" : "finished", logModifiedMs };
  }
  return null;
}

/**
 * The status from the log's end record, unless files changed since (a restart writing again);
 * without one: running when files changed within the last minute, else `stale` (interrupted for a
 * pystematic run, which always writes an end record; finished for folders that never do).
 */
export function runStatus(
  dir: string,
  lastModifiedMs: number,
  nowMs: number,
  stale: RunStatus,
): RunStatus {
  const recent = nowMs - lastModifiedMs < RUNNING_WINDOW_MS;
  const end = logEndStatus(dir);
  if (end !== null && !(recent && lastModifiedMs > end.logModifiedMs + 2000)) return end.status;
  return recent ? "running" : stale;
}

const RUN_DIR_NAME = /^(\d{4})-(\d\d)-(\d\d)_(\d\d)-(\d\d)-(\d\d)_[0-9a-z]{6}$/;

/** The start time (ms since the epoch) a pystematic run directory's name gives, in local time. */
export function startTimeFromName(name: string): number | null {
  const m = RUN_DIR_NAME.exec(name);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s).getTime();
}
