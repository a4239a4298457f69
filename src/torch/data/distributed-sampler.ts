// DistributedSampler (torch.utils.data.distributed.DistributedSampler): each rank gets its own
// disjoint share of the indices; all ranks shuffle alike (seed + epoch), so shares never overlap.
import { Generator } from "../ops/generator.js";
import { randperm } from "../generated/torch.js";
import { getNumProcesses, getRank } from "../distributed/process-group.js";
import { indicesOf, type SamplerLike } from "./sampler.js";
import { bindArgs, type Param, type PyArgs } from "../binding/index.js";

export interface DistributedSamplerOptions {
  /** The number of ranks (default: the world size of the distributed run, 1 outside one). */
  numReplicas?: number;
  /** This process's rank (default: its rank in the distributed run). */
  rank?: number;
  shuffle?: boolean;
  /** Must be the same on every rank (default 0). */
  seed?: number;
  /** Drop the tail so every rank gets the same count, instead of padding with repeated indices. */
  dropLast?: boolean;
}

/**
 * Splits a dataset among `numReplicas` ranks as PyTorch does: the (shuffled) index list is
 * padded by repeating its start (or cut, with `dropLast`) to a multiple of the rank count, and
 * rank r takes every numReplicas-th index from r. Call `setEpoch(epoch)` before each epoch to
 * change the shuffle; the orders equal Python's for the same seed and epoch.
 */
export class DistributedSampler implements SamplerLike {
  readonly numReplicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  epoch = 0;

  readonly dataset: { readonly length: number };

  /**
   * @param dataset - the dataset (anything with `length`)
   * @param numReplicas, rank, shuffle, seed, dropLast - positionally or by name (Python's order)
   */
  constructor(
    ...args: PyArgs<[
      Param<"dataset", { readonly length: number }, false>,
      Param<"numReplicas", number | null, true>,
      Param<"rank", number | null, true>,
      Param<"shuffle", boolean, true>,
      Param<"seed", number, true>,
      Param<"dropLast", boolean, true>,
    ]>
  ) {
    const options = bindArgs<{ dataset: { readonly length: number }; numReplicas: number | null; rank: number | null; shuffle: boolean; seed: number; dropLast: boolean }>(
      "torch.utils.data.DistributedSampler",
      args,
    );
    this.dataset = options.dataset;
    this.numReplicas = options.numReplicas ?? getNumProcesses();
    this.rank = options.rank ?? getRank();
    if (!Number.isInteger(this.rank) || this.rank >= this.numReplicas || this.rank < 0) {
      throw new RangeError(`Invalid rank ${this.rank}, rank should be in the interval [0, ${this.numReplicas - 1}]`);
    }
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? 0;
    this.dropLast = options.dropLast ?? false;
  }

  /** Indices per rank. */
  get numSamples(): number {
    const n = this.dataset.length;
    if (this.dropLast && n % this.numReplicas !== 0) return Math.ceil((n - this.numReplicas) / this.numReplicas);
    return Math.ceil(n / this.numReplicas);
  }
  get totalSize(): number {
    return this.numSamples * this.numReplicas;
  }
  get length(): number {
    return this.numSamples;
  }

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataset.length;
    let indices: number[];
    if (this.shuffle) {
      const g = new Generator().manualSeed(this.seed + this.epoch);
      indices = indicesOf(randperm(n, { generator: g }));
    } else indices = Array.from({ length: n }, (_, i) => i);
    const total = this.totalSize;
    if (!this.dropLast) {
      const padding = total - indices.length;
      if (padding <= indices.length) indices = indices.concat(indices.slice(0, padding));
      else {
        let repeated: number[] = [];
        for (let k = 0; k < Math.ceil(padding / indices.length); k++) repeated = repeated.concat(indices);
        indices = indices.concat(repeated.slice(0, padding));
      }
    } else indices = indices.slice(0, total);
    for (let i = this.rank; i < total; i += this.numReplicas) yield indices[i]!;
  }

  stateDict(): Record<string, unknown> {
    return { epoch: this.epoch, seed: this.seed };
  }
  loadStateDict(state: Record<string, unknown>): void {
    if (typeof state.epoch === "number") this.epoch = state.epoch;
  }
}
