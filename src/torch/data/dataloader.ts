// DataLoader (torch.utils.data.DataLoader): batches of samples from a dataset, in sampler order,
// collated into tensors. Iterate with `for...of` or `for await`.
//
// With `numWorkers > 0`, worker threads build their own copy of the dataset (from a
// WorkerSource), fetch and collate batches into TypedArrays ahead of time (prefetchFactor
// batches per worker) while the main thread trains, and transfer them; tensors are made on the
// main thread. Results are read synchronously (Atomics.wait + receiveMessageOnPort), so both
// `for...of` and `for await` overlap loading with compute.
import type { ResourceLimits } from "node:worker_threads";
import { Generator } from "../ops/generator.js";
import { empty } from "../tensor/creation.js";
import { describe, type Tensor } from "../tensor/tensor.js";
import "../generated/methods.js";
import { defaultCollate, defaultConvert, materialize, type Collated } from "./collate.js";
import { TensorDataset, getItem, isMapDataset, type DatasetLike } from "./dataset.js";
import { BatchSampler, RandomSampler, SequentialSampler, type BatchSamplerLike, type SamplerLike } from "./sampler.js";
import { bindArgs, isPlainObject, type Param, type PyArgs } from "../binding/index.js";
import type { WorkerSource } from "./worker-info.js";
import { WorkerPool, DataLoaderWorkerError } from "./worker-pool.js";

/** A worker initialisation function: worker threads cannot run functions of the main thread. */
export type WorkerInitFn = (workerId: number) => void;

/** DataLoader's parameters after `dataset`, in Python's order. */
export type DataLoaderParams<T, B> = [
  Param<"batchSize", number | null, true>,
  Param<"shuffle", boolean | null, true>,
  Param<"sampler", SamplerLike | Iterable<number> | null, true>,
  Param<"batchSampler", BatchSamplerLike | null, true>,
  Param<"numWorkers", number, true>,
  Param<"collateFn", ((samples: T[]) => B) | null, true>,
  Param<"pinMemory", boolean, true>,
  Param<"dropLast", boolean, true>,
  Param<"timeout", number, true>,
  Param<"workerInitFn", WorkerInitFn | null, true>,
  Param<"multiprocessingContext", null, true>,
  Param<"generator", Generator | null, true>,
];
/** Keyword-only: Python's, then ours (how workers are made; `seed`). */
export type DataLoaderKeywordOnly = [
  Param<"prefetchFactor", number, true>,
  Param<"persistentWorkers", boolean, true>,
  Param<"pinMemoryDevice", string, true>,
  Param<"seed", number | bigint, true>,
  Param<"workerSource", WorkerSource, true>,
  Param<"workerCollate", WorkerSource, true>,
  Param<"workerResourceLimits", ResourceLimits, true>,
];

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1); null turns automatic batching off (one sample at a time). */
  batchSize?: number | null;
  /** Reshuffle the indices every epoch (with `generator` or `seed` for a reproducible order). */
  shuffle?: boolean | null;
  /** The order of indices (excludes `shuffle`). */
  sampler?: SamplerLike | Iterable<number> | null;
  /** Batches of indices (excludes batchSize, shuffle, sampler and dropLast). */
  batchSampler?: BatchSamplerLike | null;
  /** Worker threads that load batches ahead (default 0: load on the main thread when asked). */
  numWorkers?: number;
  /** Merges a list of samples into a batch (default `defaultCollate`). */
  collateFn?: ((samples: T[]) => B) | null;
  /** Page-locked batches for faster host-to-GPU copies: not supported (only false). */
  pinMemory?: boolean;
  /** Drop the last batch when it is incomplete. */
  dropLast?: boolean;
  /** Seconds to wait for a batch from a worker before throwing (default 0: no limit). */
  timeout?: number;
  /** Not supported (worker threads cannot run the main thread's functions): only null. */
  workerInitFn?: WorkerInitFn | null;
  /** Python's multiprocessing context: only null (workers are threads). */
  multiprocessingContext?: null;
  /** The generator shuffling draws from (PyTorch's `generator`). */
  generator?: Generator | null;
  /** Batches loaded ahead per worker (default 2). */
  prefetchFactor?: number;
  /** Accepted: worker threads always persist across epochs until `close()`. */
  persistentWorkers?: boolean;
  /** Only "" (no pinned memory). */
  pinMemoryDevice?: string;
  /** Shorthand for `generator: new torch.Generator().manualSeed(seed)`. */
  seed?: number | bigint;
  /** Where workers find the dataset, when the dataset has no `workerSource()`. */
  workerSource?: WorkerSource;
  /** Where workers find a collate function returning TypedArrays/ArrayTensors (default: the plain default collation). */
  workerCollate?: WorkerSource;
  /** Node's resource limits of each worker thread (its heap size). */
  workerResourceLimits?: ResourceLimits;
}

