// Spec 3.7 and 5.2: run an experiment once per parameter set, each in its own process and run
// directory, at most `maxNumProcesses` at a time. Unlike the original, failures are reported.
import type { ExperimentDefinition, RunParams } from "../experiment.js";
import { getDeviceProvider } from "../providers.js";
import { entrypointsSuppressed } from "../entry-state.js";
import { launchExperimentChild } from "./launch.js";
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
        const exitCode = await child.wait();
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
