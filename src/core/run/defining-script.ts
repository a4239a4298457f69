// A child process must import the module that defines its experiment (as Python's spawn imports
// `main_function.__module__`). The file is read off the call stack when the experiment is created.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The library's own folder (src/ or dist/): frames inside it are not the user's.
const libraryDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
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
    if (!file.startsWith(libraryDir + "/") && !file.includes("/node_modules/")) return file;
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
