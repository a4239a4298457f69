// SIGINT and SIGTERM during a run (DECISIONS, "2026-12: signals, flushing, restarts"). Nothing
// defers a signal's default action: the listener here exists only while a native signal trap
// is in place (native/interrupt.cpp: libtorch's addon once pystematic/torch loads it, else the
// small pystematic_signals.node), which gives any signal nobody took within 1 s, and any second
// signal, its default action. The next op (or Recorder step) throws InterruptError; the listener
// acts when the event loop is free: it takes the signal, lets the run write its error record and
// exits 130/143, the 'exit' hooks flushing the Recorders. Without a trap nothing listens, and a
// signal ends the process at once.
import { constants } from "node:os";
import { isMainThread } from "node:worker_threads";
import { coreSignalTrap } from "./core-signal-trap.js";

export type InterruptSignal = "SIGINT" | "SIGTERM";

/**
 * A SIGINT or SIGTERM stopped the run (Python's `KeyboardInterrupt`): thrown by the op that
 * runs next, so `finally` blocks and exit hooks run. A process that fails with it exits with
 * `exitCode` (130 for SIGINT, 143 for SIGTERM), as a process killed by the signal would.
 */
export class InterruptError extends Error {
  override name = "InterruptError";
  readonly signal: InterruptSignal;
  /** 128 + the signal's number. */
  readonly exitCode: number;
  constructor(signal: InterruptSignal) {
    super(`Interrupted by ${signal}`);
    this.signal = signal;
    this.exitCode = 128 + constants.signals[signal];
  }
}

/** What native/interrupt.cpp provides. */
export interface SignalTrap {
  /** Puts the native handler in front of the current one (Node's, once a listener exists). */
  install(): void;
  /** Puts back the handler `install` replaced. */
  uninstall(): void;
  /** The number of the signal no op has thrown for yet (0: none); no op will throw for it now. */
  take(): number;
}

/** Called with the interrupt the listener took; `true`: handled, the process goes on. */
export type InterruptHandler = (error: InterruptError) => boolean | void;

const signals: readonly InterruptSignal[] = ["SIGINT", "SIGTERM"];
let trap: SignalTrap | null = null;
/** How many holders (the active run, open Recorder files) want signals to interrupt. */
let holders = 0;
let armed = false;
const handlers: InterruptHandler[] = [];
let raised: InterruptError | null = null;

/** The InterruptError for a signal number, remembered so a failing exit gets its exit code. */
export function interruptFor(signalNumber: number): InterruptError {
  const error = new InterruptError(signalNumber === constants.signals.SIGTERM ? "SIGTERM" : "SIGINT");
  if (raised === null) process.on("exit", exitWithSignalCode);
  raised = error;
  return error;
}

// A process that fails after an interrupt (main rethrew it, a crash report's exit 1) exits as the
// signal would have: 130 or 143.
function exitWithSignalCode(code: number): void {
  if (raised !== null && code !== 0) process.exitCode = raised.exitCode;
}

function onSignal(signal: NodeJS.Signals): void {
  const taken = trap?.take() ?? 0;
  if (taken === 0) return; // an op already threw InterruptError for it
  // A program's own listener decides what its signal does.
  if (process.listenerCount(signal) > 1) return;
  const error = interruptFor(taken);
  for (const handler of [...handlers].reverse()) {
    if (handler(error) === true) return;
  }
  process.exit(error.exitCode);
}

function arm(): void {
  // Signals reach the main thread only.
  if (armed || !isMainThread) return;
  trap ??= coreSignalTrap();
  if (trap === null) return;
  armed = true;
  for (const signal of signals) process.on(signal, onSignal);
  trap.install(); // after the listener, so it chains to Node's handler
}

function disarm(): void {
  if (!armed) return;
  armed = false;
  trap?.uninstall();
  for (const signal of signals) process.off(signal, onSignal);
}

/** Installs libtorch's trap (pystematic/torch, when libtorch loads on the main thread), in place of any other. */
export function setSignalTrap(value: SignalTrap): void {
  disarm();
  trap = value;
  if (holders > 0) arm();
}

/**
 * Throws the InterruptError of a signal that arrived during the run and nothing took yet: the
 * Recorder's step() calls it, so a loop with no op in it (a run without libtorch) stops there.
 */
export function throwIfInterrupted(): void {
  if (!armed) return;
  const taken = trap!.take();
  if (taken !== 0) throw interruptFor(taken);
}

/**
 * Signals interrupt the process until the returned release is called: during a run, and while
 * Recorder files are open (so an interrupted process exits through their flush).
 */
export function holdInterrupts(): () => void {
  holders++;
  arm();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) disarm();
  };
}

/**
 * What ended a run: `error`, or the InterruptError of a signal that arrived while it was on its
 * way (the op the signal found running failed in its own way: a peer rank closed its connection).
 */
export function interruptOr(error: unknown): unknown {
  if (error === undefined || error instanceof InterruptError || !armed) return error;
  const taken = trap!.take();
  return taken === 0 ? error : Object.assign(interruptFor(taken), { cause: error });
}

/** Adds a handler for interrupts taken while the event loop is free; returns its remover. */
export function onInterrupt(handler: InterruptHandler): () => void {
  handlers.push(handler);
  return () => {
    const index = handlers.indexOf(handler);
    if (index >= 0) handlers.splice(index, 1);
  };
}
