// The Python-level helpers of torch/functional.py (and torch's Python-level settings), under
// their public names; the raw ATen ops stay reachable as torch.ops.aten.<name>.
export { einsum, type Sublist } from "./einsum.js";
export { meshgrid } from "./meshgrid.js";
export { broadcastTensors, broadcastShapes } from "./broadcast.js";
export { blockDiag, cartesianProd, atleast1d, atleast2d, atleast3d } from "./combine.js";
export { tensordot, chainMatmul, cdist, type TensordotDims } from "./products.js";
export { split } from "./split.js";
export { norm, type NormOrder } from "./norm.js";
export { stft, istft } from "./stft.js";
export { unique, uniqueConsecutive, type UniqueOptions, type UniqueConsecutiveOptions } from "./unique.js";
export { lu } from "./lu.js";

/** The ATen ops whose public `torch.<name>` is a Python-level wrapper (torch.ops.aten.<name> is the op). */
export const PYTHON_LEVEL_WRAPPERS: readonly string[] = [
  "einsum", "meshgrid", "broadcast_tensors", "block_diag", "cartesian_prod", "atleast_1d", "atleast_2d", "atleast_3d",
  "tensordot", "chain_matmul", "cdist", "split", "norm", "stft", "istft", "unique_consecutive", "logspace", "randint_like",
];
