// The entry point of every child process pystematic starts (subprocesses and sweep members):
//   node <package>/dist/child.js <script> <experiment path> <run-dir | -> <params JSON file>
// It imports the script with its top-level entry points turned into no-ops, then runs the named
// experiment with the given values. Its watchdog kills it as soon as its parent is gone.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { setEntrypointsSuppressed } from "./core/entry-state.js";
import { UsageError } from "./core/errors.js";
import { findExperiment } from "./core/registry.js";
import { setChildLaunch } from "./core/run/child-mode.js";
import { runDirReportName } from "./core/run/launch.js";
import { startParentWatchdog } from "./core/run/watchdog.js";
import "./core/run/index.js";

async function main(argv: readonly string[]): Promise<void> {
  const [script, experimentPath, runDirArgument, paramsPath] = argv;
  if (!script || !experimentPath || !runDirArgument || !paramsPath) {
    throw new Error("Usage: node child.js <script> <experiment path> <run-dir | -> <params JSON file>");
  }
  // The launch folder holds the params and, for a new run directory, the report of its path.
  const launchFolder = dirname(paramsPath);
  const runDir = runDirArgument === "-" ? null : runDirArgument;
  startParentWatchdog({ removeOnParentExit: launchFolder });
  const params = JSON.parse(readFileSync(paramsPath, "utf8")) as Record<string, unknown>;
  rmSync(runDir === null ? paramsPath : launchFolder, { recursive: true, force: true });
  setChildLaunch({
    runDir,
    reportRunDir: (path) => writeFileSync(join(launchFolder, runDirReportName), path),
  });
  setEntrypointsSuppressed(true);
  try {
    await import(pathToFileURL(script).href);
  } finally {
    setEntrypointsSuppressed(false);
  }
  const experiment = findExperiment(experimentPath);
  if (experiment === undefined) throw new Error(`No experiment '${experimentPath}' is defined in ${script}.`);
  await experiment.runUnsuppressed(params);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    // Bad values (a sweep entry naming no parameter, say) exit 2 with one line, as the CLI does.
    if (error instanceof UsageError) {
      process.stderr.write(`Error: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof Error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
