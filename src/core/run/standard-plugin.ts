// The standard plugin (spec 3): the default parameters of every experiment, and around each run
// its directory, parameters.yaml, logging, master seed and subprocess bookkeeping.
import { randomInt } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { setCurrentRun } from "../current-run.js";
import { toSnakeCase } from "../../util/naming.js";
import { parameter } from "../parameter.js";
import { registerPlugin, type ExperimentPlugin, type ExperimentRun } from "../plugins.js";
import { getRankProvider } from "../providers.js";
import { writeFileAtomicSync } from "./atomic-write.js";
import { getChildLaunch } from "./child-mode.js";
import { recordDefiningScript } from "./defining-script.js";
import { formatLocalTime } from "./local-time.js";
import { configureLogging, getLogger, logWithStack, resetLogging, type Logger } from "./logging.js";
import { holdInterrupts, interruptOr, onInterrupt } from "./interrupt.js";
import { formatParametersYaml } from "./parameters-yaml.js";
import { createRunDir } from "./run-dir.js";
import { getActiveRun, setActiveRun, type ActiveRun } from "./run-state.js";
import { clearMasterGenerator, seedMasterGenerator } from "./seed.js";

declare module "../plugins.js" {
  interface PluginParams {
    /** Parent directory of all run directories. */
    outputDir: string;
    /** Debug records on. */
    debug: boolean;
    /** The params file given with --params-file, or null. */
    paramsFile: string | null;
    /** The master random seed of the run. */
    randomSeed: number;
    /** Internal: the parent's parameters.yaml in a subprocess, else null. */
    subprocess: string | null;
    /** Internal: 0 in the process the user started, 1, 2, ... in its subprocesses. */
    localRank: number;
  }
  interface PluginContext {
    /** The absolute path of this run's directory. */
    outputDir: string;
    /** This run's parameters.yaml (in a subprocess: its parent's). */
    paramsFile: string;
    /** A logger named after the experiment. */
    logger: Logger;
    /** 0 in the process the user started, 1, 2, ... in its subprocesses. */
    localRank: number;
  }
}

const logger = getLogger("pystematic.standard");

/** Ends the active run's hold on interrupts and its handler of those taken while the event loop is free. */
let releaseInterrupts: (() => void) | null = null;

function endRecord(error: unknown): string {
  const now = formatLocalTime(new Date());
  if (error === undefined) return `Experiment ended at ${now}.`;
  return `Experiment ended at ${now} with an error: ${error instanceof Error ? error.message : String(error)}`;
}

// One declaration each, shared by every experiment (so inheriting experiments do not clash).
const defaultParameters = [
  parameter({
    name: "outputDir",
    type: "path",
    default: "./output",
    help: "Parent directory to store all run-logs in. Will be created if it does not exist.",
  }),
  parameter({
    name: "debug",
    isFlag: true,
    default: false,
    help: "Sets debug flag on/off. Configures the logging mechanism to print all DEBUG messages.",
  }),
  parameter({
    name: "paramsFile",
    type: "path",
    isParamsFile: true,
    allowFromFile: false,
    help:
      "Read experiment parameters from a yaml file, such as the one dumped in the output dir from an earlier run. " +
      "When this option is set from the command line, any other options supplied after this one will override the ones loaded from the file.",
  }),
  parameter({
    name: "randomSeed",
    type: "int",
    default: () => randomInt(0, 2 ** 32),
    defaultHelp: "<randomly generated>",
    help: "The value to seed the master random number generator with.",
  }),
  parameter({
    name: "subprocess",
    type: "path",
    hidden: true,
    allowFromFile: false,
    help: "Internally used to indicate that this process is a subprocess. DO NOT USE MANUALLY.",
  }),
  parameter({
    name: "localRank",
    type: "int",
    default: 0,
    hidden: true,
    allowFromFile: false,
    help:
      "For multiprocessing, gives the local rank for this process. " +
      "This parameter is set automatically by the framework, and should not be used manually.",
  }),
];

