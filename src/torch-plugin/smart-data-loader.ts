// SmartDataLoader (pystematic-torch 1.x, spec 5.8) and BetterDataLoader (its seeds-era name): a
// DataLoader that sets itself up for the run it is in.
import { getRankProvider } from "../core/providers.js";
import { newSeed } from "../core/run/seed.js";
import { getCurrentRun } from "../core/current-run.js";
import { moveState } from "./context/move.js";
import { iterate } from "./iterate.js";
import { isDeviceString, type Device } from "../torch/tensor/tensor.js";
import { DataLoader, type DataLoaderOptions } from "../torch/data/dataloader.js";
import type { DatasetLike } from "../torch/data/dataset.js";
import { DistributedSampler } from "../torch/data/distributed-sampler.js";

export interface SmartDataLoaderOptions<T, B> extends DataLoaderOptions<T, B> {
  /**
   * Seeds the shuffle (and the distributed sampler). Default: `newSeed()` during a run, so the
   * order follows `--random-seed`; 0 for the distributed sampler outside a run.
   */
  randomSeed?: number;
  /** Move each batch to the device given by `to()` (a Context's cuda()/to() calls it). Default true. */
  moveOutput?: boolean;
  /** A progress bar over each pass, on the master only. Default true. */
  loadingBar?: boolean;
}

/**
 * A DataLoader that sets itself up for the run it is in:
 * - in a distributed run it splits the data with a DistributedSampler (shuffled alike on every
 *   rank, a new order each pass);
 * - it seeds its shuffle from the run's master generator (`newSeed()`), so `--random-seed`
 *   decides the order and a checkpoint resumes it;
 * - after `to(device)` (which `Context.to()/cuda()` call) it moves each batch there;
 * - it shows a progress bar on the master.
 *
 * Example:
 *   ctx.context.loader = new SmartDataLoader(trainSet, { batchSize: 64, shuffle: true });
 *   ctx.context.autotransform();                // batches now arrive on the run's device
 *   for (const [x, y] of ctx.context.loader) { ... }
 */
export class SmartDataLoader<T = unknown, B = unknown> extends DataLoader<T, B> {
  /** Where batches are moved (set by `to()`), or null to leave them where they are made. */
  outputDevice: Device | null = null;
  readonly moveOutput: boolean;
  readonly loadingBar: boolean;

  constructor(dataset: DatasetLike<T> | Iterable<T>, options: SmartDataLoaderOptions<T, B> = {}) {
    const { randomSeed, moveOutput, loadingBar, ...rest } = options;
    super(dataset, withSampler(dataset, rest, randomSeed));
    this.moveOutput = moveOutput ?? true;
    this.loadingBar = loadingBar ?? true;
  }

  /** Records the device batches go to and returns this loader (as `module.to()` would). */
  to(device: Device): this {
    if (typeof device !== "string" || !isDeviceString(device)) {
      throw new TypeError(`SmartDataLoader.to(): expected a device such as "cpu" or "cuda:0", got ${JSON.stringify(device)}.`);
    }
    this.outputDevice = device;
    return this;
  }

  override [Symbol.iterator](): Iterator<B> {
    // A new shuffle each pass: the epoch that is starting (1 for the first, as the original).
    const sampler = this.sampler;
    if (sampler instanceof DistributedSampler) sampler.setEpoch(this.epoch + 1);
    const batches: Iterable<B> = { [Symbol.iterator]: () => super[Symbol.iterator]() };
    const shown = this.loadingBar ? iterate(batches, { total: this.#knownLength() }) : batches;
    return this.#moved(shown);
  }

  override async *[Symbol.asyncIterator](): AsyncIterator<B> {
    yield* { [Symbol.iterator]: () => this[Symbol.iterator]() };
  }

  *#moved(batches: Iterable<B>): IterableIterator<B> {
    for (const batch of batches) {
      const device = this.outputDevice;
      yield this.moveOutput && device !== null ? (moveState(batch, device) as B) : batch;
    }
  }

  #knownLength(): number | undefined {
    try {
      return this.length;
    } catch {
      return undefined; // an iterable dataset has no length
    }
  }
}

function withSampler<T, B>(dataset: DatasetLike<T> | Iterable<T>, options: DataLoaderOptions<T, B>, randomSeed: number | undefined): DataLoaderOptions<T, B> {
  if (options.sampler !== undefined || options.batchSampler !== undefined || options.generator !== undefined || options.seed !== undefined) {
    return options;
  }
  const inRun = getCurrentRun() !== null;
  const ranks = getRankProvider();
  if (ranks.getNumProcesses() > 1 && typeof (dataset as { length?: unknown }).length === "number") {
    const seed = randomSeed ?? (inRun ? newSeed() : 0);
    const sampler = new DistributedSampler(dataset as { length: number }, {
      shuffle: options.shuffle ?? false,
      seed,
      numReplicas: ranks.getNumProcesses(),
      rank: ranks.getRank(),
    });
    return { ...options, shuffle: false, sampler };
  }
  if (options.shuffle) {
    const seed = randomSeed ?? (inRun ? newSeed() : undefined);
    if (seed !== undefined) return { ...options, seed };
  }
  return options;
}

/** The seeds-era name of SmartDataLoader. */
export const BetterDataLoader = SmartDataLoader;
export type BetterDataLoader<T = unknown, B = unknown> = SmartDataLoader<T, B>;
