// Samplers (torch.utils.data.Sampler): iterables of dataset indices. A sampler's `stateDict()`
// captures what the next pass depends on, so a DataLoader can replay an epoch after a restart.
import { Generator } from "../ops/generator.js";
import { randperm, multinomial } from "../generated/torch.js";
import { empty, tensor } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { bindArgs, type Param, type PyArgs } from "../binding/index.js";
import "../generated/methods.js";

/**
 * The base of samplers (torch.utils.data.Sampler): an iterable of dataset indices, with `length`
 * when known and optional resume state. Any object of this shape is a sampler.
 *
 * @example
 * class EvenSampler extends data.Sampler {
 *   constructor(readonly n: number) { super(); }
 *   *[Symbol.iterator]() { for (let i = 0; i < this.n; i += 2) yield i; }
 * }
 */
export abstract class Sampler<I = number> implements Iterable<I> {
  abstract [Symbol.iterator](): Iterator<I>;
}

/** What DataLoader takes as a sampler: indices, `length` when known, optional resume state. */
export interface SamplerLike extends Iterable<number> {
  readonly length?: number;
  stateDict?(): Record<string, unknown>;
  loadStateDict?(state: Record<string, unknown>): void;
  setEpoch?(epoch: number): void;
}

type Sized = { readonly length: number };

/** Anything iterable over batches of indices (DataLoader's `batchSampler` option). */
export interface BatchSamplerLike extends Iterable<number[]> {
  readonly length?: number;
  readonly sampler?: SamplerLike;
}

/** The indices of an int64 tensor as numbers. */
export function indicesOf(t: Tensor): number[] {
  const a = t.toTypedArray() as BigInt64Array;
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number(a[i]!);
  return out;
}

/** 0, 1, ..., n − 1. */
export class SequentialSampler implements SamplerLike {
  readonly dataSource: Sized;
  /**
   * @param dataSource - the dataset (anything with `length`)
   */
  constructor(...args: PyArgs<[Param<"dataSource", Sized, false>]>) {
    this.dataSource = bindArgs<{ dataSource: Sized }>("torch.utils.data.SequentialSampler", args).dataSource;
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    for (let i = 0; i < n; i++) yield i;
  }
  get length(): number {
    return this.dataSource.length;
  }
}

/**
 * A random permutation of the indices each pass (or `numSamples` draws with replacement), drawn
 * as PyTorch draws them: the same `generator` state gives the same order as Python's
 * RandomSampler. Without a generator, each pass seeds a fresh one from libtorch's default
 * generator, as PyTorch does.
 */
export class RandomSampler implements SamplerLike {
  readonly dataSource: Sized;
  readonly replacement: boolean;
  readonly generator: Generator | null;
  private readonly numSamplesOption?: number;

