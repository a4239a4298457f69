// torch.unravel_index (torch/functional.py, PyTorch 2.2+): flat indices to coordinates.
import { Tensor, describe } from "../tensor/tensor.js";
import { tensor } from "../tensor/creation.js";
import { bindArgs } from "../binding/index.js";
import { requireTorch2 } from "../since-version.js";
import { atenTensor, atenTensors } from "./raw.js";

/**
 * The coordinates in an array of `shape` of each flat index of `indices` (an integer tensor): one
 * int64 tensor per dimension, each of `indices`' shape.
 *
 * @example
 * torch.unravelIndex(torch.tensor([4, 1]), [2, 3]); // [tensor([1, 0]), tensor([1, 1])]
 */
export function unravelIndex(...args: unknown[]): Tensor[] {
  requireTorch2("torch.unravelIndex");
  const a = bindArgs<{ indices: Tensor; shape: unknown }>("torch.unravel_index", args);
  const indices = a.indices;
  if (!(indices instanceof Tensor)) throw new TypeError(`unravelIndex(): expected 'indices' to be a Tensor, got ${describe(indices)}`);
  const d = indices.dtype;
  if (d.startsWith("float") || d.startsWith("complex") || d === "bfloat16" || d === "bool") {
    throw new TypeError(`unravelIndex(): expected 'indices' to be integer dtype, but got ${d}`);
  }
  let shape: number[];
  if (typeof a.shape === "number") shape = [a.shape];
  else if (Array.isArray(a.shape)) shape = a.shape as number[];
  else throw new TypeError(`unravelIndex(): expected 'shape' to be int or sequence of ints, but got ${describe(a.shape)}`);
  for (const dim of shape) {
    if (typeof dim !== "number" || !Number.isInteger(dim)) throw new TypeError(`unravelIndex(): expected 'shape' sequence to only contain ints, but got ${describe(dim)}`);
  }
  if (shape.some((dim) => dim < 0)) throw new RangeError(`unravelIndex(): 'shape' cannot have negative values, but got (${shape.join(", ")})`);
  // coefs[i] = product of shape[i+1:]: the flat stride of dimension i.
  const coefs = shape.map((_, i) => shape.slice(i + 1).reduce((x, y) => x * y, 1));
  const device = indices.device;
  const divided = atenTensor("floor_divide", atenTensor("unsqueeze", indices, -1), tensor(coefs, { dtype: "int64", device }));
  const result = atenTensor("remainder", divided, tensor(shape, { dtype: "int64", device }));
  return atenTensors("unbind", result, -1);
}