/** The keys of DataLoaderOptions that are ours, not Python's: bound apart from Python's signature. */
const OWN_OPTIONS = ["seed", "workerSource", "workerCollate", "workerResourceLimits"] as const;

const DATASET = new (class DatasetArgument {})();

function bindDataLoader<T, B>(args: unknown[]): DataLoaderOptions<T, B> & { dataset: unknown } {
  let own: Record<string, unknown> = {};
  const last = args[args.length - 1];
  if (args.length > 1 && isPlainObject(last)) {
    const rest: Record<string, unknown> = { ...last };
    for (const k of OWN_OPTIONS) {
      if (k in rest) {
        own[k] = rest[k];
        delete rest[k];
      }
    }
    args = [...args.slice(0, -1), rest];
  }
  // the dataset binds through a stand-in: a dataset written as a plain object is not the options object
  const dataset = args[0];
  const bound = bindArgs<DataLoaderOptions<T, B> & { dataset: unknown }>("torch.utils.data.DataLoader", [DATASET, ...args.slice(1)]);
  return { ...bound, ...own, dataset };
}

/** What `stateDict()` holds: the epoch, the batches already yielded in it, and what its order depends on. */
export interface DataLoaderStateDict {
  epoch: number;
  position: number;
  generator_state: Tensor | null;
  sampler_state: Record<string, unknown> | null;
}

interface EpochStart {
  generator: Tensor | null;
  sampler: Record<string, unknown> | null;
}

/**
 * Loads batches from a map-style dataset (`getItem(i)` and `length`, or an array) or an iterable
 * one.
 *
 * @example
 * const loader = new data.DataLoader(trainSet, { batchSize: 64, shuffle: true, seed: 0 });
 * for (const [x, y] of loader) { ... }
 */
