// How losses reduce over the batch: Python's reduction strings, and the legacy size_average/reduce
// pair that Python's losses still accept (torch/nn/_reduction.py).

/** How a loss reduces over the batch. */
export type Reduction = "none" | "mean" | "sum";

/** aten's reduction enum (at::Reduction). */
export function reductionEnum(reduction: string | undefined, fn: string): number {
  switch (reduction ?? "mean") {
    case "none":
      return 0;
    case "mean":
      return 1;
    case "sum":
      return 2;
    default:
      throw new Error(`${fn}: ${String(reduction)} is not a valid value for reduction ("none", "mean" or "sum")`);
  }
}

/**
 * The reduction a loss uses: `reduction`, unless the deprecated `sizeAverage` / `reduce` were given,
 * which decide it as Python's `_Reduction.legacy_get_string` does.
 */
export function lossReduction(sizeAverage: boolean | null, reduce: boolean | null, reduction: string, fn: string): number {
  if (sizeAverage === null && reduce === null) return reductionEnum(reduction, fn);
  const average = sizeAverage ?? true;
  const doReduce = reduce ?? true;
  return reductionEnum(average && doReduce ? "mean" : doReduce ? "sum" : "none", fn);
}
