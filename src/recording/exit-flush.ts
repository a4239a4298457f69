// Open writers are flushed when the process exits: process.exit(), the end of the event loop,
// and SIGINT/SIGTERM, which interrupt the process while writers are open (src/core/run/
// interrupt.ts: the next op or Recorder step throws InterruptError, an idle process exits
// 130/143). No signal listener of ours keeps a busy process alive (DECISIONS, "2026-12: signals,
// flushing, restarts"); a process killed outright loses at most the writers' flush period.
import { holdInterrupts } from "../core/run/interrupt.js";

type Flushable = { flush(): void };

/** A write that failed, naming the file and how many bytes are still unwritten. */
export function writeError(file: string, unwritten: number, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const error = new Error(`Cannot write ${unwritten} bytes of records to '${file}': ${reason}`, { cause });
  (error as NodeJS.ErrnoException).code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return error;
}

const open = new Set<Flushable>();
let installed = false;
let releaseInterrupts: (() => void) | null = null;

function flushAll(): void {
  for (const writer of open) {
    try {
      writer.flush();
    } catch (error) {
      // Exiting anyway: say what was lost (a failed flush is never silent) and fail the exit
      // code, then go on with the other writers.
      process.stderr.write(`pystematic: records lost at exit: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!process.exitCode) process.exitCode = 1;
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", flushAll);
  releaseInterrupts = holdInterrupts();
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", flushAll);
  releaseInterrupts?.();
  releaseInterrupts = null;
}

export function flushOnExit(writer: Flushable): void {
  open.add(writer);
  install();
}

export function stopFlushOnExit(writer: Flushable): void {
  open.delete(writer);
  if (open.size === 0) uninstall();
}
