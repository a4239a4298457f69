// Datasets (torch.utils.data.Dataset and friends): a map-style dataset is anything with
// `getItem(index)` and `length` (Python's `__getitem__` and `__len__`); an iterable-style one is
// anything iterable. Plain arrays are map-style datasets too.
import { Tensor, describe } from "../tensor/tensor.js";
import { tensor } from "../tensor/creation.js";
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
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new TypeError("TensorDataset needs at least one tensor");
    for (const t of tensors) if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: expected Tensors, got ${describe(t)}`);
    const n = tensors[0]!.size(0);
    if (tensors.some((t) => t.dim() === 0 || t.size(0) !== n)) throw new RangeError("Size mismatch between tensors");
    this.tensors = tensors;
  }

  getItem(index: number): Tensor[] {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) throw new RangeError(`index ${index} is out of range for a dataset of ${n}`);
    return this.tensors.map((t) => t.select(0, index));
  }

  get length(): number {
    return this.tensors[0]!.size(0);
  }

  /** The rows at `indices` of each tensor, already batched (what default collation makes of them). */
  getBatch(indices: readonly number[]): Tensor[] {
    const index = tensor(indices as number[], { dtype: "int64" });
    return this.tensors.map((t) => t.indexSelect(0, index));
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T> extends Dataset<T> {
  constructor(
    readonly dataset: DatasetLike<T>,
    readonly indices: readonly number[],
  ) {
    super();
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

  constructor(datasets: readonly DatasetLike<T>[]) {
    super();
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
