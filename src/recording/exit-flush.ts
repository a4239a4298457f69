// Open writers are flushed when the process exits, also on SIGINT/SIGTERM. The signal listeners
// exist only while something is open, and when ours is the only listener the signal is raised
// again after the flush, so the process still dies of it (exit code 130/143) as it would have.
// Node runs signal listeners only when the event loop turns: a loop that never yields sees the
// signal when it next yields (writers also flush on their period while writing, see
// EventFileWriter, so a SIGKILL that follows loses little).
type Flushable = { flush(): void };

/** A write that failed, naming the file and how many bytes are still unwritten. */
export function writeError(file: string, unwritten: number, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const error = new Error(`Cannot write ${unwritten} bytes of records to '${file}': ${reason}`, { cause });
  (error as NodeJS.ErrnoException).code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return error;
}

const open = new Set<Flushable>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
let installed = false;

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

function onSignal(signal: NodeJS.Signals): void {
  flushAll();
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", flushAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", flushAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

export function flushOnExit(writer: Flushable): void {
  open.add(writer);
  install();
}

export function stopFlushOnExit(writer: Flushable): void {
  open.delete(writer);
  if (open.size === 0) uninstall();
}
