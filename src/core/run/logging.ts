// Spec 3.3: one logger per module name. Every record goes to stdout as `[INFO] [name] message`
// and, during a run, to the run's log file with a timestamp. `[RANK n]` follows the level in
// subprocesses, in a parent once it has launched one, and in distributed runs.
import { closeSync, openSync, writeSync } from "node:fs";
import { format, inspect } from "node:util";
import { getRankProvider } from "../providers.js";
import { formatLocalTime } from "./local-time.js";

export type LogLevel = "debug" | "info" | "warning" | "error";

export interface Logger {
  readonly name: string;
  /** Shown only with `--debug`. */
  debug(message: unknown, ...args: unknown[]): void;
  info(message: unknown, ...args: unknown[]): void;
  warning(message: unknown, ...args: unknown[]): void;
  /** Same as `warning`. */
  warn(message: unknown, ...args: unknown[]): void;
  /** An `Error` among the arguments shows as its message; its stack goes to the log file. */
  error(message: unknown, ...args: unknown[]): void;
}

interface LogSink {
  fd: number | null;
  path: string | null;
  debug: boolean;
  /** The local rank to tag records with, or null for no tag (distributed runs tag by global rank). */
  rank: number | null;
}

const sink: LogSink = { fd: null, path: null, debug: false, rank: null };
const loggers = new Map<string, Logger>();

const levelNames: Record<LogLevel, string> = { debug: "DEBUG", info: "INFO", warning: "WARNING", error: "ERROR" };
// ANSI colours of the original's console: magenta, blue, yellow, red; rank and name green.
const levelColours: Record<LogLevel, number> = { debug: 35, info: 34, warning: 33, error: 31 };
const green = 32;

function useColour(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

function paint(text: string, colour: number, colourOn: boolean): string {
  return colourOn ? `\u001b[${colour}m${text}\u001b[0m` : text;
}

function rankTag(): number | null {
  const ranks = getRankProvider();
  if (ranks.getNumProcesses() > 1) return ranks.getRank();
  return sink.rank;
}

function describeError(error: Error): string {
  return `${error.name}: ${error.message}`;
}

function emit(name: string, level: LogLevel, message: unknown, args: unknown[], cause?: unknown): void {
  if (level === "debug" && !sink.debug) return;
  const parts = [message, ...args];
  const errors: unknown[] = parts.filter((part): part is Error => part instanceof Error);
  if (cause !== undefined) errors.push(cause);
  const text = format(...parts.map((part) => (part instanceof Error ? describeError(part) : part)));
  const rank = rankTag();
  const colourOn = useColour();
  const tags = (colour: boolean): string =>
    [
      paint(`[${levelNames[level]}]`, levelColours[level], colour),
      rank === null ? null : paint(`[RANK ${rank}]`, green, colour),
      paint(`[${name}]`, green, colour),
    ]
      .filter((tag) => tag !== null)
      .join(" ");
  process.stdout.write(`${tags(colourOn)} ${text}\n`);
  if (sink.fd !== null) {
    const stacks = errors.map((error) => `\n${error instanceof Error && error.stack ? error.stack : inspect(error)}`).join("");
    writeSync(sink.fd, `[${formatLocalTime(new Date())}] ${tags(false)} ${text}${stacks}\n`);
  }
}

/** The logger for `name` (a module or component name, e.g. `"my-exp.data"`). */
export function getLogger(name: string): Logger {
  let logger = loggers.get(name);
  if (logger === undefined) {
    const log =
      (level: LogLevel) =>
      (message: unknown, ...args: unknown[]): void =>
        emit(name, level, message, args);
    logger = { name, debug: log("debug"), info: log("info"), warning: log("warning"), warn: log("warning"), error: log("error") };
    loggers.set(name, logger);
  }
  return logger;
}

/** Logs `message` with `cause`'s stack in the log file only (the console shows the message). */
export function logWithStack(logger: Logger, level: LogLevel, message: string, cause: unknown): void {
  emit(logger.name, level, message, [], cause);
}

/** Starts logging for a run: records also go to `logFile` (appended), debug ones when `debug`. */
export function configureLogging(options: { logFile: string | null; debug: boolean; rank: number | null }): void {
  closeLogFile();
  sink.fd = options.logFile === null ? null : openSync(options.logFile, "a");
  sink.path = options.logFile;
  sink.debug = options.debug;
  sink.rank = options.rank;
}

/** Tags records with `[RANK rank]` from now on (a parent after launching its first subprocess). */
export function setLogRank(rank: number | null): void {
  sink.rank = rank;
}

/** Closes the run's log file; later records go to the console only. */
export function closeLogFile(): void {
  if (sink.fd !== null) closeSync(sink.fd);
  sink.fd = null;
  sink.path = null;
}

/** The run's log file, or null outside a run. */
export function currentLogFile(): string | null {
  return sink.path;
}

/** Back to the state outside a run: console only, no debug records, no rank tag. */
export function resetLogging(): void {
  closeLogFile();
  sink.debug = false;
  sink.rank = null;
}