  /**
   * @param dataSource - the dataset (anything with `length`)
   * @param replacement - draw with replacement (default false)
   * @param numSamples - indices per pass (default the dataset's length)
   * @param generator - the generator to draw from (default: a fresh one seeded from the global generator each pass)
   */
  constructor(
    ...args: PyArgs<[Param<"dataSource", Sized, false>, Param<"replacement", boolean, true>, Param<"numSamples", number | null, true>, Param<"generator", Generator | null, true>]>
  ) {
    const a = bindArgs<{ dataSource: Sized; replacement: boolean; numSamples: number | null; generator: Generator | null }>("torch.utils.data.RandomSampler", args);
    this.dataSource = a.dataSource;
    this.replacement = a.replacement;
    this.generator = a.generator ?? null;
    this.numSamplesOption = a.numSamples ?? undefined;
    if (this.numSamplesOption !== undefined && (!Number.isInteger(this.numSamplesOption) || this.numSamplesOption <= 0)) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${this.numSamplesOption}`);
    }
  }

  get numSamples(): number {
    return this.numSamplesOption ?? this.dataSource.length;
  }
  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    let generator = this.generator;
    if (generator === null) {
      // the seed spans all of int64, so it stays a bigint (a number would round it)
      const seed = (empty([], { dtype: "int64" }).random_().toTypedArray() as BigInt64Array)[0]!;
      generator = new Generator().manualSeed(seed);
    }
    const total = this.numSamples;
    if (this.replacement) {
      // torch.randint(high=n, size, generator) is empty(size).random_(0, n, generator)
      const draw = (k: number): number[] => indicesOf(empty([k], { dtype: "int64" }).random_(0, n, { generator }));
      for (let i = 0; i < Math.floor(total / 32); i++) yield* draw(32);
      yield* draw(total % 32);
    } else {
      for (let i = 0; i < Math.floor(total / n); i++) yield* indicesOf(randperm(n, { generator }));
      yield* indicesOf(randperm(n, { generator })).slice(0, total % n);
    }
  }

  /** The generator's state now: the next pass draws its order from it. */
  stateDict(): Record<string, unknown> {
    return { generator_state: this.generator ? this.generator.getState() : null };
  }
  loadStateDict(state: Record<string, unknown>): void {
    const s = state.generator_state as Tensor | null | undefined;
    if (s && this.generator) this.generator.setState(s);
  }
}

/** A random permutation of the given indices each pass. */
export class SubsetRandomSampler implements SamplerLike {
  readonly indices: readonly number[];
  readonly generator: Generator | null;
  /**
   * @param indices - the indices to permute
   * @param generator - the generator to draw from (default the global one)
   */
  constructor(...args: PyArgs<[Param<"indices", readonly number[], false>, Param<"generator", Generator | null, true>]>) {
    const a = bindArgs<{ indices: readonly number[]; generator: Generator | null }>("torch.utils.data.SubsetRandomSampler", args);
    this.indices = a.indices;
    this.generator = a.generator ?? null;
  }
  *[Symbol.iterator](): Iterator<number> {
    const order = indicesOf(randperm(this.indices.length, { generator: this.generator }));
    for (const i of order) yield this.indices[i]!;
  }
  get length(): number {
    return this.indices.length;
  }
  stateDict(): Record<string, unknown> {
    return { generator_state: this.generator ? this.generator.getState() : null };
  }
  loadStateDict(state: Record<string, unknown>): void {
    const s = state.generator_state as Tensor | null | undefined;
    if (s && this.generator) this.generator.setState(s);
  }
}

/** Indices drawn with probabilities proportional to `weights`. */
export class WeightedRandomSampler implements SamplerLike {
  readonly weights: Tensor;
  readonly numSamples: number;
  readonly replacement: boolean;
  readonly generator: Generator | null;
  /**
   * @param weights - a weight per index (need not sum to 1)
   * @param numSamples - indices per pass
   * @param replacement - draw with replacement (default true)
   * @param generator - the generator to draw from (default the global one)
   */
  constructor(
    ...args: PyArgs<[Param<"weights", readonly number[] | Tensor, false>, Param<"numSamples", number, false>, Param<"replacement", boolean, true>, Param<"generator", Generator | null, true>]>
  ) {
    const a = bindArgs<{ weights: readonly number[] | Tensor; numSamples: number; replacement: boolean; generator: Generator | null }>("torch.utils.data.WeightedRandomSampler", args);
    const { weights, numSamples } = a;
    this.numSamples = numSamples;
    this.replacement = a.replacement;
    this.generator = a.generator ?? null;
    if (!Number.isInteger(numSamples) || numSamples <= 0) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${numSamples}`);
    }
    this.weights = Array.isArray(weights) ? tensor(weights as number[], { dtype: "float64" }) : (weights as Tensor);
  }
  *[Symbol.iterator](): Iterator<number> {
    yield* indicesOf(multinomial(this.weights, this.numSamples, this.replacement, { generator: this.generator }));
  }
  get length(): number {
    return this.numSamples;
  }
}

/** Groups another sampler's indices into batches of `batchSize` (the last one smaller unless `dropLast`). */
export class BatchSampler implements BatchSamplerLike {
  readonly sampler: SamplerLike;
  readonly batchSize: number;
  readonly dropLast: boolean;
  /**
   * @param sampler - the indices to group
   * @param batchSize - indices per batch
   * @param dropLast - drop the last batch when it is incomplete (required in Python; default false here)
   */
  constructor(...args: PyArgs<[Param<"sampler", SamplerLike, false>, Param<"batchSize", number, false>, Param<"dropLast", boolean, true>]>) {
    const a = bindBatchSampler(args);
    this.sampler = a.sampler as SamplerLike;
    this.batchSize = a.batchSize;
    this.dropLast = a.dropLast;
    const batchSize = this.batchSize;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${batchSize}`);
    }
  }
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
  get length(): number {
    const n = this.sampler.length;
    if (n === undefined) throw new TypeError("this sampler has no length");
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }
}

/** BatchSampler's `drop_last` has no default in Python; ours defaults to false (a listed deviation). */
function bindBatchSampler(args: ArrayLike<unknown>): { sampler: SamplerLike; batchSize: number; dropLast: boolean } {
  const list = Array.from(args);
  const last = list[list.length - 1];
  const hasOptions = typeof last === "object" && last !== null && Object.getPrototypeOf(last) === Object.prototype;
  const positional = hasOptions ? list.length - 1 : list.length;
  if (positional < 3 && !(hasOptions && "dropLast" in (last as object))) {
    if (hasOptions) list[list.length - 1] = { dropLast: false, ...(last as object) };
    else list.push(...Array(Math.max(0, 2 - positional)).fill(undefined), { dropLast: false });
  }
  return bindArgs("torch.utils.data.BatchSampler", list);
}
