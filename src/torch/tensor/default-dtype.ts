// torch.get_default_dtype / torch.set_default_dtype: the floating dtype that factories and
// `tensor()` give when no dtype is asked for.
import type { DType } from "./dtype.js";

const FLOATING: ReadonlySet<DType> = new Set<DType>(["float16", "bfloat16", "float32", "float64"]);
let current: DType = "float32";

/**
 * The floating point dtype factories use when none is given (`float32` until changed).
 *
 * @example
 * torch.getDefaultDtype(); // "float32"
 */
export function getDefaultDtype(): DType {
  return current;
}

/**
 * Sets the floating point dtype of `zeros`, `randn`, `tensor([1.5])`, `linspace`, ... when they
 * are given none. Only floating point dtypes are accepted, as in PyTorch.
 *
 * Args:
 *   d: the new default (`"float32"`, `"float64"`, `"float16"`, `"bfloat16"`).
 *
 * @example
 * torch.setDefaultDtype("float64");
 * torch.zeros(2).dtype; // "float64"
 */
export function setDefaultDtype(d: DType): void {
  if (!FLOATING.has(d)) {
    throw new TypeError(`setDefaultDtype(): only floating-point types are supported as the default type, got ${String(d)}`);
  }
  current = d;
}
