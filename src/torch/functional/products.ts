// torch.tensordot, torch.chain_matmul and torch.cdist: Python's wrappers (torch/functional.py).
import { Tensor, describe } from "../tensor/tensor.js";
import { bindArgs } from "../binding/index.js";
import { atenTensor, tensorList } from "./raw.js";

/** tensordot's `dims`: how many trailing/leading dimensions, or the two lists of dimensions. */
export type TensordotDims = number | readonly [readonly number[], readonly number[]] | Tensor;

function contractedDims(dims: unknown): [number[], number[]] {
  const leading = (n: number): [number[], number[]] => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`tensordot(): expects dims >= 0, but got dims=${n}`);
    return [Array.from({ length: n }, (_, i) => i - n), Array.from({ length: n }, (_, i) => i)];
  };
  if (typeof dims === "number") return leading(dims);
  if (dims instanceof Tensor) {
    if (dims.numel() > 1) {
      const [a, b] = dims.toArray() as number[][];
      return [a!, b!];
    }
    return leading(Number(dims.item()));
  }
  if (Array.isArray(dims) && dims.length === 2 && dims.every((d) => Array.isArray(d) || typeof d === "number")) {
    const [a, b] = dims as [number[] | number, number[] | number];
    return [typeof a === "number" ? [a] : [...a], typeof b === "number" ? [b] : [...b]];
  }
  throw new TypeError(
    `tensordot(): expects dims to be an integer, a Tensor or two lists of integers, but got ${describe(dims)}`,
  );
}

/**
 * Contracts `a` and `b` over the given dimensions (a generalised matrix product).
 *
 * Args:
 *   a, b: the tensors.
 *   dims: an integer d (the last d dimensions of `a` with the first d of `b`; default 2) or two
 *     lists of dimensions.
 *   out (option): the tensor to write into.
 *
 * @example
 * torch.tensordot(a, b, 1);              // a @ b for matrices
 * torch.tensordot(a, b, [[1, 0], [0, 1]]);
 */
export function tensordot(
  ...args: [a: Tensor, b: Tensor, dims?: TensordotDims, options?: { out?: Tensor | null }] | [a: Tensor, b: Tensor, options: { dims?: TensordotDims; out?: Tensor | null }]
): Tensor {
  const a = bindArgs<{ a: Tensor; b: Tensor; dims: unknown; out: Tensor | null }>("torch.tensordot", args);
  const [dimsA, dimsB] = contractedDims(a.dims);
  return a.out ? atenTensor("tensordot", a.a, a.b, dimsA, dimsB, { out: a.out }) : atenTensor("tensordot", a.a, a.b, dimsA, dimsB);
}

/**
 * The matrix product of N 2-d tensors, in the order that needs the fewest multiplications.
 * (Deprecated in PyTorch for `torch.linalg.multi_dot`.)
 *
 * @example
 * torch.chainMatmul(a, b, c);
 */
export function chainMatmul(...args: Tensor[] | [...matrices: Tensor[], options: { out?: Tensor | null }]): Tensor {
  const a = bindArgs<{ matrices: unknown[]; out: Tensor | null }>("torch.chain_matmul", args);
  const matrices = tensorList("chainMatmul", a.matrices);
  return a.out ? atenTensor("chain_matmul", matrices, { out: a.out }) : atenTensor("chain_matmul", matrices);
}

const COMPUTE_MODES: Record<string, number | null> = {
  use_mm_for_euclid_dist_if_necessary: null,
  use_mm_for_euclid_dist: 1,
  donot_use_mm_for_euclid_dist: 2,
};

/**
 * The p-norm distance between each pair of rows of `x1` and `x2`.
 *
 * Args:
 *   x1: [B, P, M]; x2: [B, R, M]; p (2); computeMode (`"use_mm_for_euclid_dist_if_necessary"`).
 *
 * Shape: [B, P, R].
 *
 * @example
 * torch.cdist(a, b, 1);
 */
export function cdist(
  ...args: [x1: Tensor, x2: Tensor, p?: number, computeMode?: string] | [x1: Tensor, x2: Tensor, options: { p?: number; computeMode?: string }]
    | [x1: Tensor, x2: Tensor, p: number, options: { computeMode?: string }]
): Tensor {
  const a = bindArgs<{ x1: Tensor; x2: Tensor; p: number; computeMode: string }>("torch.cdist", args);
  if (!Object.prototype.hasOwnProperty.call(COMPUTE_MODES, a.computeMode)) {
    throw new TypeError(`cdist(): ${a.computeMode} is not a valid value for computeMode`);
  }
  return atenTensor("cdist", a.x1, a.x2, a.p, COMPUTE_MODES[a.computeMode]);
}
