// randomSplit (torch.utils.data.random_split): non-overlapping random subsets of given lengths.
import { Generator } from "../ops/generator.js";
import { randperm } from "../generated/torch.js";
import { Subset, type DatasetLike } from "./dataset.js";
import { indicesOf } from "./sampler.js";
import { bindArgs, type Param, type PyArgs } from "../binding/index.js";

/**
 * Splits `dataset` into random non-overlapping subsets of the given lengths, or of fractions
 * summing to 1 (the remainder goes round-robin to the first subsets, as PyTorch does). The split
 * equals Python's for the same generator state.
 *
 * @example
 * const [train, val] = data.randomSplit(ds, [0.9, 0.1], new torch.Generator().manualSeed(42));
 */
export function randomSplit<T>(
  ...args: PyArgs<[Param<"dataset", DatasetLike<T>, false>, Param<"lengths", readonly number[], false>, Param<"generator", Generator | null, true>]>
): Subset<T>[] {
  const { dataset, lengths, generator } = bindArgs<{ dataset: DatasetLike<T>; lengths: readonly number[]; generator: Generator | null }>(
    "torch.utils.data.random_split",
    args,
  );
  const n = dataset.length;
  let sizes = [...lengths];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) < 1e-9 && total <= n) {
    sizes = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new RangeError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * frac);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new RangeError("randomSplit: lengths must be non-negative integers or fractions summing to 1");
  if (sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new RangeError("Sum of input lengths does not equal the length of the input dataset!");
  }
  // Python's default is the global generator (its table default names it)
  const order = indicesOf(randperm(n, { generator: generator instanceof Generator ? generator : null }));
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const size of sizes) {
    out.push(new Subset(dataset, order.slice(offset, offset + size)));
    offset += size;
  }
  return out;
}
