// A rank's heartbeat (DECISIONS, "2026-12: signals, flushing, restarts"): progress is the main
// thread starting an op (native/interrupt.h) or the event loop turning (the timer here); time
// blocked in a collective does not count, the distributed timeout governs it. A rank without
// progress for the timeout is reported in its log and on stderr and exits 124, and its
// launcher stops or restarts the run.
import { currentLogFile } from "../core/run/logging.js";
import { loadNative } from "../torch/native.js";

let ticker: NodeJS.Timeout | null = null;

/** Watches this rank from now on; `seconds` 0 watches nothing. */
export function startHeartbeat(seconds: number, rank: number): void {
  stopHeartbeat();
  if (!(seconds > 0)) return;
  const addon = loadNative();
  addon.heartbeatStart(seconds, `Rank ${rank} (pid ${process.pid})`, currentLogFile());
  ticker = setInterval(() => addon.heartbeatTick(), Math.min(1000, seconds * 250));
  ticker.unref();
}

export function stopHeartbeat(): void {
  if (ticker === null) return;
  clearInterval(ticker);
  ticker = null;
  loadNative().heartbeatStop();
}
