// Starting an experiment in a child process (DECISIONS, "Processes and distributed"):
// `node <package>/dist/child.js <script> <experiment path> <run-dir | -> <params JSON file>`.
// The params travel as JSON (null, negative numbers and objects stay intact) in a temporary
// folder that also receives the child's run directory, and is removed when the child exits.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { constants, tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ExperimentDefinition } from "../experiment.js";
import { definingScript } from "./defining-script.js";
import { parentPidEnv } from "./watchdog.js";

/** A started child process. */
export interface ChildProcessHandle {
  readonly pid: number;
  /** 0 for a top-level run (a sweep member), 1, 2, ... for subprocesses. */
  readonly localRank: number;
  /** Resolves with the exit code once the child has exited (128 + signal number when killed). */
  wait(): Promise<number>;
  /** Stops the child (SIGTERM by default); does nothing once it has exited. */
  kill(signal?: NodeJS.Signals): void;
}

/** What `launchExperimentChild` returns: a handle, plus the run directory the child reported. */
export interface LaunchedChild extends ChildProcessHandle {
  /** The child's run directory once it has made one (also while it runs), else null. */
  runDir(): string | null;
  /** The exit code once the child has exited, else null. */
  exitCode(): number | null;
}

export interface ChildLaunchOptions {
  readonly experiment: ExperimentDefinition;
  /** The values the child passes to `run()` (camelCase keys). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The run directory to use, or null for a new top-level run directory. */
  readonly runDir: string | null;
  readonly localRank: number;
  /** Extra environment variables (CUDA_VISIBLE_DEVICES for sweep members). */
  readonly env?: Readonly<Record<string, string>>;
  /** Relay the child's stdout/stderr line by line with this prefix (`[rank 1] `). */
  readonly outputPrefix?: string;
  /** Start the child in a process group of its own: a terminal's Ctrl-C reaches only us. */
  readonly ownProcessGroup?: boolean;
}

/** Copies `from` to `to` a line at a time, each line prefixed (partial lines wait for their end). */
function relayLines(from: NodeJS.ReadableStream, to: NodeJS.WritableStream, prefix: string): void {
  let pending = "";
  from.setEncoding("utf8");
  from.on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop()!;
    if (lines.length) to.write(lines.map((line) => prefix + line + "\n").join(""));
  });
  from.on("end", () => {
    if (pending) to.write(prefix + pending + "\n");
  });
}

/** Name of the file, beside the params file, in which a child reports its run directory. */
export const runDirReportName = "run-dir";

const here = dirname(fileURLToPath(import.meta.url));
const fromSource = extname(fileURLToPath(import.meta.url)) === ".ts";
const childEntry = join(here, "..", "..", fromSource ? "child.ts" : "child.js");
const typeScriptFile = /\.[cm]?tsx?$/;

// Node flags worth passing on (memory limits, source maps), not those of a debugger or test runner.
function inheritedNodeFlags(): string[] {
  return process.execArgv.filter((flag) => !/^--(?:test|inspect|watch|eval|print|input-type)/.test(flag));
}

function usesTsx(flags: readonly string[]): boolean {
  return flags.some((flag) => /(?:^|[=/\\])tsx(?:$|[/\\])/.test(flag) || flag.includes("/tsx/"));
}

function nodeArguments(script: string): string[] {
  const flags = inheritedNodeFlags();
  if ((fromSource || typeScriptFile.test(script)) && !usesTsx(flags)) {
    // TypeScript needs tsx (Node 20 cannot run .ts): the loader is a dependency of this package.
    const tsx = createRequire(import.meta.url).resolve("tsx");
    flags.push("--import", pathToFileURL(tsx).href);
  }
  return flags;
}

const launchFolders = new Map<LaunchedChild, string>();

// A normal exit or an uncaught exception: no child outlives us, no launch folder stays behind.
// Signals and SIGKILL are covered by each child's own watchdog.
function stopAllChildren(): void {
  for (const [child, folder] of launchFolders) {
    child.kill("SIGKILL");
    rmSync(folder, { recursive: true, force: true });
  }
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", stopAllChildren);
}

/** Starts `experiment` in a new Node process that runs it with `params`. */
export function launchExperimentChild(options: ChildLaunchOptions): LaunchedChild {
  const script = definingScript(options.experiment);
  const folder = mkdtempSync(join(tmpdir(), "pystematic-launch-"));
  const paramsFile = join(folder, "params.json");
  writeFileSync(paramsFile, JSON.stringify(options.params), { mode: 0o600 });
  const child = spawn(
    process.execPath,
    [...nodeArguments(script), childEntry, script, options.experiment.path, options.runDir ?? "-", paramsFile],
    {
      stdio: options.outputPrefix === undefined ? "inherit" : ["inherit", "pipe", "pipe"],
      env: { ...process.env, ...options.env, [parentPidEnv]: String(process.pid) },
      detached: options.ownProcessGroup === true,
    },
  );
  if (options.outputPrefix !== undefined) {
    relayLines(child.stdout!, process.stdout, options.outputPrefix);
    relayLines(child.stderr!, process.stderr, options.outputPrefix);
  }
  let reportedRunDir: string | null = options.runDir;
  let exitCode: number | null = null;
  const exited = new Promise<number>((resolveExit) => {
    const finish = (code: number): void => {
      if (exitCode !== null) return;
      exitCode = code;
      try {
        reportedRunDir = readFileSync(join(folder, runDirReportName), "utf8");
      } catch {
        // The child never made a run directory (it failed before its run started).
      }
      rmSync(folder, { recursive: true, force: true });
      launchFolders.delete(handle);
      resolveExit(code);
    };
    child.on("exit", (code, signal) => {
      finish(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
    child.on("error", () => finish(127));
  });
  const handle: LaunchedChild = {
    pid: child.pid ?? -1,
    localRank: options.localRank,
    wait: () => exited,
    exitCode: () => exitCode,
    kill(signal: NodeJS.Signals = "SIGTERM") {
      if (exitCode === null && child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    runDir: () => {
      // While it runs, the child's report (written once the directory exists) is read on demand.
      if (reportedRunDir === null && exitCode === null) {
        try {
          const reported = readFileSync(join(folder, runDirReportName), "utf8");
          if (reported !== "") reportedRunDir = reported;
        } catch {
          // Not made yet.
        }
      }
      return reportedRunDir;
    },
  };
  launchFolders.set(handle, folder);
  installExitHook();
  return handle;
}
