// nn.init: in-place initialisations drawing from libtorch's default generator, so that
// `torch.manualSeed(s)` then a layer gives the same weights as Python after torch.manual_seed(s).
import type { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../tensor/runtime.js";
import type { Generator } from "../ops/generator.js";
import { empty, eye as eyeMatrix } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { bind, bindArgs, isPlainObject, type ArgsOf, type BoundOf } from "../binding/index.js";
import * as linalg from "../generated/linalg.js";

/** A nonlinearity `calculateGain` knows (PyTorch's names). */
export type Nonlinearity =
  | "linear"
  | "conv1d"
  | "conv2d"
  | "conv3d"
  | "conv_transpose1d"
  | "conv_transpose2d"
  | "conv_transpose3d"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "selu";

/** `fan_in` or `fan_out`, as PyTorch's `mode`. */
export type FanMode = "fan_in" | "fan_out";

/**
 * The recommended gain for a nonlinearity (torch.nn.init.calculate_gain); `param` is leaky_relu's
 * negative slope. @example nn.init.calculateGain("leaky_relu", 0.2)
 */
export function calculateGain(...args: ArgsOf<"torch.nn.init.calculate_gain">): number {
  const { nonlinearity, param } = bind("torch.nn.init.calculate_gain", args);
  switch (nonlinearity) {
    case "linear":
    case "conv1d":
    case "conv2d":
    case "conv3d":
    case "conv_transpose1d":
    case "conv_transpose2d":
    case "conv_transpose3d":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.sqrt(2);
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new Error(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** [fan_in, fan_out] of a weight of at least 2 dimensions (PyTorch's rule for conv kernels). */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  const shape = tensor.shape;
  if (shape.length < 2) {
    throw new Error("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  }
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [shape[1]! * receptive, shape[0]! * receptive];
}

function fan(tensor: Tensor, mode: FanMode): number {
  if (mode !== "fan_in" && mode !== "fan_out") {
    throw new Error(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  }
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return mode === "fan_in" ? fanIn : fanOut;
}

interface RandomOptions {
  generator?: Generator;
}

/**
 * The arguments without a trailing options object's `generator` (keyword-only in PyTorch 2.x's
 * nn.init, absent from 1.13's signatures), and that generator.
 */
function takeGenerator(args: readonly unknown[]): [unknown[], Generator | undefined] {
  const last = args[args.length - 1];
  if (!isPlainObject(last) || !("generator" in last)) return [[...args], undefined];
  const { generator, ...rest } = last as RandomOptions & Record<string, unknown>;
  const others = args.slice(0, -1);
  return [Object.keys(rest).length > 0 ? [...others, rest] : others, generator];
}

type WithGenerator<A extends readonly unknown[]> = A | [...A, RandomOptions];

/**
 * Fills `tensor` with U(a, b), in place, outside autograd.
 *
 * @example
 * nn.init.uniform_(w, -0.1, 0.1)
 */
export function uniform_(...args: WithGenerator<ArgsOf<"torch.nn.init.uniform_">>): Tensor {
  const [rest, generator] = takeGenerator(args);
  const { tensor, a, b } = bindArgs<BoundOf<"torch.nn.init.uniform_">>("torch.nn.init.uniform_", rest);
  return noGrad(() => tensor.uniform_({ from: a, to: b, generator }));
}

/** Fills `tensor` with N(mean, std²). @example nn.init.normal_(w, 0, 0.02) */
export function normal_(...args: WithGenerator<ArgsOf<"torch.nn.init.normal_">>): Tensor {
  const [rest, generator] = takeGenerator(args);
  const { tensor, mean, std } = bindArgs<BoundOf<"torch.nn.init.normal_">>("torch.nn.init.normal_", rest);
  return noGrad(() => tensor.normal_({ mean, std, generator }));
}

/** Fills with N(mean, std²) truncated to [a, b] (inverse-CDF method, as PyTorch). @example nn.init.truncNormal_(w, { std: 0.02 }) */
export function truncNormal_(...args: WithGenerator<ArgsOf<"torch.nn.init.trunc_normal_">>): Tensor {
  const [rest, generator] = takeGenerator(args);
  const { tensor, mean, std, a, b } = bindArgs<BoundOf<"torch.nn.init.trunc_normal_">>("torch.nn.init.trunc_normal_", rest);
  const normCdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;
  if (mean < a - 2 * std || mean > b + 2 * std) {
    process.emitWarning("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.");
  }
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  return noGrad(() => {
    tensor.uniform_({ from: 2 * l - 1, to: 2 * u - 1, generator });
    tensor.erfinv_();
    tensor.mul_(std * Math.SQRT2);
    tensor.add_(mean);
    tensor.clamp_({ min: a, max: b });
    return tensor;
  });
}

/** Fills `tensor` with `val`. @example nn.init.constant_(b, 0) */
export function constant_(...args: ArgsOf<"torch.nn.init.constant_">): Tensor {
  const { tensor, val } = bind("torch.nn.init.constant_", args);
  return noGrad(() => tensor.fill_(val));
}
/** Fills `tensor` with ones. */
export function ones_(...args: ArgsOf<"torch.nn.init.ones_">): Tensor {
  const { tensor } = bind("torch.nn.init.ones_", args);
  return noGrad(() => tensor.fill_(1));
}
/** Fills `tensor` with zeros. */
export function zeros_(...args: ArgsOf<"torch.nn.init.zeros_">): Tensor {
  const { tensor } = bind("torch.nn.init.zeros_", args);
  return noGrad(() => tensor.zero_());
}

/** Fills a 2-d tensor with the identity. */
export function eye_(...args: ArgsOf<"torch.nn.init.eye_">): Tensor {
  const { tensor } = bind("torch.nn.init.eye_", args);
  const shape = tensor.shape;
  if (shape.length !== 2) throw new Error("nn.init.eye_(): Only tensors with 2 dimensions are supported");
  return noGrad(() => tensor.copy_(eyeMatrix(shape[0]!, shape[1]!, { dtype: tensor.dtype })));
}

/**
 * Fills a 3-, 4- or 5-d tensor with the Dirac delta: convolutions keep their input's channels
 * (per group). @example nn.init.dirac_(conv.weight, 2)
 */
export function dirac_(...args: ArgsOf<"torch.nn.init.dirac_">): Tensor {
  const { tensor, groups } = bind("torch.nn.init.dirac_", args);
  const dims = tensor.dim();
  if (dims < 3 || dims > 5) throw new Error("nn.init.dirac_(): Only tensors with 3, 4, or 5 dimensions are supported");
  const sizes = tensor.shape;
  if (sizes[0]! % groups !== 0) throw new Error("nn.init.dirac_(): dim 0 must be divisible by groups");
  const perGroup = sizes[0]! / groups;
  const minDim = Math.min(perGroup, sizes[1]!);
  return noGrad(() => {
    tensor.zero_();
    for (let g = 0; g < groups; g++) {
      for (let d = 0; d < minDim; d++) {
        let cell = tensor.select(0, g * perGroup + d).select(0, d);
        for (let k = 2; k < dims; k++) cell = cell.select(0, Math.floor(sizes[k]! / 2));
        cell.fill_(1);
      }
    }
    return tensor;
  });
}

/** Glorot uniform: U(−a, a) with a = gain·sqrt(6 / (fan_in + fan_out)). @example nn.init.xavierUniform_(w, { gain: 2 }) */
export function xavierUniform_(...args: WithGenerator<ArgsOf<"torch.nn.init.xavier_uniform_">>): Tensor {
  const [rest, generator] = takeGenerator(args);
  const { tensor, gain } = bindArgs<BoundOf<"torch.nn.init.xavier_uniform_">>("torch.nn.init.xavier_uniform_", rest);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const a = Math.sqrt(3) * gain * Math.sqrt(2 / (fanIn + fanOut));
  return noGrad(() => tensor.uniform_({ from: -a, to: a, generator }));
}

/** Glorot normal: N(0, std²) with std = gain·sqrt(2 / (fan_in + fan_out)). @example nn.init.xavierNormal_(w, { gain }) */
export function xavierNormal_(...args: WithGenerator<ArgsOf<"torch.nn.init.xavier_normal_">>): Tensor {
  const [rest, generator] = takeGenerator(args);
  const { tensor, gain } = bindArgs<BoundOf<"torch.nn.init.xavier_normal_">>("torch.nn.init.xavier_normal_", rest);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  return noGrad(() => tensor.normal_({ mean: 0, std, generator }));
}

/** He uniform: U(−bound, bound), bound = gain·sqrt(3 / fan). Linear and Conv use a = sqrt(5). */
export function kaimingUniform_(...args: WithGenerator<ArgsOf<"torch.nn.init.kaiming_uniform_">>): Tensor {
  const [rest, generator] = takeGenerator(args);
  const { tensor, a, mode, nonlinearity } = bindArgs<BoundOf<"torch.nn.init.kaiming_uniform_">>("torch.nn.init.kaiming_uniform_", rest);
  if (tensor.shape.includes(0)) return tensor;
  const bound = Math.sqrt(3) * (calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode as FanMode)));
  return noGrad(() => tensor.uniform_({ from: -bound, to: bound, generator }));
}

/** He normal: N(0, std²), std = gain / sqrt(fan). @example nn.init.kaimingNormal_(w, { mode: "fan_out", nonlinearity: "relu" }) */
export function kaimingNormal_(...args: WithGenerator<ArgsOf<"torch.nn.init.kaiming_normal_">>): Tensor {
  const [rest, generator] = takeGenerator(args);
  const { tensor, a, mode, nonlinearity } = bindArgs<BoundOf<"torch.nn.init.kaiming_normal_">>("torch.nn.init.kaiming_normal_", rest);
  if (tensor.shape.includes(0)) return tensor;
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode as FanMode));
  return noGrad(() => tensor.normal_({ mean: 0, std, generator }));
}

/** A (semi-)orthogonal matrix from the QR decomposition of a normal matrix, scaled by gain. */
export function orthogonal_(...args: WithGenerator<ArgsOf<"torch.nn.init.orthogonal_">>): Tensor {
  const [rest, generator] = takeGenerator(args);
  const { tensor, gain } = bindArgs<BoundOf<"torch.nn.init.orthogonal_">>("torch.nn.init.orthogonal_", rest);
  const shape = tensor.shape;
  if (shape.length < 2) throw new Error("nn.init.orthogonal_(): Only tensors with 2 or more dimensions are supported");
  if (tensor.numel() === 0) return tensor;
  const rows = shape[0]!;
  const cols = tensor.numel() / rows;
  return noGrad(() => {
    let flattened = empty([rows, cols], { dtype: tensor.dtype }).normal_({ mean: 0, std: 1, generator });
    if (rows < cols) flattened = flattened.t();
    const [qr, r] = linalg.qr(flattened);
    let q = qr.mul(r.diag().sign());
    if (rows < cols) q = q.t();
    tensor.copy_(q.reshape(shape));
    tensor.mul_(gain);
    return tensor;
  });
}

/**
 * A 2-d sparse matrix: N(0, std²) with a `sparsity` fraction of each column zeroed (rows drawn by
 * randperm from the default generator, as Python).
 */
export function sparse_(...args: ArgsOf<"torch.nn.init.sparse_">): Tensor {
  const { tensor, sparsity, std } = bind("torch.nn.init.sparse_", args);
  if (tensor.dim() !== 2) throw new Error("nn.init.sparse_(): Only tensors with 2 dimensions are supported");
  const [rows, cols] = tensor.shape as [number, number];
  const numZeros = Math.ceil(sparsity * rows);
  return noGrad(() => {
    tensor.normal_({ mean: 0, std });
    for (let col = 0; col < cols; col++) {
      const zeroRows = ops.randperm(rows).slice(0, 0, numZeros);
      tensor.select(1, col).indexFill_(0, zeroRows, 0);
    }
    return tensor;
  });
}

function deprecated<A extends unknown[]>(name: string, replacement: string, fn: (...args: A) => Tensor): (...args: A) => Tensor {
  return (...args: A) => {
    process.emitWarning(`nn.init.${name} is now deprecated in favor of nn.init.${replacement}.`, "DeprecationWarning");
    return fn(...args);
  };
}

/** Deprecated alias of uniform_. */
export const uniform = deprecated("uniform", "uniform_", uniform_);
/** Deprecated alias of normal_. */
export const normal = deprecated("normal", "normal_", normal_);
/** Deprecated alias of constant_. */
export const constant = deprecated("constant", "constant_", constant_);
/** Deprecated alias of eye_. */
export const eye = deprecated("eye", "eye_", eye_);
/** Deprecated alias of dirac_. */
export const dirac = deprecated("dirac", "dirac_", dirac_);
/** Deprecated alias of xavierUniform_. */
export const xavierUniform = deprecated("xavier_uniform", "xavier_uniform_", xavierUniform_);
/** Deprecated alias of xavierNormal_. */
export const xavierNormal = deprecated("xavier_normal", "xavier_normal_", xavierNormal_);
/** Deprecated alias of kaimingUniform_. */
export const kaimingUniform = deprecated("kaiming_uniform", "kaiming_uniform_", kaimingUniform_);
/** Deprecated alias of kaimingNormal_. */
export const kaimingNormal = deprecated("kaiming_normal", "kaiming_normal_", kaimingNormal_);
/** Deprecated alias of orthogonal_. */
export const orthogonal = deprecated("orthogonal", "orthogonal_", orthogonal_);
/** Deprecated alias of sparse_. */
export const sparse = deprecated("sparse", "sparse_", sparse_);

// Abramowitz-Stegun 7.1.26 is too coarse for the truncation bounds; use a series/continued
// fraction with double precision, as math.erf.
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 60; n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    return (sign * 2 * sum) / Math.sqrt(Math.PI);
  }
  // Continued fraction for erfc at larger |x|.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return sign * (1 - erfc);
}
