// torch.unique and torch.unique_consecutive: Python's wrappers, returning the output alone or
// with the inverse indices and/or counts asked for.
import type { Tensor } from "../tensor/tensor.js";
import { bindArgs } from "../binding/index.js";
import { atenTensors } from "./raw.js";

/** Options of `unique`. */
export interface UniqueOptions {
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}
/** Options of `uniqueConsecutive`. */
export type UniqueConsecutiveOptions = Omit<UniqueOptions, "sorted">;

type Flags = { returnInverse: boolean; returnCounts: boolean };

function pick([output, inverse, counts]: Tensor[], a: Flags): Tensor | Tensor[] {
  if (a.returnInverse && a.returnCounts) return [output!, inverse!, counts!];
  if (a.returnInverse) return [output!, inverse!];
  if (a.returnCounts) return [output!, counts!];
  return output!;
}

/**
 * The unique elements of `input` (or unique slices along `dim`), sorted by default; with
 * `returnInverse` the index of each input element in the output, with `returnCounts` how often
 * each occurs. Returns the output alone, or `[output, inverse?, counts?]`.
 *
 * @example
 * torch.unique(torch.tensor([3, 1, 3]));                                  // [1, 3]
 * const [u, inverse, counts] = torch.unique(x, { returnInverse: true, returnCounts: true });
 */
export function unique(input: Tensor, options: UniqueOptions & { returnInverse: true; returnCounts: true }): [Tensor, Tensor, Tensor];
export function unique(input: Tensor, options: UniqueOptions & { returnInverse: true; returnCounts?: false }): [Tensor, Tensor];
export function unique(input: Tensor, options: UniqueOptions & { returnInverse?: false; returnCounts: true }): [Tensor, Tensor];
export function unique(input: Tensor, options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(
  input: Tensor,
  sorted?: boolean,
  returnInverse?: boolean,
  returnCounts?: boolean,
  dim?: number | null,
): Tensor | Tensor[];
export function unique(...args: unknown[]): Tensor | Tensor[] {
  const a = bindArgs<{ input: Tensor; sorted: boolean; dim: number | null } & Flags>("torch.unique", args);
  const flags = { sorted: a.sorted, returnInverse: a.returnInverse, returnCounts: a.returnCounts };
  const result =
    a.dim === null ? atenTensors("_unique2", a.input, flags) : atenTensors("unique_dim", a.input, a.dim, flags);
  return pick(result, a);
}

/**
 * Keeps the first element of each run of equal consecutive elements (or slices along `dim`);
 * `returnInverse` and `returnCounts` as in `unique`.
 *
 * @example
 * torch.uniqueConsecutive(torch.tensor([1, 1, 2, 2, 3, 1])); // [1, 2, 3, 1]
 */
export function uniqueConsecutive(input: Tensor, options: UniqueConsecutiveOptions & { returnInverse: true; returnCounts: true }): [Tensor, Tensor, Tensor];
export function uniqueConsecutive(input: Tensor, options: UniqueConsecutiveOptions & { returnInverse: true; returnCounts?: false }): [Tensor, Tensor];
export function uniqueConsecutive(input: Tensor, options: UniqueConsecutiveOptions & { returnInverse?: false; returnCounts: true }): [Tensor, Tensor];
export function uniqueConsecutive(input: Tensor, options?: UniqueConsecutiveOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function uniqueConsecutive(input: Tensor, returnInverse?: boolean, returnCounts?: boolean, dim?: number | null): Tensor | Tensor[];
export function uniqueConsecutive(...args: unknown[]): Tensor | Tensor[] {
  const a = bindArgs<{ input: Tensor; dim: number | null } & Flags>("torch.unique_consecutive", args);
  const result = atenTensors("unique_consecutive", a.input, {
    returnInverse: a.returnInverse,
    returnCounts: a.returnCounts,
    dim: a.dim,
  });
  return pick(result, a);
}
