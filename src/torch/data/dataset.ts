// Datasets (torch.utils.data.Dataset and friends): a map-style dataset is anything with
// `getItem(index)` and `length` (Python's `__getitem__` and `__len__`); an iterable-style one is
// anything iterable. Plain arrays are map-style datasets too.
import { Tensor, describe } from "../tensor/tensor.js";
import { tensor } from "../tensor/creation.js";
import { bindArgs, type Param, type PyArgs } from "../binding/index.js";
import "../generated/methods.js";

/** What DataLoader, samplers and `randomSplit` accept as a map-style dataset. */
export interface MapDataset<T> {
  getItem(index: number): T;
  readonly length: number;
}

/** A map-style dataset or an array of samples. */
export type DatasetLike<T> = MapDataset<T> | readonly T[];

/** The base class of map-style datasets: implement `getItem(index)` and `length`. */
export abstract class Dataset<T> implements MapDataset<T> {
  abstract getItem(index: number): T;
  abstract get length(): number;
}

/** The base class of iterable-style datasets (streams): implement `[Symbol.iterator]`. */
export abstract class IterableDataset<T> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
}

/**
 * Iterable datasets one after another (torch.utils.data.ChainDataset), read lazily: each is
 * iterated only when the one before it is exhausted.
 *
 * @param datasets - iterable datasets (anything iterable)
 * @example
 * const stream = new data.ChainDataset([partA, partB]);
 */
export class ChainDataset<T> extends IterableDataset<T> {
  readonly datasets: Iterable<Iterable<T>>;
  constructor(...args: PyArgs<[Param<"datasets", Iterable<Iterable<T>>, false>]>) {
    super();
    const { datasets } = bindArgs<{ datasets: Iterable<Iterable<T>> }>("torch.utils.data.ChainDataset", args);
    if (datasets === null || typeof datasets !== "object" || typeof (datasets as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new TypeError(`ChainDataset(): datasets must be an iterable of iterable datasets, got ${describe(datasets)}`);
    }
    this.datasets = datasets;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (const d of this.datasets) {
      if (d === null || typeof d !== "object" || typeof (d as Iterable<T>)[Symbol.iterator] !== "function") {
        throw new TypeError(`ChainDataset only supports IterableDataset, got ${describe(d)}`);
      }
      yield* d;
    }
  }
  /** The total length, when every dataset has one (Python's `__len__`). */
  get length(): number {
    let total = 0;
    for (const d of this.datasets) {
      const n = (d as { length?: unknown }).length;
      if (typeof n !== "number") throw new TypeError("ChainDataset: a dataset has no length");
      total += n;
    }
    return total;
  }
}

export function isMapDataset<T>(value: unknown): value is DatasetLike<T> {
  if (Array.isArray(value)) return true;
  return typeof value === "object" && value !== null && typeof (value as MapDataset<T>).getItem === "function" && typeof (value as MapDataset<T>).length === "number";
}

export function getItem<T>(dataset: DatasetLike<T>, index: number): T {
  if (Array.isArray(dataset)) return dataset[index] as T;
  return (dataset as MapDataset<T>).getItem(index);
}

/**
 * Samples are the i-th rows of each tensor (all tensors have the same first dimension):
 * `new TensorDataset(images, labels).getItem(i)` is `[images[i], labels[i]]`.
 */
export class TensorDataset<Ts extends Tensor[] = Tensor[]> extends Dataset<Ts> {
  readonly tensors: Ts;

  /**
   * @param tensors - tensors with the same size of dimension 0; sample i is `[t[i] for t of tensors]`
   *
   * @example
   * const ds = new data.TensorDataset(x, y);  // a Dataset<[Tensor, Tensor]>
   */
  constructor(...tensors: Ts) {
    super();
    bindArgs("torch.utils.data.TensorDataset", tensors);
    if (tensors.length === 0) throw new TypeError("TensorDataset needs at least one tensor");
    const n = tensors[0]!.size(0);
    if (tensors.some((t) => t.dim() === 0 || t.size(0) !== n)) throw new RangeError("Size mismatch between tensors");
    this.tensors = tensors;
  }

  getItem(index: number): Ts {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) throw new RangeError(`index ${index} is out of range for a dataset of ${n}`);
    return this.tensors.map((t) => t.select(0, index)) as Ts;
  }

  get length(): number {
    return this.tensors[0]!.size(0);
  }

  /** The rows at `indices` of each tensor, already batched (what default collation makes of them). */
  getBatch(indices: readonly number[]): Ts {
    const index = tensor(indices as number[], { dtype: "int64" });
    return this.tensors.map((t) => t.indexSelect(0, index)) as Ts;
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T> extends Dataset<T> {
  readonly dataset: DatasetLike<T>;
  readonly indices: readonly number[];
  /**
   * @param dataset - the whole dataset
   * @param indices - the indices of the samples to keep, in order
   */
  constructor(...args: PyArgs<[Param<"dataset", DatasetLike<T>, false>, Param<"indices", readonly number[], false>]>) {
    super();
    const a = bindArgs<{ dataset: DatasetLike<T>; indices: readonly number[] }>("torch.utils.data.Subset", args);
    this.dataset = a.dataset;
    this.indices = a.indices;
  }
  getItem(index: number): T {
    const i = this.indices[index];
    if (i === undefined) throw new RangeError(`index ${index} is out of range for a subset of ${this.indices.length}`);
    return getItem(this.dataset, i);
  }
  get length(): number {
    return this.indices.length;
  }
}

/** Several datasets end to end. */
export class ConcatDataset<T> extends Dataset<T> {
  readonly datasets: DatasetLike<T>[];
  private readonly ends: number[] = [];

  /**
   * @param datasets - the datasets, in order
   */
  constructor(...args: PyArgs<[Param<"datasets", readonly DatasetLike<T>[], false>]>) {
    super();
    const { datasets } = bindArgs<{ datasets: readonly DatasetLike<T>[] }>("torch.utils.data.ConcatDataset", args);
    if (datasets.length === 0) throw new TypeError("datasets should not be an empty iterable");
    this.datasets = [...datasets];
    let total = 0;
    for (const d of this.datasets) this.ends.push((total += d.length));
  }
  getItem(index: number): T {
    const n = this.length;
    if (index < 0) index += n;
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new RangeError(`index out of range for a dataset of ${n}`);
    let k = 0;
    while (this.ends[k]! <= index) k++;
    return getItem(this.datasets[k]!, index - (k === 0 ? 0 : this.ends[k - 1]!));
  }
  get length(): number {
    return this.ends[this.ends.length - 1]!;
  }
}
