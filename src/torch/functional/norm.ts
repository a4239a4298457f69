// torch.norm: Python's dispatch (torch/functional.py) over aten::frobenius_norm, nuclear_norm and norm.
import { Tensor, describe } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { bindArgs } from "../binding/index.js";
import { atenTensor } from "./raw.js";

/** The norm's order: a number (`Infinity` for the max norm), `"fro"` or `"nuc"`. */
export type NormOrder = number | "fro" | "nuc";

interface NormArgs {
  input: Tensor;
  p: NormOrder | null;
  dim: number | readonly number[] | null;
  keepdim: boolean;
  out: Tensor | null;
  dtype: DType | null;
}

/**
 * The matrix or vector norm of `input`, with Python's rules: `"fro"` (default) over all
 * elements or `dim`, `"nuc"` of matrices, a number p the vector p-norm over `dim` (all elements
 * when not given). (PyTorch recommends torch.linalg.norm for new code.)
 *
 * Args:
 *   input: the tensor. p ("fro"), dim (null), keepdim (false), out, dtype (options or positional).
 *
 * @example
 * torch.norm(x);               // Frobenius norm of all elements
 * torch.norm(x, 1, 0);         // column sums of |x|
 * torch.norm(x, "nuc");
 */
export function norm(
  ...args:
    | [input: Tensor, p?: NormOrder | null, dim?: number | readonly number[] | null, keepdim?: boolean, out?: Tensor | null, dtype?: DType | null]
    | [input: Tensor, options: Partial<Omit<NormArgs, "input">>]
    | [input: Tensor, p: NormOrder | null, options: Partial<Omit<NormArgs, "input" | "p">>]
    | [input: Tensor, p: NormOrder | null, dim: number | readonly number[] | null, options: Partial<Omit<NormArgs, "input" | "p" | "dim">>]
): Tensor {
  const a = bindArgs<NormArgs>("torch.norm", args);
  const { input, p, keepdim, out, dtype } = a;
  if (!(input instanceof Tensor)) throw new TypeError(`norm(): argument 'input' must be Tensor, not ${describe(input)}`);
  if (p !== null && typeof p !== "number" && typeof p !== "string") {
    throw new TypeError(`norm(): argument 'p' must be a number, "fro" or "nuc", not ${describe(p)}`);
  }
  const ndim = input.dim();
  const all = (): number[] => Array.from({ length: ndim }, (_, i) => i);
  const outOption = out ? { out } : {};
  if (a.dim === null && out === null && dtype === null && p !== null) {
    if (p === "fro") return atenTensor("frobenius_norm", input, [], { keepdim });
    if (typeof p === "number") return atenTensor("norm", input, p, all(), { keepdim });
  }
  let dim = a.dim === null ? null : typeof a.dim === "number" ? [a.dim] : [...a.dim];
  if (typeof p === "string") {
    if (p === "fro") {
      if (dtype !== null) throw new TypeError("norm(): dtype argument is not supported in frobenius norm");
      return atenTensor("frobenius_norm", input, dim ?? all(), { keepdim, ...outOption });
    }
    if (p === "nuc") {
      if (dtype !== null) throw new TypeError("norm(): dtype argument is not supported in nuclear norm");
      return dim === null
        ? atenTensor("nuclear_norm", input, { keepdim, ...outOption })
        : atenTensor("nuclear_norm", input, dim, { keepdim, ...outOption });
    }
    throw new TypeError(`norm(): only valid string values are 'fro' and 'nuc', found ${p}`);
  }
  dim ??= all();
  const options: Record<string, unknown> = { keepdim, ...outOption };
  if (dtype !== null) options.dtype = dtype;
  return atenTensor("norm", input, p, dim, options);
}
