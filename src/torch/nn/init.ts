// nn.init: in-place initialisations drawing from libtorch's default generator, so that
// `torch.manualSeed(s)` then a layer gives the same weights as Python after torch.manual_seed(s).
import type { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../tensor/runtime.js";
import type { Generator } from "../ops/generator.js";
import { empty, eye } from "../tensor/creation.js";
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

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
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
      if (typeof slope !== "number") throw new Error(`negative_slope ${String(slope)} not a valid number`);
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

/** Fills with U(a, b). */
export function uniform_(tensor: Tensor, a = 0, b = 1, options: RandomOptions = {}): Tensor {
  return noGrad(() => tensor.uniform_({ from: a, to: b, generator: options.generator }));
}

/** Fills with N(mean, std²). */
export function normal_(tensor: Tensor, mean = 0, std = 1, options: RandomOptions = {}): Tensor {
  return noGrad(() => tensor.normal_({ mean, std, generator: options.generator }));
}

/** Fills with N(mean, std²) truncated to [a, b] (inverse-CDF method, as PyTorch). */
export function truncNormal_(tensor: Tensor, mean = 0, std = 1, a = -2, b = 2, options: RandomOptions = {}): Tensor {
  const normCdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  return noGrad(() => {
    tensor.uniform_({ from: 2 * l - 1, to: 2 * u - 1, generator: options.generator });
    tensor.erfinv_();
    tensor.mul_(std * Math.SQRT2);
    tensor.add_(mean);
    tensor.clamp_({ min: a, max: b });
    return tensor;
  });
}

export function constant_(tensor: Tensor, value: number): Tensor {
  return noGrad(() => tensor.fill_(value));
}
export function ones_(tensor: Tensor): Tensor {
  return constant_(tensor, 1);
}
export function zeros_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.zero_());
}

/** Fills a 2-d tensor with the identity. */
export function eye_(tensor: Tensor): Tensor {
  const shape = tensor.shape;
  if (shape.length !== 2) throw new Error("Only tensors with 2 dimensions are supported");
  return noGrad(() => tensor.copy_(eye(shape[0]!, shape[1]!, { dtype: tensor.dtype })));
}

/** Glorot uniform: U(-a, a) with a = gain·sqrt(6 / (fan_in + fan_out)). */
export function xavierUniform_(tensor: Tensor, gain = 1, options: RandomOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std;
  return uniform_(tensor, -a, a, options);
}

/** Glorot normal: N(0, std²) with std = gain·sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_(tensor: Tensor, gain = 1, options: RandomOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  return normal_(tensor, 0, std, options);
}

interface KaimingOptions extends RandomOptions {
  /** The negative slope of the rectifier after this layer (leaky_relu). Default 0. */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

/** He uniform: U(-bound, bound), bound = gain·sqrt(3 / fan). Linear and Conv use a = sqrt(5). */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = "fan_in", nonlinearity = "leaky_relu" } = options;
  if (tensor.shape.includes(0)) return tensor;
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
  const bound = Math.sqrt(3) * std;
  return uniform_(tensor, -bound, bound, options);
}

/** He normal: N(0, std²), std = gain / sqrt(fan). */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = "fan_in", nonlinearity = "leaky_relu" } = options;
  if (tensor.shape.includes(0)) return tensor;
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
  return normal_(tensor, 0, std, options);
}

/** A (semi-)orthogonal matrix from the QR decomposition of a normal matrix, scaled by gain. */
export function orthogonal_(tensor: Tensor, gain = 1, options: RandomOptions = {}): Tensor {
  const shape = tensor.shape;
  if (shape.length < 2) throw new Error("Only tensors with 2 or more dimensions are supported");
  if (tensor.numel() === 0) return tensor;
  const rows = shape[0]!;
  const cols = tensor.numel() / rows;
  return noGrad(() => {
    let flattened = empty([rows, cols], { dtype: tensor.dtype }).normal_({ mean: 0, std: 1, generator: options.generator });
    if (rows < cols) flattened = flattened.t();
    const [qr, r] = linalg.qr(flattened);
    let q = qr.mul(r.diag().sign());
    if (rows < cols) q = q.t();
    tensor.copy_(q.reshape(shape));
    tensor.mul_(gain);
    return tensor;
  });
}

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
