// A child process must import the module that defines its experiment (as Python's spawn imports
// `main_function.__module__`). The file is read off the call stack when the experiment is created.
import { realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The library's own code, src/ and dist/ both: with source maps on (tsx turns them on) frames of
// dist/ read as src/, and through a symlinked install (npm link, file: dependencies) as real paths.
const packageRoot = realPath(resolve(dirname(fileURLToPath(import.meta.url)), "../../.."));
const libraryDirs = [resolve(packageRoot, "src") + "/", resolve(packageRoot, "dist") + "/"];

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function isLibraryFile(file: string): boolean {
  if (file.includes("/node_modules/")) return true;
  const real = realPath(file);
  return libraryDirs.some((dir) => real.startsWith(dir));
}
const frameFile = /(?:\(|at )((?:file:\/\/)?\/[^():]+):\d+:\d+\)?$/;

const scripts = new WeakMap<object, string>();

/** The first file on the current call stack outside the library, or null. */
function callerFile(): string | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  for (const line of stack.split("\n").slice(1)) {
    const match = frameFile.exec(line.trim());
    if (!match?.[1]) continue;
    const file = match[1].startsWith("file://") ? fileURLToPath(match[1]) : match[1];
    if (!isLibraryFile(file)) return file;
  }
  return null;
}

/** Remembers which file is defining `experiment` (call while it is being created). */
export function recordDefiningScript(experiment: object): void {
  const file = callerFile();
  if (file !== null && !scripts.has(experiment)) scripts.set(experiment, file);
}

/** The file that defined `experiment`, else the script this process was started with. */
export function definingScript(experiment: object): string {
  const file = scripts.get(experiment) ?? process.argv[1];
  if (!file) throw new Error("Cannot tell which file defines this experiment, so it cannot be run in a child process.");
  return resolve(file);
}
