// Helpers shared by the distributions (torch/distributions/utils.py): argument checks,
// broadcasting of parameters, logits/probs conversions, machine limits of float dtypes.
import { Tensor, describe } from "../tensor/tensor.js";
import { arange, empty, tensor } from "../tensor/creation.js";
import type { DType } from "../tensor/dtype.js";
import * as ops from "../generated/torch.js";
import { broadcastTensors } from "../functional/broadcast.js";
import { enableGrad, noGrad } from "../tensor/runtime.js";

/** A parameter a distribution accepts: a tensor or a Python-style number. */
export type TensorLike = Tensor | number;

/** Options every distribution constructor takes. */
export interface ValidateArgsOption {
  /** Check parameters and values against their constraints (default: `Distribution.setDefaultValidateArgs`, true). */
  validateArgs?: boolean | null;
}

/** The Euler–Mascheroni constant. */
export const eulerConstant = 0.5772156649015329;

/** Checks a bound argument is a tensor or a number (Python's `Number` or `Tensor`). */
export function tensorLikeArg(callable: string, name: string, value: unknown, required = true): TensorLike | undefined {
  if (value === undefined || value === null) {
    if (required) throw new TypeError(`${callable}() missing required argument '${name}'`);
    return undefined;
  }
  if (value instanceof Tensor || typeof value === "number") return value;
  throw new TypeError(`${callable}(): argument '${name}' must be a Tensor or a number, got ${describe(value)}`);
}

/** Checks a bound argument is a tensor. */
export function tensorArg(callable: string, name: string, value: unknown, required = true): Tensor | undefined {
  if (value === undefined || value === null) {
    if (required) throw new TypeError(`${callable}() missing required argument '${name}'`);
    return undefined;
  }
  if (value instanceof Tensor) return value;
  throw new TypeError(`${callable}(): argument '${name}' must be a Tensor, got ${describe(value)}`);
}

/** Checks an optional bound boolean (`validateArgs`, `expand`, ...). */
export function boolArg(callable: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  throw new TypeError(`${callable}(): argument '${name}' must be a boolean, got ${describe(value)}`);
}

/** Checks a bound integer. */
export function intArg(callable: string, name: string, value: unknown, fallback?: number): number {
  if (value === undefined || value === null) {
    if (fallback === undefined) throw new TypeError(`${callable}() missing required argument '${name}'`);
    return fallback;
  }
  if (typeof value === "number" && Number.isInteger(value)) return value;
  throw new TypeError(`${callable}(): argument '${name}' must be an integer, got ${describe(value)}`);
}

/** Checks a bound shape (an array of non-negative integers). */
export function shapeArg(callable: string, name: string, value: unknown, fallback: readonly number[] = []): number[] {
  if (value === undefined || value === null) return [...fallback];
  if (Array.isArray(value) && value.every((d) => typeof d === "number" && Number.isInteger(d) && d >= -1)) return [...value];
  throw new TypeError(`${callable}(): argument '${name}' must be a shape (an array of integers), got ${describe(value)}`);
}

/** The default floating dtype (torch.get_default_dtype()). */
export const defaultFloatDType: DType = "float32";

/**
 * Broadcasts parameters as Python's `broadcast_all`: numbers become tensors of the first tensor's
 * dtype and device (the default dtype when all are numbers), then all broadcast together.
 */
export function broadcastAll(...values: TensorLike[]): Tensor[] {
  const first = values.find((v): v is Tensor => v instanceof Tensor);
  const options = first ? { dtype: first.dtype, device: first.device } : { dtype: defaultFloatDType };
  const tensors = values.map((v) => {
    if (v instanceof Tensor) return v;
    if (typeof v === "number") return tensor(v, options);
    throw new Error(
      "Input arguments must all be instances of numbers.Number, torch.Tensor or objects implementing __torch_function__.",
    );
  });
  return broadcastTensors(tensors);
}

/** Standard normal samples of a shape (`torch.empty(shape).normal_()`). */
export function standardNormal(shape: readonly number[], like: Tensor): Tensor {
  return empty([...shape], { dtype: like.dtype, device: like.device }).normal_();
}

/** Sums out the `dim` rightmost dimensions. */
export function sumRightmost(value: Tensor, dim: number): Tensor {
  if (dim === 0) return value;
  const shape = value.shape;
  return value.reshape([...shape.slice(0, shape.length - dim), -1]).sum(-1);
}

/** Probabilities from logits: sigmoid when binary, softmax over the last dim otherwise. */
export function logitsToProbs(logits: Tensor, isBinary = false): Tensor {
  if (isBinary) return ops.sigmoid(logits);
  return logits.softmax(-1);
}

/** Machine limits of a floating dtype (torch.finfo). */
export function finfo(dtype: DType): { eps: number; tiny: number; max: number; min: number } {
  switch (dtype) {
    case "float64":
      return { eps: 2.220446049250313e-16, tiny: 2.2250738585072014e-308, max: Number.MAX_VALUE, min: -Number.MAX_VALUE };
    case "float16":
      return { eps: 0.0009765625, tiny: 6.103515625e-5, max: 65504, min: -65504 };
    case "bfloat16":
      return { eps: 0.0078125, tiny: 1.1754943508222875e-38, max: 3.3895313892515355e38, min: -3.3895313892515355e38 };
    case "float32":
      return { eps: 1.1920928955078125e-7, tiny: 1.1754943508222875e-38, max: 3.4028234663852886e38, min: -3.4028234663852886e38 };
    default:
      throw new TypeError(`finfo(): ${dtype} is not a floating point dtype`);
  }
}

