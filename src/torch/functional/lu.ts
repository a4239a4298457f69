// torch.lu: Python's wrapper (torch/functional.py) over the LU factorisation with its infos.
import type { Tensor } from "../tensor/tensor.js";
import { bindArgs } from "../binding/index.js";
import { atenTensors } from "./raw.js";

/**
 * The LU factorisation of `A` (batches of matrices): `[LU, pivots]`, plus `infos` with
 * `getInfos` (then failures are reported in `infos` instead of thrown). Unpack with
 * `torch.luUnpack(LU, pivots)`. (PyTorch recommends torch.linalg.luFactor for new code.)
 *
 * @example
 * const [LU, pivots] = torch.lu(A);
 * const [P, L, U] = torch.luUnpack(LU, pivots);
 */
export function lu(A: Tensor, options: { pivot?: boolean; getInfos: true }): [Tensor, Tensor, Tensor];
export function lu(A: Tensor, options?: { pivot?: boolean; getInfos?: false }): [Tensor, Tensor];
export function lu(A: Tensor, pivot?: boolean, getInfos?: boolean): [Tensor, Tensor] | [Tensor, Tensor, Tensor];
export function lu(...args: unknown[]): [Tensor, Tensor] | [Tensor, Tensor, Tensor] {
  const a = bindArgs<{ A: Tensor; pivot: boolean; getInfos: boolean; out: unknown }>("torch.lu", args);
  if (a.out !== null && a.out !== undefined) throw new TypeError("lu(): the 'out' argument is not supported; use the returned tensors");
  const [LU, pivots, infos] = atenTensors("_lu_with_info", a.A, { pivot: a.pivot, checkErrors: !a.getInfos });
  return a.getInfos ? [LU!, pivots!, infos!] : [LU!, pivots!];
}
