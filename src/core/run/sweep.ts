// Spec 3.7 and 5.2: run an experiment once per parameter set, each in its own process and run
// directory, at most `maxNumProcesses` at a time. Unlike the original, failures are reported.
// Each member's run directory gets a `sweep.json` marker (sweep id, member index, count, the
// member's overrides) as soon as it exists, so `pystematic board` groups a running sweep.
import { randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ExperimentDefinition, RunParams } from "../experiment.js";
import { getDeviceProvider } from "../providers.js";
import { entrypointsSuppressed } from "../entry-state.js";
import { writeFileAtomicSync } from "./atomic-write.js";
import { launchExperimentChild, type LaunchedChild } from "./launch.js";
import { formatLocalTime } from "./local-time.js";
import { getLogger } from "./logging.js";

export interface SweepOptions {
  /** How many runs may be alive at once. Default 1. */
  maxNumProcesses?: number;
  /**
   * GPUs to give each run through `CUDA_VISIBLE_DEVICES`, the least used first (needs the device
   * provider `pystematic/torch` registers). Default: leave `CUDA_VISIBLE_DEVICES` alone.
   */
  numGpusPerProcess?: number;
}

/** The outcome of one member of a sweep. */
export interface SweepRunResult {
  readonly params: Readonly<Record<string, unknown>>;
  /** 0 on success; 128 + the signal number when it was killed. */
  readonly exitCode: number;
  /** The member's run directory, or null when it failed before making one. */
  readonly runDir: string | null;
  /** The GPU ids it was given (empty without `numGpusPerProcess`). */
  readonly gpus: readonly number[];
}

function checkCount(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`runParameterSweep(): ${name} must be an integer >= ${minimum}, got ${String(value)}.`);
  }
  return value;
}

/** Hands out GPU ids, the least used first, lowest id on ties (over-subscription allowed). */
class GpuPool {
  private readonly usage: number[];
  constructor(count: number) {
    this.usage = new Array<number>(count).fill(0);
  }
  take(n: number): number[] {
    if (n > this.usage.length) {
      throw new Error(`There are only '${this.usage.length}' distinct resources available. Tried to allocate '${n}'.`);
    }
    const ids = this.usage
      .map((used, id) => ({ used, id }))
      .sort((a, b) => a.used - b.used || a.id - b.id)
      .slice(0, n)
      .map(({ id }) => id)
      .sort((a, b) => a - b);
    for (const id of ids) this.usage[id]! += 1;
    return ids;
  }
  release(ids: readonly number[]): void {
    for (const id of ids) this.usage[id]! -= 1;
  }
}

/** What `sweep.json` in a member's run directory holds. */
export interface SweepMarkerFile {
  /** The same for every member of one runParameterSweep() call. */
  readonly id: string;
  readonly experiment: string;
  /** The member's position in the list of parameter sets (0-based). */
  readonly index: number;
  readonly count: number;
  /** The member's entry of the list of parameter sets, as given. */
  readonly overrides: Readonly<Record<string, unknown>>;
}

const MARKER_POLL_MS = 100;

/** Writes the marker once the child reports its run directory (polled while it runs, checked at exit). */
function markRunDir(child: LaunchedChild, marker: SweepMarkerFile, exited: Promise<number>): void {
  let done = false;
  const write = (): boolean => {
    const runDir = child.runDir();
    if (done || runDir === null || !existsSync(runDir)) return done;
    done = true;
    try {
      writeFileAtomicSync(join(runDir, "sweep.json"), `${JSON.stringify(marker, null, 2)}\n`);
    } catch (error) {
      getLogger("pystematic.standard").warning(`Cannot write the sweep marker into '${runDir}': ${(error as Error).message}`);
    }
    return true;
  };
  const timer = setInterval(() => {
    if (write()) clearInterval(timer);
  }, MARKER_POLL_MS);
  void exited.then(() => {
    clearInterval(timer);
    write();
  });
}

function describeParams(params: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(params);
}

/**
 * Runs `experiment` once for each entry of `listOfParams` (see `paramMatrix`), each as a separate
 * top-level run in a child process with its own run directory and, unless given, its own random
 * seed. Resolves when every run has ended, with one result per entry in list order; failed runs
 * are logged in a summary and do not stop the others.
 */
export async function runParameterSweep<P>(
  experiment: ExperimentDefinition<P>,
  listOfParams: readonly Readonly<RunParams<P>>[],
  options: SweepOptions = {},
): Promise<SweepRunResult[]> {
  // A child process importing the user's script must not start the sweep again.
  if (entrypointsSuppressed()) return [];
  if (!Array.isArray(listOfParams)) throw new TypeError("runParameterSweep(experiment, listOfParams): listOfParams must be an array of parameter objects.");
  const maxNumProcesses = checkCount("maxNumProcesses", options.maxNumProcesses ?? 1, 1);
  const numGpus = checkCount("numGpusPerProcess", options.numGpusPerProcess ?? 0, 0);
  let pool: GpuPool | null = null;
  if (numGpus > 0) {
    const devices = getDeviceProvider();
    if (devices === null) {
      throw new Error("runParameterSweep(): numGpusPerProcess needs to know the GPUs: import 'pystematic/torch' (it registers a device provider) before starting the sweep.");
    }
    pool = new GpuPool(devices.gpuCount());
    pool.release(pool.take(numGpus)); // fail now, not after some runs have started
  }
  const logger = getLogger("pystematic.standard");
  const sweepId = `${experiment.name}_${formatLocalTime(new Date(), "_", "-")}_${randomInt(36 ** 6).toString(36).padStart(6, "0")}`;
  const results: SweepRunResult[] = new Array(listOfParams.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < listOfParams.length) {
      const index = next++;
      const params = listOfParams[index] as Readonly<Record<string, unknown>>;
      const gpus = pool ? pool.take(numGpus) : [];
      const env = pool ? { CUDA_VISIBLE_DEVICES: gpus.join(",") } : undefined;
      try {
        const child = launchExperimentChild({ experiment: experiment as ExperimentDefinition, params, runDir: null, localRank: 0, ...(env ? { env } : {}) });
        const exited = child.wait();
        markRunDir(child, { id: sweepId, experiment: experiment.name, index, count: listOfParams.length, overrides: params }, exited);
        const exitCode = await exited;
        results[index] = { params, exitCode, runDir: child.runDir(), gpus };
      } finally {
        pool?.release(gpus);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxNumProcesses, listOfParams.length) }, worker));
  const failed = results.filter((result) => result.exitCode !== 0);
  if (failed.length === 0) {
    logger.info(`Parameter sweep finished: all ${results.length} runs succeeded.`);
  } else {
    const lines = failed.map(
      (result) => `  params ${describeParams(result.params)}: exit code ${result.exitCode}, run directory ${result.runDir ?? "(none)"}`,
    );
    logger.error(`Parameter sweep finished: ${failed.length} of ${results.length} runs failed:\n${lines.join("\n")}`);
  }
  return results;
}