/** parameters.yaml: every resolved value under its file key (snake_case), sorted. */
function writeParametersFile(run: ExperimentRun, path: string): void {
  const fileKeys = new Map(run.experiment.getParameters().map((info) => [info.name, info.fileKey]));
  const values = Object.fromEntries(Object.entries(run.params).map(([key, value]) => [fileKeys.get(key) ?? toSnakeCase(key), value]));
  writeFileAtomicSync(path, formatParametersYaml(values));
}

function setUpRun(run: ExperimentRun): void {
  const { experiment, params } = run;
  const localRank = Number(params.localRank ?? 0);
  const subprocess = typeof params.subprocess === "string" ? resolve(params.subprocess) : null;
  const launch = getChildLaunch();
  // In a distributed run every rank but global rank 0 only writes its own log file.
  const globalRank = getRankProvider().getRank();
  seedMasterGenerator(Number(params.randomSeed));
  let runDir: string;
  let paramsFile: string;
  let logFile: string;
  if (subprocess !== null) {
    if (localRank < 1) throw new Error(`A subprocess needs a local rank above 0, got ${localRank}.`);
    runDir = launch?.runDir ?? dirname(subprocess);
    paramsFile = subprocess;
    logFile = join(runDir, `log.rank-${localRank}.txt`);
  } else {
    if (launch?.runDir) {
      runDir = resolve(launch.runDir);
      mkdirSync(runDir, { recursive: true });
    } else {
      runDir = createRunDir(String(params.outputDir ?? "./output"), experiment.name);
      launch?.reportRunDir(runDir);
    }
    paramsFile = join(runDir, "parameters.yaml");
    logFile = join(runDir, launch?.logName ?? (globalRank > 0 ? `log.rank-${globalRank}.txt` : "log.txt"));
  }
  configureLogging({ logFile, debug: params.debug === true, rank: subprocess !== null ? localRank : null });
  if (subprocess !== null) {
    logger.debug("Initializing subprocess...");
  } else if (globalRank === 0 && launch?.writesParameters !== false) {
    logger.debug(`Writing parameters file to '${paramsFile}'.`);
    writeParametersFile(run, paramsFile);
  }
  const state: ActiveRun = {
    experiment,
    params,
    outputDir: runDir,
    paramsFile,
    localRank,
    isSubprocess: subprocess !== null,
    ctx: run.ctx,
    subprocessCount: 0,
    children: new Set(),
  };
  setActiveRun(state);
  // A signal while the event loop is free ends the process from the listener: the log still
  // gets the run's error record (src/core/run/interrupt.ts).
  const stopLogging = onInterrupt((error) => {
    logger.error(endRecord(error));
  });
  const release = holdInterrupts();
  releaseInterrupts = () => {
    release();
    stopLogging();
  };
  setCurrentRun({ outputDir: runDir, params, paramsFile, experimentName: experiment.name, localRank });
  Object.assign(run.ctx, { outputDir: runDir, paramsFile, logger: getLogger(experiment.name), localRank });
}

async function tearDownRun(failure: unknown): Promise<void> {
  const state = getActiveRun();
  const error = interruptOr(failure);
  try {
    if (state !== null) {
      if (error === undefined) logger.info(endRecord(error));
      else logWithStack(logger, "error", endRecord(error), error);
      // Subprocesses do not outlive the run that launched them.
      const children = [...state.children];
      for (const child of children) child.kill("SIGKILL");
      await Promise.all(children.map((child) => child.wait()));
    }
  } finally {
    releaseInterrupts?.();
    releaseInterrupts = null;
    resetLogging();
    clearMasterGenerator();
    setActiveRun(null);
    setCurrentRun(null);
  }
}

export const standardPlugin: ExperimentPlugin = {
  name: "standard",
  priority: 10,
  onExperimentCreated(experiment) {
    recordDefiningScript(experiment);
    for (const param of defaultParameters) experiment.addParameter(param);
  },
  onBeforeExperiment(run) {
    setUpRun(run);
  },
  onAfterExperiment(_run, error) {
    return tearDownRun(error);
  },
};

registerPlugin(standardPlugin);
