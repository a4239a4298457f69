// torch.utils.data.StackDataset (PyTorch 2.1+): several datasets of one length read side by side.
import { bindArgs } from "../binding/index.js";
import { requireTorch2 } from "../since-version.js";
import { Dataset, getItem, isMapDataset, type DatasetLike } from "./dataset.js";

function lengthOf(dataset: DatasetLike<unknown>): number {
  return dataset.length;
}

/**
 * Datasets of the same length stacked: sample i is the i-th sample of each, as an array
 * (datasets given positionally) or an object keyed as they were given (by name).
 *
 * @example
 * const ds = new data.StackDataset(images, texts);            // getItem(i): [image, text]
 * const named = new data.StackDataset({ image: images, text: texts }); // getItem(i): { image, text }
 */
export class StackDataset<T = unknown> extends Dataset<T> {
  readonly datasets: readonly DatasetLike<unknown>[] | Readonly<Record<string, DatasetLike<unknown>>>;
  private readonly size: number;

  constructor(...args: unknown[]) {
    super();
    requireTorch2("data.StackDataset");
    const a = bindArgs<{ args: unknown[]; kwargs: Record<string, unknown> }>("torch.utils.data.StackDataset", args);
    const named = Object.keys(a.kwargs).length > 0;
    if (a.args.length > 0 && named) {
      throw new TypeError("StackDataset(): Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like input/output, but both types are given.");
    }
    const datasets = named ? Object.values(a.kwargs) : a.args;
    if (datasets.length === 0) throw new TypeError("StackDataset(): At least one dataset should be passed");
    for (const d of datasets) {
      if (!isMapDataset(d)) throw new TypeError("StackDataset(): each dataset must be map-style (getItem(index) and length) or an array");
    }
    this.size = lengthOf(datasets[0] as DatasetLike<unknown>);
    if (datasets.some((d) => lengthOf(d as DatasetLike<unknown>) !== this.size)) throw new RangeError("StackDataset(): Size mismatch between datasets");
    this.datasets = named ? (a.kwargs as Record<string, DatasetLike<unknown>>) : (a.args as DatasetLike<unknown>[]);
  }

  getItem(index: number): T {
    if (Array.isArray(this.datasets)) return (this.datasets as DatasetLike<unknown>[]).map((d) => getItem(d, index)) as T;
    const out: Record<string, unknown> = {};
    for (const [key, d] of Object.entries(this.datasets as Record<string, DatasetLike<unknown>>)) out[key] = getItem(d, index);
    return out as T;
  }

  get length(): number {
    return this.size;
  }
}
