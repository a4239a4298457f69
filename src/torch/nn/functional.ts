// nn.functional: the PyTorch-named functional layer (F.cross_entropy -> F.crossEntropy) over the
// generated aten ops. Python's keyword arguments are an options object; reductions are the
// strings "none" | "mean" | "sum" as in Python.
import { Tensor, describe, type Scalar } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";

type IntOrTuple = number | readonly number[];

/** How a loss reduces over the batch. */
export type Reduction = "none" | "mean" | "sum";

/** aten's reduction enum (at::Reduction). */
export function reductionEnum(reduction: Reduction | undefined, fn: string): number {
  switch (reduction ?? "mean") {
    case "none":
      return 0;
    case "mean":
      return 1;
    case "sum":
      return 2;
    default:
      throw new Error(`${fn}: ${String(reduction)} is not a valid value for reduction ("none", "mean" or "sum")`);
  }
}

function checkTensor(value: unknown, fn: string, name: string): asserts value is Tensor {
  if (!(value instanceof Tensor)) throw new TypeError(`${fn}(): argument '${name}' must be a Tensor, not ${describe(value)}`);
}

function checkProbability(p: number, fn: string): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${fn}: dropout probability has to be between 0 and 1, but got ${String(p)}`);
  }
}

// ---- linear ----

/** y = x Wᵀ + b. input (*, in), weight (out, in), bias (out). */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return ops.linear(input, weight, { bias: bias ?? null });
}

/** y = x₁ᵀ A x₂ + b. */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return ops.bilinear(input1, input2, weight, { bias: bias ?? null });
}

// ---- convolution ----

export interface ConvOptions {
  bias?: Tensor | null;
  stride?: IntOrTuple;
  /** Implicit zero padding, or "valid" / "same". */
  padding?: IntOrTuple | "valid" | "same";
  dilation?: IntOrTuple;
  groups?: number;
}

function convOptions(o: ConvOptions) {
  return { bias: o.bias ?? null, stride: o.stride ?? 1, dilation: o.dilation ?? 1, groups: o.groups ?? 1 };
}

/** 1-d convolution: input (N, C_in, L), weight (C_out, C_in/groups, kL). */
export function conv1d(input: Tensor, weight: Tensor, options: ConvOptions = {}): Tensor {
  const { padding = 0 } = options;
  return typeof padding === "string"
    ? ops.conv1d(input, weight, { ...convOptions(options), padding })
    : ops.conv1d(input, weight, { ...convOptions(options), padding });
}
/** 2-d convolution: input (N, C_in, H, W), weight (C_out, C_in/groups, kH, kW). */
export function conv2d(input: Tensor, weight: Tensor, options: ConvOptions = {}): Tensor {
  const { padding = 0 } = options;
  return typeof padding === "string"
    ? ops.conv2d(input, weight, { ...convOptions(options), padding })
    : ops.conv2d(input, weight, { ...convOptions(options), padding });
}
/** 3-d convolution: input (N, C_in, D, H, W), weight (C_out, C_in/groups, kD, kH, kW). */
export function conv3d(input: Tensor, weight: Tensor, options: ConvOptions = {}): Tensor {
  const { padding = 0 } = options;
  return typeof padding === "string"
    ? ops.conv3d(input, weight, { ...convOptions(options), padding })
    : ops.conv3d(input, weight, { ...convOptions(options), padding });
}

export interface ConvTransposeOptions {
  bias?: Tensor | null;
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  dilation?: IntOrTuple;
}
function convTransposeOptions(o: ConvTransposeOptions) {
  return {
    bias: o.bias ?? null,
    stride: o.stride ?? 1,
    padding: o.padding ?? 0,
    outputPadding: o.outputPadding ?? 0,
    groups: o.groups ?? 1,
    dilation: o.dilation ?? 1,
  };
}
/** Transposed 1-d convolution: weight (C_in, C_out/groups, kL). */
export function convTranspose1d(input: Tensor, weight: Tensor, options: ConvTransposeOptions = {}): Tensor {
  return ops.convTranspose1d(input, weight, convTransposeOptions(options));
}
/** Transposed 2-d convolution ("deconvolution"): weight (C_in, C_out/groups, kH, kW). */
export function convTranspose2d(input: Tensor, weight: Tensor, options: ConvTransposeOptions = {}): Tensor {
  return ops.convTranspose2d(input, weight, convTransposeOptions(options));
}
/** Transposed 3-d convolution: weight (C_in, C_out/groups, kD, kH, kW). */
export function convTranspose3d(input: Tensor, weight: Tensor, options: ConvTransposeOptions = {}): Tensor {
  return ops.convTranspose3d(input, weight, convTransposeOptions(options));
}

// ---- pooling ----

export interface MaxPoolOptions {
  /** Default: kernelSize. */
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
}
function maxPoolOptions(o: MaxPoolOptions) {
  return { stride: o.stride ?? [], padding: o.padding ?? 0, dilation: o.dilation ?? 1, ceilMode: o.ceilMode ?? false };
}
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, options: MaxPoolOptions = {}): Tensor {
  return ops.maxPool1d(input, kernelSize, maxPoolOptions(options));
}
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, options: MaxPoolOptions = {}): Tensor {
  return ops.maxPool2d(input, kernelSize, maxPoolOptions(options));
}
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, options: MaxPoolOptions = {}): Tensor {
  return ops.maxPool3d(input, kernelSize, maxPoolOptions(options));
}
/** Max pooling that also returns the argmax indices: [output, indices]. */
export function maxPool2dWithIndices(input: Tensor, kernelSize: IntOrTuple, options: MaxPoolOptions = {}): [Tensor, Tensor] {
  const [out, indices] = ops.maxPool2dWithIndices(input, kernelSize, maxPoolOptions(options));
  return [out, indices];
}

export interface AvgPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}
function avgPoolOptions(o: AvgPoolOptions) {
  return {
    stride: o.stride ?? [],
    padding: o.padding ?? 0,
    ceilMode: o.ceilMode ?? false,
    countIncludePad: o.countIncludePad ?? true,
  };
}
export function avgPool1d(input: Tensor, kernelSize: IntOrTuple, options: AvgPoolOptions = {}): Tensor {
  return ops.avgPool1d(input, kernelSize, avgPoolOptions(options));
}
export function avgPool2d(input: Tensor, kernelSize: IntOrTuple, options: AvgPoolOptions = {}): Tensor {
  return ops.avgPool2d(input, kernelSize, { ...avgPoolOptions(options), divisorOverride: options.divisorOverride ?? null });
}
export function avgPool3d(input: Tensor, kernelSize: IntOrTuple, options: AvgPoolOptions = {}): Tensor {
  return ops.avgPool3d(input, kernelSize, { ...avgPoolOptions(options), divisorOverride: options.divisorOverride ?? null });
}

/** Output sizes with null meaning "the input's size" (Python's None). */
export type AdaptiveSize = number | readonly (number | null)[];
function adaptiveSize(input: Tensor, size: AdaptiveSize, dims: number): number[] {
  const list = typeof size === "number" ? Array<number>(dims).fill(size) : size;
  if (list.length !== dims) throw new Error(`adaptive pooling: output size must have ${dims} elements, got ${list.length}`);
  const shape = input.shape;
  return list.map((s, i) => s ?? shape[shape.length - dims + i]!);
}
export function adaptiveAvgPool1d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return ops.adaptiveAvgPool1d(input, adaptiveSize(input, outputSize, 1));
}
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return ops.adaptiveAvgPool2d(input, adaptiveSize(input, outputSize, 2));
}
export function adaptiveAvgPool3d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return ops.adaptiveAvgPool3d(input, adaptiveSize(input, outputSize, 3));
}
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return ops.adaptiveMaxPool1d(input, adaptiveSize(input, outputSize, 1))[0];
}
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return ops.adaptiveMaxPool2d(input, adaptiveSize(input, outputSize, 2))[0];
}

// ---- activations ----

export function relu(input: Tensor, options: { inplace?: boolean } = {}): Tensor {
  return options.inplace ? ops.relu_(input) : input.relu();
}
export function relu6(input: Tensor): Tensor {
  return ops.hardtanh(input, { minVal: 0, maxVal: 6 });
}
export function leakyRelu(input: Tensor, negativeSlope = 0.01): Tensor {
  return ops.leakyRelu(input, { negativeSlope });
}
export function elu(input: Tensor, alpha = 1): Tensor {
  return ops.elu(input, { alpha });
}
export function selu(input: Tensor): Tensor {
  return ops.selu(input);
}
export function celu(input: Tensor, alpha = 1): Tensor {
  return ops.celu(input, { alpha });
}
/** GELU; `approximate: "tanh"` for the tanh approximation. */
export function gelu(input: Tensor, options: { approximate?: "none" | "tanh" } = {}): Tensor {
  return ops.gelu(input, { approximate: options.approximate ?? "none" });
}
export function silu(input: Tensor): Tensor {
  return ops.silu(input);
}
export function mish(input: Tensor): Tensor {
  return ops.mish(input);
}
export function hardtanh(input: Tensor, minVal = -1, maxVal = 1): Tensor {
  return ops.hardtanh(input, { minVal, maxVal });
}
export function hardswish(input: Tensor): Tensor {
  return ops.hardswish(input);
}
export function hardsigmoid(input: Tensor): Tensor {
  return ops.hardsigmoid(input);
}
export function sigmoid(input: Tensor): Tensor {
  return ops.sigmoid(input);
}
export function tanh(input: Tensor): Tensor {
  return ops.tanh(input);
}
export function softplus(input: Tensor, beta = 1, threshold = 20): Tensor {
  return ops.softplus(input, { beta, threshold });
}
export function softsign(input: Tensor): Tensor {
  return input.div(input.abs().add(1));
}
export function logsigmoid(input: Tensor): Tensor {
  return ops.logSigmoid(input);
}
export function threshold(input: Tensor, thresholdValue: Scalar, value: Scalar): Tensor {
  return ops.threshold(input, thresholdValue, value);
}
export function prelu(input: Tensor, weight: Tensor): Tensor {
  return ops.prelu(input, weight);
}
export function glu(input: Tensor, dim = -1): Tensor {
  return ops.glu(input, { dim });
}
export function softmax(input: Tensor, dim: number, options: { dtype?: DType } = {}): Tensor {
  return ops.softmax(input, dim, { dtype: options.dtype ?? null });
}
export function softmin(input: Tensor, dim: number, options: { dtype?: DType } = {}): Tensor {
  return ops.softmax(input.neg(), dim, { dtype: options.dtype ?? null });
}
export function logSoftmax(input: Tensor, dim: number, options: { dtype?: DType } = {}): Tensor {
  return ops.logSoftmax(input, dim, { dtype: options.dtype ?? null });
}

// ---- dropout ----

export interface DropoutOptions {
  /** Probability of an element to be zeroed. Default: 0.5. */
  p?: number;
  /** Apply dropout (true) or return the input (false). Default: true. */
  training?: boolean;
  inplace?: boolean;
}

/** Zeroes elements with probability p and scales the rest by 1/(1-p) when training. */
export function dropout(input: Tensor, options: DropoutOptions = {}): Tensor {
  const { p = 0.5, training = true, inplace = false } = options;
  checkProbability(p, "dropout");
  return inplace ? ops.dropout_(input, p, training) : ops.dropout(input, p, training);
}
/** Zeroes whole channels (dims ≥ 2): Dropout1d/2d/3d. */
export function featureDropout(input: Tensor, options: DropoutOptions = {}): Tensor {
  const { p = 0.5, training = true } = options;
  checkProbability(p, "dropout");
  return ops.featureDropout(input, p, training);
}
export function alphaDropout(input: Tensor, options: DropoutOptions = {}): Tensor {
  const { p = 0.5, training = false } = options;
  checkProbability(p, "alpha_dropout");
  return ops.alphaDropout(input, p, training);
}

// ---- normalization ----

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}
/**
 * Batch normalization over the channel dimension (1) of (N, C, *). With `training`, batch
 * statistics are used and the running ones (if given) updated in place.
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (training) {
    const shape = input.shape;
    let size = shape[0]!;
    for (let i = 2; i < shape.length; i++) size *= shape[i]!;
    if (size === 1) throw new Error(`Expected more than 1 value per channel when training, got input size [${shape.join(", ")}]`);
  }
  return ops.batchNorm(input, weight, bias, runningMean, runningVar, training, momentum, eps, true);
}

/** Layer normalization over the trailing `normalizedShape` dimensions. */
export function layerNorm(
  input: Tensor,
  normalizedShape: readonly number[],
  options: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {},
): Tensor {
  return ops.layerNorm(input, normalizedShape, { weight: options.weight ?? null, bias: options.bias ?? null, eps: options.eps ?? 1e-5 });
}

/** Group normalization: channels split into `numGroups` groups, each normalized. */
export function groupNorm(
  input: Tensor,
  numGroups: number,
  options: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {},
): Tensor {
  return ops.groupNorm(input, numGroups, { weight: options.weight ?? null, bias: options.bias ?? null, eps: options.eps ?? 1e-5 });
}

/** Instance normalization: each sample's channels normalized separately. */
export function instanceNorm(
  input: Tensor,
  options: BatchNormOptions & { runningMean?: Tensor | null; runningVar?: Tensor | null; useInputStats?: boolean } = {},
): Tensor {
  const { runningMean = null, runningVar = null, weight = null, bias = null, useInputStats = true, momentum = 0.1, eps = 1e-5 } = options;
  return ops.instanceNorm(input, weight, bias, runningMean, runningVar, useInputStats, momentum, eps, true);
}

/** Lp-normalizes along `dim`: x / max(‖x‖_p, eps). */
export function normalize(input: Tensor, options: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  const { p = 2, dim = 1, eps = 1e-12 } = options;
  const denom = input.norm(p, dim, { keepdim: true }).clampMin(eps).expandAs(input);
  return input.div(denom);
}

// ---- embedding and misc ----

/**
 * Looks up rows of `weight` (num_embeddings, embedding_dim) by integer `input` indices.
 * `paddingIdx` rows get no gradient; `maxNorm` renormalizes looked-up rows in place.
 */
export function embedding(
  input: Tensor,
  weight: Tensor,
  options: { paddingIdx?: number | null; maxNorm?: number | null; normType?: number; scaleGradByFreq?: boolean; sparse?: boolean } = {},
): Tensor {
  let paddingIdx = options.paddingIdx ?? -1;
  if (options.paddingIdx != null) {
    const n = weight.shape[0]!;
    if (paddingIdx >= n || paddingIdx < -n) throw new RangeError("Padding_idx must be within num_embeddings");
    if (paddingIdx < 0) paddingIdx += n;
  }
  if (options.maxNorm != null) {
    const maxNorm = options.maxNorm;
    // Renormalizes the looked-up rows of the weight in place, outside autograd (as PyTorch).
    noGrad(() => ops.embeddingRenorm_(weight, input.contiguous(), maxNorm, options.normType ?? 2));
  }
  return ops.embedding(weight, input, {
    paddingIdx,
    scaleGradByFreq: options.scaleGradByFreq ?? false,
    sparse: options.sparse ?? false,
  });
}

export function oneHot(input: Tensor, numClasses = -1): Tensor {
  return ops.oneHot(input, { numClasses });
}

/** Pads the last dimensions: `pad` lists (left, right) pairs from the last dimension backwards. */
export function pad(
  input: Tensor,
  padding: readonly number[],
  options: { mode?: "constant" | "reflect" | "replicate" | "circular"; value?: number } = {},
): Tensor {
  const { mode = "constant", value } = options;
  return ops.pad(input, padding, { mode, value: mode === "constant" ? (value ?? 0) : null });
}

export function cosineSimilarity(x1: Tensor, x2: Tensor, options: { dim?: number; eps?: number } = {}): Tensor {
  return ops.cosineSimilarity(x1, x2, { dim: options.dim ?? 1, eps: options.eps ?? 1e-8 });
}
export function pairwiseDistance(x1: Tensor, x2: Tensor, options: { p?: number; eps?: number; keepdim?: boolean } = {}): Tensor {
  return ops.pairwiseDistance(x1, x2, { p: options.p ?? 2, eps: options.eps ?? 1e-6, keepdim: options.keepdim ?? false });
}
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  return ops.pixelShuffle(input, upscaleFactor);
}

// ---- losses ----

export interface LossOptions {
  reduction?: Reduction;
}
export interface WeightedLossOptions extends LossOptions {
  /** A manual rescaling weight per class. */
  weight?: Tensor | null;
  /** A target value that is ignored and does not contribute to the gradient. Default: -100. */
  ignoreIndex?: number;
}

/**
 * Cross entropy between logits (N, C) or (N, C, d1, ...) and class indices (N) / (N, d1, ...)
 * or class probabilities of the input's shape. `labelSmoothing` in [0, 1] mixes the target
 * with the uniform distribution.
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  options: WeightedLossOptions & { labelSmoothing?: number } = {},
): Tensor {
  checkTensor(input, "cross_entropy", "input");
  checkTensor(target, "cross_entropy", "target");
  const labelSmoothing = options.labelSmoothing ?? 0;
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RangeError(`cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: ${String(labelSmoothing)}`);
  }
  return ops.crossEntropyLoss(input, target, {
    weight: options.weight ?? null,
    reduction: reductionEnum(options.reduction, "cross_entropy"),
    ignoreIndex: options.ignoreIndex ?? -100,
    labelSmoothing,
  });
}

/** Negative log likelihood of log-probabilities (N, C, *) at class indices (N, *). */
export function nllLoss(input: Tensor, target: Tensor, options: WeightedLossOptions = {}): Tensor {
  return ops.nllLossNd(input, target, {
    weight: options.weight ?? null,
    reduction: reductionEnum(options.reduction, "nll_loss"),
    ignoreIndex: options.ignoreIndex ?? -100,
  });
}

/** Mean squared error. */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  return ops.mseLoss(input, target, { reduction: reductionEnum(options.reduction, "mse_loss") });
}
/** Mean absolute error. */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  return ops.l1Loss(input, target, { reduction: reductionEnum(options.reduction, "l1_loss") });
}
/** Smooth L1: quadratic below `beta` (default 1), linear above. */
export function smoothL1Loss(input: Tensor, target: Tensor, options: LossOptions & { beta?: number } = {}): Tensor {
  return ops.smoothL1Loss(input, target, { reduction: reductionEnum(options.reduction, "smooth_l1_loss"), beta: options.beta ?? 1 });
}
/** Huber loss with threshold `delta` (default 1). */
export function huberLoss(input: Tensor, target: Tensor, options: LossOptions & { delta?: number } = {}): Tensor {
  return ops.huberLoss(input, target, { reduction: reductionEnum(options.reduction, "huber_loss"), delta: options.delta ?? 1 });
}

function checkSameSize(input: Tensor, target: Tensor, fn: string): void {
  const a = input.shape;
  const b = target.shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new Error(
      `${fn}: Using a target size ([${b.join(", ")}]) that is different to the input size ([${a.join(", ")}]) is deprecated. Please ensure they have the same size.`,
    );
  }
}

/** Binary cross entropy between probabilities and targets of the same shape. */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  options: LossOptions & { weight?: Tensor | null } = {},
): Tensor {
  checkSameSize(input, target, "binary_cross_entropy");
  const weight = options.weight ? options.weight.expand(input.shape) : null;
  return ops.binaryCrossEntropy(input, target, { weight, reduction: reductionEnum(options.reduction, "binary_cross_entropy") });
}
/** Sigmoid + binary cross entropy, numerically stable; `posWeight` weighs positives per class. */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {},
): Tensor {
  checkSameSize(input, target, "binary_cross_entropy_with_logits");
  return ops.binaryCrossEntropyWithLogits(input, target, {
    weight: options.weight ?? null,
    posWeight: options.posWeight ?? null,
    reduction: reductionEnum(options.reduction, "binary_cross_entropy_with_logits"),
  });
}

/**
 * Kullback-Leibler divergence, input as log-probabilities. `reduction: "batchmean"` divides
 * the sum by the batch size (the mathematically correct mean).
 */
export function klDiv(
  input: Tensor,
  target: Tensor,
  options: { reduction?: Reduction | "batchmean"; logTarget?: boolean } = {},
): Tensor {
  const { reduction = "mean", logTarget = false } = options;
  if (reduction === "batchmean") {
    const summed = ops.klDiv(input, target, { reduction: 2, logTarget });
    return input.dim() === 0 ? summed : summed.div(input.shape[0]!);
  }
  return ops.klDiv(input, target, { reduction: reductionEnum(reduction, "kl_div"), logTarget });
}

export function marginRankingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  options: LossOptions & { margin?: number } = {},
): Tensor {
  return ops.marginRankingLoss(input1, input2, target, {
    margin: options.margin ?? 0,
    reduction: reductionEnum(options.reduction, "margin_ranking_loss"),
  });
}
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, options: LossOptions & { margin?: number } = {}): Tensor {
  return ops.hingeEmbeddingLoss(input, target, {
    margin: options.margin ?? 1,
    reduction: reductionEnum(options.reduction, "hinge_embedding_loss"),
  });
}
export function softMarginLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  return ops.softMarginLoss(input, target, { reduction: reductionEnum(options.reduction, "soft_margin_loss") });
}
export function cosineEmbeddingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  options: LossOptions & { margin?: number } = {},
): Tensor {
  return ops.cosineEmbeddingLoss(input1, input2, target, {
    margin: options.margin ?? 0,
    reduction: reductionEnum(options.reduction, "cosine_embedding_loss"),
  });
}
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  options: LossOptions & { margin?: number; p?: number; eps?: number; swap?: boolean } = {},
): Tensor {
  return ops.tripletMarginLoss(anchor, positive, negative, {
    margin: options.margin ?? 1,
    p: options.p ?? 2,
    eps: options.eps ?? 1e-6,
    swap: options.swap ?? false,
    reduction: reductionEnum(options.reduction, "triplet_margin_loss"),
  });
}

// ---- resampling ----

export type InterpolateMode = "nearest" | "linear" | "bilinear" | "bicubic" | "trilinear";

export interface InterpolateOptions {
  /** Output spatial size (an int for every spatial dim, or one per dim). */
  size?: number | readonly number[];
  /** Multiplier of the spatial size (one, or one per dim). */
  scaleFactor?: number | readonly number[];
  mode?: InterpolateMode;
  /** For the linear modes: align the corner pixels' centres. Default: false. */
  alignCorners?: boolean;
}

/**
 * Resizes (N, C, *spatial) inputs by `size` or `scaleFactor` (F.interpolate): "nearest" for
 * 1-3 spatial dims, "linear" (1), "bilinear"/"bicubic" (2), "trilinear" (3).
 */
export function interpolate(input: Tensor, options: InterpolateOptions): Tensor {
  const { size, scaleFactor, mode = "nearest" } = options;
  const dims = input.dim() - 2;
  if (dims < 1 || dims > 3) throw new Error(`interpolate: expected a 3-d, 4-d or 5-d input, got ${input.dim()}-d`);
  if ((size === undefined) === (scaleFactor === undefined)) throw new Error("interpolate: give exactly one of size or scaleFactor");
  const expand = (v: number | readonly number[], what: string): number[] => {
    const list = typeof v === "number" ? Array<number>(dims).fill(v) : [...v];
    if (list.length !== dims) throw new Error(`interpolate: ${what} must have ${dims} elements for a ${input.dim()}-d input`);
    return list;
  };
  const outputSize = size === undefined ? null : expand(size, "size");
  const scales = scaleFactor === undefined ? null : expand(scaleFactor, "scaleFactor");
  const alignCorners = options.alignCorners ?? false;
  if (mode === "nearest") {
    if (options.alignCorners !== undefined) throw new Error("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
    type Nearest = (input: Tensor, outputSize: number[] | null, scaleFactors: number[] | null) => Tensor;
    const nearest: Nearest[] = [ops.upsampleNearest1d, ops.upsampleNearest2d, ops.upsampleNearest3d];
    return nearest[dims - 1]!(input, outputSize, scales);
  }
  type Interpolating = (input: Tensor, outputSize: number[] | null, alignCorners: boolean, scaleFactors: number[] | null) => Tensor;
  const kernels: Record<string, [number, Interpolating]> = {
    linear: [1, ops.upsampleLinear1d],
    bilinear: [2, ops.upsampleBilinear2d],
    bicubic: [2, ops.upsampleBicubic2d],
    trilinear: [3, ops.upsampleTrilinear3d],
  };
  const kernel = kernels[mode];
  if (!kernel) throw new Error(`interpolate: unknown mode '${String(mode)}'`);
  if (kernel[0] !== dims) throw new Error(`interpolate: mode '${mode}' needs a ${kernel[0] + 2}-d input, got ${input.dim()}-d`);
  return kernel[1](input, outputSize, alignCorners, scales);
}

export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from "./attention.js";
