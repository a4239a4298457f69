// torch.block_diag, torch.cartesian_prod and torch.atleast_{1,2,3}d: Python's varargs wrappers.
import type { Tensor } from "../tensor/tensor.js";
import { atenTensor, atenTensors, tensorList } from "./raw.js";

/**
 * A block diagonal matrix from the given tensors (0-d, 1-d or 2-d).
 *
 * @example
 * torch.blockDiag(torch.ones(2, 2), torch.tensor([[5]])); // 3x3
 */
export function blockDiag(...tensors: Tensor[] | [readonly Tensor[]]): Tensor {
  return atenTensor("block_diag", tensorList("blockDiag", tensors));
}

/**
 * The cartesian product of 1-d tensors, as rows (`itertools.product`).
 *
 * Shape: N tensors of sizes s1..sN give [s1 * ... * sN, N] (one tensor gives itself).
 *
 * @example
 * torch.cartesianProd(torch.tensor([1, 2]), torch.tensor([3, 4])); // [[1,3],[1,4],[2,3],[2,4]]
 */
export function cartesianProd(...tensors: Tensor[] | [readonly Tensor[]]): Tensor {
  return atenTensor("cartesian_prod", tensorList("cartesianProd", tensors));
}

function atleast(name: string, fn: string, args: unknown[]): Tensor | Tensor[] {
  if (args.length === 1 && !Array.isArray(args[0])) return atenTensor(name, tensorList(fn, args)[0]);
  return atenTensors(name, tensorList(fn, args));
}

/**
 * Views with at least one dimension: one tensor gives a tensor, several (or an array) a list.
 *
 * @example
 * torch.atleast1d(torch.tensor(1.5)).shape; // [1]
 */
export function atleast1d(tensor: Tensor): Tensor;
export function atleast1d(...tensors: Tensor[] | [readonly Tensor[]]): Tensor[];
export function atleast1d(...tensors: unknown[]): Tensor | Tensor[] {
  return atleast("atleast_1d", "atleast1d", tensors);
}

/** Views with at least two dimensions; as `atleast1d`. @example torch.atleast2d(x) */
export function atleast2d(tensor: Tensor): Tensor;
export function atleast2d(...tensors: Tensor[] | [readonly Tensor[]]): Tensor[];
export function atleast2d(...tensors: unknown[]): Tensor | Tensor[] {
  return atleast("atleast_2d", "atleast2d", tensors);
}

/** Views with at least three dimensions; as `atleast1d`. @example torch.atleast3d(x) */
export function atleast3d(tensor: Tensor): Tensor;
export function atleast3d(...tensors: Tensor[] | [readonly Tensor[]]): Tensor[];
export function atleast3d(...tensors: unknown[]): Tensor | Tensor[] {
  return atleast("atleast_3d", "atleast3d", tensors);
}
