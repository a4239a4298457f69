// Samplers (torch.utils.data.Sampler): iterables of dataset indices. A sampler's `stateDict()`
// captures what the next pass depends on, so a DataLoader can replay an epoch after a restart.
import { Generator } from "../ops/generator.js";
import { randperm, multinomial } from "../generated/torch.js";
import { empty, tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import "../generated/methods.js";

/** Anything iterable over indices; `length` when known; optional resume state. */
export interface Sampler extends Iterable<number> {
  readonly length?: number;
  stateDict?(): Record<string, unknown>;
  loadStateDict?(state: Record<string, unknown>): void;
  setEpoch?(epoch: number): void;
}

/** Anything iterable over batches of indices (DataLoader's `batchSampler` option). */
export interface BatchSamplerLike extends Iterable<number[]> {
  readonly length?: number;
  readonly sampler?: Sampler;
}

/** The indices of an int64 tensor as numbers. */
export function indicesOf(t: Tensor): number[] {
  const a = t.toTypedArray() as BigInt64Array;
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number(a[i]!);
  return out;
}

/** 0, 1, ..., n − 1. */
export class SequentialSampler implements Sampler {
  constructor(readonly dataSource: { readonly length: number }) {}
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
export class RandomSampler implements Sampler {
  readonly replacement: boolean;
  readonly generator: Generator | null;
  private readonly numSamplesOption?: number;

  constructor(
    readonly dataSource: { readonly length: number },
    options: { replacement?: boolean; numSamples?: number; generator?: Generator | null } = {},
  ) {
    this.replacement = options.replacement ?? false;
    this.generator = options.generator ?? null;
    this.numSamplesOption = options.numSamples;
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
      const seed = empty([], { dtype: "int64" }).random_().item();
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
export class SubsetRandomSampler implements Sampler {
  constructor(
    readonly indices: readonly number[],
    readonly generator: Generator | null = null,
  ) {}
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
export class WeightedRandomSampler implements Sampler {
  readonly weights: Tensor;
  constructor(
    weights: readonly number[] | Tensor,
    readonly numSamples: number,
    readonly options: { replacement?: boolean; generator?: Generator | null } = {},
  ) {
    if (!Number.isInteger(numSamples) || numSamples <= 0) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${numSamples}`);
    }
    this.weights = Array.isArray(weights) ? tensor(weights as number[], { dtype: "float64" }) : (weights as Tensor);
  }
  *[Symbol.iterator](): Iterator<number> {
    yield* indicesOf(multinomial(this.weights, this.numSamples, this.options.replacement ?? true, { generator: this.options.generator ?? null }));
  }
  get length(): number {
    return this.numSamples;
  }
}

/** Groups another sampler's indices into batches of `batchSize` (the last one smaller unless `dropLast`). */
export class BatchSampler implements BatchSamplerLike {
  constructor(
    readonly sampler: Sampler,
    readonly batchSize: number,
    readonly dropLast: boolean = false,
  ) {
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
