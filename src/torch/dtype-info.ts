// torch.finfo / torch.iinfo: the numerical limits of a floating point or integer dtype.
import type { DType } from "./tensor/dtype.js";
import { getDefaultDtype } from "./tensor/default-dtype.js";
import { bindArgs } from "./binding/index.js";

interface FloatFacts {
  bits: number;
  eps: number;
  max: number;
  tiny: number;
  resolution: number;
  dtype: DType;
}

// IEEE-754 (and bfloat16) facts as c10's numeric_limits gives them; complex dtypes report their parts'.
const FLOATS: Partial<Record<DType, FloatFacts>> = {
  float16: { bits: 16, eps: 2 ** -10, max: 65504, tiny: 2 ** -14, resolution: 0.001, dtype: "float16" },
  bfloat16: { bits: 16, eps: 2 ** -7, max: 3.3895313892515355e38, tiny: 2 ** -126, resolution: 0.01, dtype: "bfloat16" },
  float32: { bits: 32, eps: 2 ** -23, max: 3.4028234663852886e38, tiny: 2 ** -126, resolution: 1e-6, dtype: "float32" },
  float64: { bits: 64, eps: Number.EPSILON, max: Number.MAX_VALUE, tiny: 2 ** -1022, resolution: 1e-15, dtype: "float64" },
};
FLOATS.complex32 = FLOATS.float16;
FLOATS.complex64 = FLOATS.float32;
FLOATS.complex128 = FLOATS.float64;

const INTS: Partial<Record<DType, { bits: number; min: number | bigint; max: number | bigint }>> = {
  uint8: { bits: 8, min: 0, max: 255 },
  int8: { bits: 8, min: -128, max: 127 },
  int16: { bits: 16, min: -32768, max: 32767 },
  int32: { bits: 32, min: -2147483648, max: 2147483647 },
  int64: { bits: 64, min: -(2n ** 63n), max: 2n ** 63n - 1n },
};

/** Python's `%g` of a limit, as finfo/iinfo's repr prints it. */
function shortG(v: number | bigint): string {
  const n = Number(v);
  if (Number.isInteger(n) && Math.abs(n) < 1e6) return String(n);
  const [mantissa, exponent] = n.toExponential(5).split("e") as [string, string];
  const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
  const e = Number(exponent);
  if (e >= -4 && e < 6) return String(Number(n.toPrecision(6)));
  return `${trimmed}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/**
 * The limits of a floating point dtype (torch.finfo): `bits`, `eps` (the gap after 1), `max`,
 * `min`, `tiny` (= `smallestNormal`), `resolution`, `dtype`. With no dtype, the default dtype's.
 *
 * @example
 * new torch.finfo("float16").eps; // 0.0009765625
 */
export class finfo {
  readonly bits: number;
  readonly eps: number;
  readonly max: number;
  readonly min: number;
  readonly tiny: number;
  readonly smallestNormal: number;
  readonly resolution: number;
  /** The dtype described (a complex dtype's is its real part's). */
  readonly dtype: DType;

  constructor(...args: unknown[]) {
    const a = bindArgs<{ type: DType | null }>("torch.finfo", args);
    const dtype = a.type ?? getDefaultDtype();
    const facts = FLOATS[dtype];
    if (facts === undefined) {
      throw new TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'");
    }
    this.bits = facts.bits;
    this.eps = facts.eps;
    this.max = facts.max;
    this.min = -facts.max;
    this.tiny = facts.tiny;
    this.smallestNormal = facts.tiny;
    this.resolution = facts.resolution;
    this.dtype = facts.dtype;
  }

  toString(): string {
    return `finfo(resolution=${shortG(this.resolution)}, min=${shortG(this.min)}, max=${shortG(this.max)}, eps=${shortG(this.eps)}, ` +
      `smallest_normal=${shortG(this.smallestNormal)}, tiny=${shortG(this.tiny)}, dtype=${this.dtype})`;
  }
}

/**
 * The limits of an integer dtype (torch.iinfo): `bits`, `min`, `max` (bigints for int64, whose
 * limits are beyond 2^53), `dtype`.
 *
 * @example
 * new torch.iinfo("int8").min; // -128
 */
export class iinfo {
  readonly bits: number;
  readonly min: number | bigint;
  readonly max: number | bigint;
  readonly dtype: DType;

  constructor(...args: unknown[]) {
    const { type } = bindArgs<{ type: DType }>("torch.iinfo", args);
    if (type === "bool") throw new TypeError("torch.bool is not supported by torch.iinfo");
    const facts = INTS[type];
    if (facts === undefined) {
      throw new TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'");
    }
    this.bits = facts.bits;
    this.min = facts.min;
    this.max = facts.max;
    this.dtype = type;
  }

  toString(): string {
    return `iinfo(min=${shortG(this.min)}, max=${shortG(this.max)}, dtype=${this.dtype})`;
  }
}
