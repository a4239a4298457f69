// fifteen's TensorboardLogData: scalars and histograms of one step, built up functionally (every
// method returns a new object) and written by `Experiment.log`.
import type { TensorLike } from "../core/providers.js";
import type { HistogramData } from "../recording/histogram.js";
import { toDense, type ArrayInput, type ScalarInput } from "../recording/values.js";

/** A scalar to log: one element (a number, a one-element tensor), or before `fixShardedScalars()` any array. */
export type LogScalar = ScalarInput | ArrayInput;
/** Histogram input: values (tensor, TypedArray, nested arrays, `{data, shape}`) or ready HistogramData. */
export type LogHistogram = ArrayInput | HistogramData;

export interface TensorboardLogDataInit {
  scalars?: Readonly<Record<string, LogScalar>>;
  histograms?: Readonly<Record<string, LogHistogram>>;
}

/**
 * Data structure for logging to TensorBoard: `scalars` and `histograms` by tag. Immutable.
 *
 * ```ts
 * const data = new TensorboardLogData({ scalars: { loss } }).mergeHistograms({ weights }).prefix("train/");
 * experiment.log(data, step, { logHistogramsEveryN: 100 });
 * ```
 */
export class TensorboardLogData {
  readonly scalars: Readonly<Record<string, LogScalar>>;
  readonly histograms: Readonly<Record<string, LogHistogram>>;

  constructor(init: TensorboardLogDataInit = {}) {
    this.scalars = frozenCopy(init.scalars ?? {}, "scalars");
    this.histograms = frozenCopy(init.histograms ?? {}, "histograms");
    Object.freeze(this);
  }

  /** Adds `prefix` to every tag (scoping, or folders in TensorBoard's scalar view: "train/"). */
  prefix(prefix: string): TensorboardLogData {
    if (typeof prefix !== "string") throw new Error("TensorboardLogData.prefix: the prefix must be a string");
    const rename = <V>(items: Readonly<Record<string, V>>): Record<string, V> =>
      Object.fromEntries(Object.entries(items).map(([tag, value]) => [prefix + tag, value]));
    return new TensorboardLogData({ scalars: rename(this.scalars), histograms: rename(this.histograms) });
  }

  /** Both structures' tags in one; a tag present in both is an error (as fifteen's `dict(**a, **b)`). */
  merge(other: TensorboardLogData): TensorboardLogData {
    if (!(other instanceof TensorboardLogData)) {
      throw new Error("TensorboardLogData.merge: expected a TensorboardLogData");
    }
    return new TensorboardLogData({
      scalars: union(this.scalars, other.scalars, "scalar"),
      histograms: union(this.histograms, other.histograms, "histogram"),
    });
  }

  mergeScalars(scalars: Readonly<Record<string, LogScalar>> = {}): TensorboardLogData {
    return this.merge(new TensorboardLogData({ scalars }));
  }

  mergeHistograms(histograms: Readonly<Record<string, LogHistogram>> = {}): TensorboardLogData {
    return this.merge(new TensorboardLogData({ histograms }));
  }

  /**
   * Replaces each scalar by the first element of its flattened value: a scalar gathered from
   * several devices or ranks (a multi-element tensor) becomes a plain number. Histograms are kept.
   */
  fixShardedScalars(): TensorboardLogData {
    const scalars = Object.fromEntries(Object.entries(this.scalars).map(([tag, value]) => [tag, firstElement(tag, value)]));
    return new TensorboardLogData({ scalars, histograms: this.histograms });
  }
}

function frozenCopy<V>(items: Readonly<Record<string, V>>, what: string): Readonly<Record<string, V>> {
  if (typeof items !== "object" || items === null || Array.isArray(items)) {
    throw new Error(`TensorboardLogData: ${what} must be an object of values by tag`);
  }
  return Object.freeze({ ...items });
}

function union<V>(a: Readonly<Record<string, V>>, b: Readonly<Record<string, V>>, what: string): Record<string, V> {
  for (const tag of Object.keys(b)) {
    if (Object.hasOwn(a, tag)) throw new Error(`TensorboardLogData.merge: ${what} tag '${tag}' is in both`);
  }
  return { ...a, ...b };
}

function firstElement(tag: string, value: LogScalar): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  const { values } = toDense(value as ArrayInput | TensorLike, `Scalar '${tag}'`);
  if (values.length === 0) throw new Error(`TensorboardLogData.fixShardedScalars: scalar '${tag}' is empty`);
  return values[0]!;
}