export class DataLoader<T = unknown, B = Collated<T>, D extends DatasetLike<T> | Iterable<T> = DatasetLike<T> | Iterable<T>>
  implements Iterable<B>, AsyncIterable<B>
{
  /** The dataset passed, as passed. */
  readonly dataset: D;
  /** Seconds to wait for a batch from a worker (0: no limit). */
  readonly timeout: number;
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly sampler: SamplerLike | null;
  readonly batchSampler: BatchSamplerLike | null;
  readonly generator: Generator | null;
  readonly numWorkers: number;
  readonly prefetchFactor: number;
  private readonly collateFn: ((samples: T[]) => B) | null;
  private readonly options: DataLoaderOptions<T, B>;
  private epochsStarted = 0;
  private inEpoch = false;
  private position = 0;
  private epochStart: EpochStart | null = null;
  private resume: DataLoaderStateDict | null = null;
  private pool: WorkerPool | null = null;

  /**
   * @param dataset - a map-style dataset (`getItem(i)` and `length`, or an array) or an iterable one
   * @param batchSize - samples per batch (default 1); null: one sample at a time, not collated
   * @param shuffle - a new random order each epoch (from `generator`, else from the global generator)
   * @param sampler - the order of indices; batchSampler - batches of indices
   * @param numWorkers - worker threads loading ahead (default 0); collateFn - merges samples into a batch
   * @param dropLast - drop the last incomplete batch; timeout - seconds to wait for a worker's batch
   * @param generator - what shuffling draws from; options also take `seed`, `workerSource`, ...
   */
  constructor(dataset: D & (DatasetLike<T> | Iterable<T>), ...args: PyArgs<DataLoaderParams<T, B>, DataLoaderKeywordOnly>) {
    const options = bindDataLoader<T, B>([dataset, ...args]);
    this.dataset = dataset;
    this.options = options;
    if (options.pinMemory) throw new TypeError("DataLoader(): pinMemory=true is not supported (no pinned host memory)");
    if (options.pinMemoryDevice) throw new TypeError("DataLoader(): pinMemoryDevice is not supported (no pinned host memory)");
    if (options.workerInitFn) {
      throw new TypeError("DataLoader(): workerInitFn is not supported: worker threads cannot run the main thread's functions; set up in the dataset's constructor (workerSource) instead");
    }
    if (options.multiprocessingContext !== null && options.multiprocessingContext !== undefined) {
      throw new TypeError("DataLoader(): multiprocessingContext is not supported: workers are threads");
    }
    this.timeout = options.timeout ?? 0;
    if (!(this.timeout >= 0)) throw new RangeError("DataLoader(): timeout option should be non-negative");
    const mapStyle = isMapDataset(dataset);
    if (!mapStyle && typeof (dataset as Iterable<T>)?.[Symbol.iterator] !== "function") {
      throw new TypeError(`DataLoader: expected a dataset (getItem + length), an array or an iterable, got ${describe(dataset)}`);
    }
    this.batchSize = options.batchSize === undefined ? 1 : options.batchSize;
    this.dropLast = options.dropLast ?? false;
    this.collateFn = options.collateFn ?? null;
    this.numWorkers = options.numWorkers ?? 0;
    this.prefetchFactor = options.prefetchFactor ?? 2;
    if (!Number.isInteger(this.numWorkers) || this.numWorkers < 0) {
      throw new RangeError("num_workers option should be non-negative; use numWorkers: 0 to load on the main thread");
    }
    if (this.timeout > 0 && this.numWorkers === 0) {
      throw new TypeError("DataLoader(): timeout bounds waiting for worker threads; it needs numWorkers > 0 (as in PyTorch)");
    }
    if (options.generator && options.seed !== undefined) throw new TypeError("DataLoader: give generator or seed, not both");
    this.generator = options.generator ?? (options.seed !== undefined ? new Generator().manualSeed(options.seed) : null);
    if (this.batchSize !== null && (!Number.isInteger(this.batchSize) || this.batchSize <= 0)) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${String(this.batchSize)}`);
    }

    if (!mapStyle) {
      if (options.shuffle) throw new TypeError(`DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${options.shuffle}`);
      if (options.sampler) throw new TypeError("DataLoader with IterableDataset: expected unspecified sampler option");
      if (options.batchSampler) throw new TypeError("DataLoader with IterableDataset: expected unspecified batch_sampler option");
      if (this.numWorkers > 0) throw new TypeError("DataLoader: worker threads need a map-style dataset");
      this.sampler = null;
      this.batchSampler = null;
      return;
    }
    if (options.sampler && options.shuffle) throw new TypeError("sampler option is mutually exclusive with shuffle");
    if (options.batchSampler) {
      if (options.batchSize !== undefined && options.batchSize !== 1) throw new TypeError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
      if (options.shuffle || options.sampler || options.dropLast) {
        throw new TypeError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
      }
      this.batchSize = null;
      this.batchSampler = options.batchSampler;
      this.sampler = options.batchSampler.sampler ?? null;
    } else {
      const ds = dataset as DatasetLike<T>;
      this.sampler = options.sampler
        ? (options.sampler as SamplerLike)
        : options.shuffle
          ? new RandomSampler(ds, { generator: this.generator })
          : new SequentialSampler({ dataSource: ds }); // by name: a dataset may itself be a plain object
      this.batchSampler = this.batchSize === null ? null : new BatchSampler(this.sampler, this.batchSize, this.dropLast);
    }
  }

  /** The number of batches per epoch (map-style datasets). */
  get length(): number {
    if (this.batchSampler) {
      const n = this.batchSampler.length;
      if (n === undefined) throw new TypeError("DataLoader: the batch sampler has no length");
      return n;
    }
    if (this.sampler) {
      const n = this.sampler.length;
      if (n === undefined) throw new TypeError("DataLoader: the sampler has no length");
      return n;
    }
    throw new TypeError("DataLoader: an iterable dataset has no length");
  }

  /** The current epoch (0-based): the number of passes started before the current one. */
  get epoch(): number {
    return this.inEpoch ? this.epochsStarted - 1 : this.epochsStarted;
  }

  [Symbol.iterator](): Iterator<B> {
    return this.iterate();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    yield* this.iterate();
  }

  private *iterate(): IterableIterator<B> {
    const resume = this.resume;
    this.resume = null;
    if (resume) {
      if (resume.generator_state && this.generator) this.generator.setState(resume.generator_state);
      if (resume.sampler_state) this.indexSamplerStateful()?.loadStateDict?.(resume.sampler_state);
      this.epochsStarted = resume.epoch;
    }
    this.epochStart = this.captureStart();
    this.epochsStarted++;
    this.inEpoch = true;
    this.position = 0;
    // PyTorch draws a base seed from the loader's generator before the sampler's first draw
    const baseSeed = (empty([], { dtype: "int64" }).random_({ generator: this.generator }).toTypedArray() as BigInt64Array)[0]!;
    const skip = resume?.position ?? 0;
    let completed = false;
    try {
      if (!this.sampler && !this.batchSampler) yield* this.iterateStream(skip);
      else if (this.numWorkers > 0) yield* this.iterateWorkers(skip, baseSeed);
      else {
        let k = 0;
        for (const indices of this.indexBatches()) {
          if (k++ < skip) continue;
          const batch = this.fetch(indices);
          this.position++;
          yield batch;
        }
      }
      completed = true;
    } finally {
      if (completed) this.inEpoch = false;
    }
  }

  /** The sampler whose state decides an epoch's order. */
  private indexSamplerStateful(): SamplerLike | null {
    return this.sampler;
  }

  private captureStart(): EpochStart {
    return {
      generator: this.generator ? this.generator.getState() : null,
      sampler: this.indexSamplerStateful()?.stateDict?.() ?? null,
    };
  }

  /** Index lists per item to load: batches, or single indices without automatic batching. */
  private *indexBatches(): IterableIterator<number[]> {
    if (this.batchSampler) {
      for (const b of this.batchSampler) yield b;
    } else {
      for (const i of this.sampler!) yield [i];
    }
  }

  private fetch(indices: number[]): B {
    const ds = this.dataset as DatasetLike<T>;
    if (this.batchSize === null && !this.batchSampler) {
      const sample = getItem(ds, indices[0]!);
      return this.collateFn ? this.collateFn([sample]) : defaultConvert<B>(sample);
    }
    // a TensorDataset batch by index_select: what stacking its rows would give, in one op per tensor
    if (!this.collateFn && ds instanceof TensorDataset) return ds.getBatch(indices) as B;
    const samples = indices.map((i) => getItem(ds, i));
    return this.collateFn ? this.collateFn(samples) : defaultCollate<B>(samples);
  }

  private *iterateStream(skip: number): IterableIterator<B> {
    const it = (this.dataset as Iterable<T>)[Symbol.iterator]();
    const size = this.batchSize;
    let k = 0;
    const emit = (samples: T[]): B =>
      this.collateFn ? this.collateFn(samples) : size === null ? defaultConvert<B>(samples[0]) : defaultCollate<B>(samples);
    for (;;) {
      const samples: T[] = [];
      const n = size ?? 1;
      while (samples.length < n) {
        const r = it.next();
        if (r.done) break;
        samples.push(r.value);
      }
      if (samples.length === 0 || (samples.length < n && this.dropLast)) return;
      if (k++ >= skip) {
        this.position++;
        yield emit(samples);
      }
      if (samples.length < n) return;
    }
  }

  private *iterateWorkers(skip: number, baseSeed: bigint): IterableIterator<B> {
    this.pool ??= new WorkerPool(this.workerSourceOf(), this.options.workerCollate, this.numWorkers, this.options.workerResourceLimits);
    const pool = this.pool;
    const single = this.batchSize === null && !this.batchSampler;
    const source = this.indexBatches();
    let k = 0;
    // task ids run on across epochs, so results of an abandoned epoch are told apart
    const first = pool.nextId;
    let exhausted = false;
    const sendOne = (): void => {
      for (;;) {
        const r = source.next();
        if (r.done) {
          exhausted = true;
          return;
        }
        if (k++ < skip) continue;
        pool.send({ indices: r.value, single, seed: pool.nextId - first < pool.size ? baseSeed : undefined });
        return;
      }
    };
    let nextToYield = first;
    while (!exhausted && pool.nextId - nextToYield < this.prefetchFactor * pool.size) sendOne();
    while (nextToYield < pool.nextId) {
      let batch: unknown;
      try {
        batch = pool.receive(nextToYield, this.timeout);
      } catch (e) {
        // a dead or stuck worker leaves the pool unusable: the next epoch starts fresh threads
        if (e instanceof DataLoaderWorkerError) this.close();
        throw e;
      }
      nextToYield++;
      if (!exhausted) sendOne();
      const out = single ? defaultConvert<B>(batch) : this.collateFn ? this.collateFn(materialize(batch) as T[]) : (materialize(batch) as B);
      this.position++;
      yield out;
    }
  }

  private workerSourceOf(): WorkerSource {
    const fromDataset = (this.dataset as { workerSource?: () => WorkerSource }).workerSource;
    const source = this.options.workerSource ?? (typeof fromDataset === "function" ? fromDataset.call(this.dataset) : undefined);
    if (!source) {
      throw new TypeError(
        "DataLoader: numWorkers > 0 needs to know how a worker thread builds the dataset: give workerSource " +
          "({ module, exportName, args }) or implement dataset.workerSource()",
      );
    }
    return source;
  }

  /**
   * Where the loader stands: the epoch, the batches yielded in it, and the generator and sampler
   * states its order came from. `loadStateDict` makes the next pass replay that epoch from the
   * next batch (bitwise, when shuffling draws from `generator`/`seed`).
   */
  stateDict(): DataLoaderStateDict {
    if (this.inEpoch && this.epochStart) {
      return {
        epoch: this.epochsStarted - 1,
        position: this.position,
        generator_state: this.epochStart.generator,
        sampler_state: this.epochStart.sampler,
      };
    }
    const now = this.captureStart();
    return { epoch: this.epochsStarted, position: 0, generator_state: now.generator, sampler_state: now.sampler };
  }

  loadStateDict(state: DataLoaderStateDict): void {
    if (typeof state !== "object" || state === null || typeof state.epoch !== "number" || typeof state.position !== "number") {
      throw new TypeError("DataLoader.loadStateDict(): expected { epoch, position, generator_state, sampler_state }");
    }
    this.resume = { ...state };
    this.epochsStarted = state.epoch;
    this.inEpoch = false;
  }

  /** Stops the worker threads (they are also stopped when the process exits). */
  close(): void {
    this.pool?.close();
    this.pool = null;
  }
}