/** Clamps probabilities into [eps, 1 - eps] of their dtype. */
export function clampProbs(probs: Tensor): Tensor {
  const eps = finfo(probs.dtype).eps;
  return probs.clamp({ min: eps, max: 1 - eps });
}

/** Logits from probabilities: log-odds when binary, log-probabilities otherwise. */
export function probsToLogits(probs: Tensor, isBinary = false): Tensor {
  const clamped = clampProbs(probs);
  if (isBinary) return ops.log(clamped).sub(ops.log1p(clamped.neg()));
  return ops.log(clamped);
}

/** Python's `number - tensor` (`torch.rsub`). */
export function rsub(value: Tensor, n: number): Tensor {
  return ops.rsub(value, n);
}

/** Python's `number / tensor` (`tensor.reciprocal() * number`). */
export function rdiv(value: Tensor, n: number): Tensor {
  return value.reciprocal().mul(n);
}

/** Python's `number ** tensor` (`torch.pow(number, tensor)`). */
export function rpow(n: number, value: Tensor): Tensor {
  return ops.pow(n, value);
}

/** A value computed once per instance under `enable_grad`, as Python's `lazy_property`. */
export function lazy<T>(owner: object, key: symbol, compute: () => T): T {
  const store = owner as Record<symbol, T | undefined>;
  const cached = store[key];
  if (cached !== undefined) return cached;
  const value = enableGrad(compute);
  store[key] = value;
  return value;
}

/** The lower-triangular elements of (batches of) square matrices, row by row. */
export function trilMatrixToVec(mat: Tensor, diag = 0): Tensor {
  const n = mat.shape[mat.dim() - 1]!;
  if (diag < -n || diag >= n) throw new Error(`diag (${diag}) provided is outside [${-n}, ${n - 1}].`);
  const steps = arange(n, { device: mat.device });
  const mask = steps.lt(steps.view(-1, 1).add(diag + 1));
  return mat.idx(["...", mask]);
}

/** (Batches of) square lower-triangular matrices filled row by row from vectors. */
export function vecToTrilMatrix(vec: Tensor, diag = 0): Tensor {
  const last = vec.shape[vec.dim() - 1]!;
  const n = (-(1 + 2 * diag) + Math.sqrt((1 + 2 * diag) ** 2 + 8 * last + 4 * Math.abs(diag) * (diag + 1))) / 2;
  const eps = finfo(vec.dtype).eps;
  if (Math.round(n) - n > eps) {
    throw new Error(`The size of last dimension is ${last} which cannot be expressed as the lower triangular part of a square D x D matrix.`);
  }
  const size = Math.round(n);
  const mat = vec.newZeros([...vec.shape.slice(0, -1), size, size]);
  const steps = arange(size, { device: vec.device });
  const mask = steps.lt(steps.view(-1, 1).add(diag + 1));
  mat.idxPut_(["...", mask], vec);
  return mat;
}

/** Broadcast shape of two shapes (torch.broadcast_shapes). */
export function broadcastShapes(...shapes: readonly (readonly number[])[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = ndim - s.length + i;
      const d = s[i]!;
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) throw new Error(`Shape mismatch: objects cannot be broadcast to a single shape: ${shapes.map(formatSize).join(", ")}`);
    }
  }
  return out;
}

/** Python's `torch.Size([2, 3])` text. */
export function formatSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(", ")}])`;
}

/** Python's tuple text of a shape: `(2, 3)`, `(2,)`, `()`. */
export function formatTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Python's float repr (`0.0`, `1.5`, `1e-05`, `inf`): shortest round-trip digits. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp >= -5 && exp < 16) {
    // Python switches to exponent notation below 1e-4 (repr of 0.0001 is '0.0001', of 0.00001 '1e-05').
    if (exp >= -4) {
      const s = String(x);
      const fixed = s.includes("e") ? x.toFixed(Math.max(0, -exp + mantissa.replace(/[-.]/g, "").length - 1)) : s;
      return fixed.includes(".") ? fixed : `${fixed}.0`;
    }
  }
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** Shapes equal element by element. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export { noGrad, enableGrad };

type Prefixes<P extends unknown[]> = P extends [...infer Init, unknown] ? P | Prefixes<Init> : [];
type WithOptions<X, O> = X extends unknown[] ? [...X, O?] : never;
/**
 * A constructor's arguments: any prefix of Python's positional parameters `P`, then optionally
 * one options object `O` naming the rest (camelCase).
 */
export type CtorArgs<P extends unknown[], O> = WithOptions<Prefixes<P>, O>;

/** Python's `probs`/`logits` pair: exactly one must be given. */
export function probsOrLogits(callable: string, probs: unknown, logits: unknown): void {
  if ((probs === undefined || probs === null) === (logits === undefined || logits === null)) {
    throw new Error("Either `probs` or `logits` must be specified, but not both.");
  }
  void callable;
}
