// torch.split: Python's wrapper: chunks of one size or of the listed sizes.
import type { Tensor } from "../tensor/tensor.js";
import { bind, type ArgsOf } from "../binding/index.js";
import { atenTensors } from "./raw.js";

/**
 * Splits `tensor` into views along `dim`: chunks of `splitSizeOrSections` (the last smaller) or
 * of each listed size.
 *
 * @example
 * torch.split(torch.arange(10).reshape(5, 2), 2);      // sizes 2, 2, 1
 * torch.split(torch.arange(10).reshape(5, 2), [1, 4]); // sizes 1, 4
 */
export function split(...args: ArgsOf<"torch.split">): Tensor[] {
  const a = bind("torch.split", args);
  return atenTensors("split", a.tensor, a.splitSizeOrSections, a.dim);
}
