// nn.functional losses, each with Python's parameters (the deprecated size_average/reduce included).
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { noGrad } from "../../tensor/runtime.js";
import { onesLike, tensor } from "../../tensor/creation.js";
import { bind, type ArgsOf } from "../../binding/index.js";
import { lossReduction, reductionEnum } from "./reduction.js";
import { pairwiseDistance } from "./distance.js";
import { logsigmoid } from "./activation.js";

function reduce(loss: Tensor, reduction: string, fn: string): Tensor {
  const r = reductionEnum(reduction, fn);
  return r === 0 ? loss : r === 1 ? loss.mean() : loss.sum();
}

function checkSameSize(input: Tensor, target: Tensor, fn: string): void {
  const a = input.shape;
  const b = target.shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new Error(`${fn}: Using a target size ([${b.join(", ")}]) that is different to the input size ([${a.join(", ")}]) is deprecated. Please ensure they have the same size.`);
  }
}

/**
 * Cross entropy between logits (N, C) or (N, C, d1, ...) and class indices (N) / (N, d1, ...) or
 * class probabilities of the input's shape; `labelSmoothing` mixes the target with the uniform one.
 *
 * @example
 * F.crossEntropy(logits, labels, { labelSmoothing: 0.1 })
 */
export function crossEntropy(...args: ArgsOf<"torch.nn.functional.cross_entropy">): Tensor {
  const a = bind("torch.nn.functional.cross_entropy", args);
  if (!(a.labelSmoothing >= 0 && a.labelSmoothing <= 1)) {
    throw new RangeError(`cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: ${String(a.labelSmoothing)}`);
  }
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "cross_entropy");
  return ops.crossEntropyLoss(a.input, a.target, { weight: a.weight, reduction, ignoreIndex: a.ignoreIndex, labelSmoothing: a.labelSmoothing });
}
/** Negative log likelihood of log-probabilities (N, C, *) at class indices (N, *). */
export function nllLoss(...args: ArgsOf<"torch.nn.functional.nll_loss">): Tensor {
  const a = bind("torch.nn.functional.nll_loss", args);
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "nll_loss");
  return ops.nllLossNd(a.input, a.target, { weight: a.weight, reduction, ignoreIndex: a.ignoreIndex });
}
/** Mean squared error. */
export function mseLoss(...args: ArgsOf<"torch.nn.functional.mse_loss">): Tensor {
  const a = bind("torch.nn.functional.mse_loss", args);
  return ops.mseLoss(a.input, a.target, { reduction: lossReduction(a.sizeAverage, a.reduce, a.reduction, "mse_loss") });
}
/** Mean absolute error. */
export function l1Loss(...args: ArgsOf<"torch.nn.functional.l1_loss">): Tensor {
  const a = bind("torch.nn.functional.l1_loss", args);
  return ops.l1Loss(a.input, a.target, { reduction: lossReduction(a.sizeAverage, a.reduce, a.reduction, "l1_loss") });
}
/** Smooth L1: quadratic below `beta`, linear above. */
export function smoothL1Loss(...args: ArgsOf<"torch.nn.functional.smooth_l1_loss">): Tensor {
  const a = bind("torch.nn.functional.smooth_l1_loss", args);
  return ops.smoothL1Loss(a.input, a.target, { reduction: lossReduction(a.sizeAverage, a.reduce, a.reduction, "smooth_l1_loss"), beta: a.beta });
}
/** Huber loss with threshold `delta`. */
export function huberLoss(...args: ArgsOf<"torch.nn.functional.huber_loss">): Tensor {
  const a = bind("torch.nn.functional.huber_loss", args);
  return ops.huberLoss(a.input, a.target, { reduction: reductionEnum(a.reduction, "huber_loss"), delta: a.delta });
}
/** Binary cross entropy between probabilities and targets of the same shape. */
export function binaryCrossEntropy(...args: ArgsOf<"torch.nn.functional.binary_cross_entropy">): Tensor {
  const a = bind("torch.nn.functional.binary_cross_entropy", args);
  checkSameSize(a.input, a.target, "binary_cross_entropy");
  const weight = a.weight === null ? null : a.weight.expand(a.input.shape);
  return ops.binaryCrossEntropy(a.input, a.target, { weight, reduction: lossReduction(a.sizeAverage, a.reduce, a.reduction, "binary_cross_entropy") });
}
/** Sigmoid + binary cross entropy, numerically stable; `posWeight` weighs positives per class. */
export function binaryCrossEntropyWithLogits(...args: ArgsOf<"torch.nn.functional.binary_cross_entropy_with_logits">): Tensor {
  const a = bind("torch.nn.functional.binary_cross_entropy_with_logits", args);
  checkSameSize(a.input, a.target, "binary_cross_entropy_with_logits");
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "binary_cross_entropy_with_logits");
  return ops.binaryCrossEntropyWithLogits(a.input, a.target, { weight: a.weight, posWeight: a.posWeight, reduction });
}
/**
 * Kullback-Leibler divergence, input as log-probabilities; `reduction: "batchmean"` divides the sum
 * by the batch size (the mathematically correct mean).
 */
export function klDiv(...args: ArgsOf<"torch.nn.functional.kl_div">): Tensor {
  const a = bind("torch.nn.functional.kl_div", args);
  if (a.reduction === "batchmean" && a.sizeAverage === null && a.reduce === null) {
    const summed = ops.klDiv(a.input, a.target, { reduction: 2, logTarget: a.logTarget });
    return a.input.dim() === 0 ? summed : summed.div(a.input.shape[0]!);
  }
  return ops.klDiv(a.input, a.target, { reduction: lossReduction(a.sizeAverage, a.reduce, a.reduction, "kl_div"), logTarget: a.logTarget });
}
/** max(0, −y·(x₁ − x₂) + margin). */
export function marginRankingLoss(...args: ArgsOf<"torch.nn.functional.margin_ranking_loss">): Tensor {
  const a = bind("torch.nn.functional.margin_ranking_loss", args);
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "margin_ranking_loss");
  return ops.marginRankingLoss(a.input1, a.input2, a.target, { margin: a.margin, reduction });
}
/** x for y = 1, max(0, margin − x) for y = −1. */
export function hingeEmbeddingLoss(...args: ArgsOf<"torch.nn.functional.hinge_embedding_loss">): Tensor {
  const a = bind("torch.nn.functional.hinge_embedding_loss", args);
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "hinge_embedding_loss");
  return ops.hingeEmbeddingLoss(a.input, a.target, { margin: a.margin, reduction });
}
/** log(1 + exp(−y·x)) averaged. */
export function softMarginLoss(...args: ArgsOf<"torch.nn.functional.soft_margin_loss">): Tensor {
  const a = bind("torch.nn.functional.soft_margin_loss", args);
  return ops.softMarginLoss(a.input, a.target, { reduction: lossReduction(a.sizeAverage, a.reduce, a.reduction, "soft_margin_loss") });
}
/** 1 − cos(x₁, x₂) for y = 1, max(0, cos(x₁, x₂) − margin) for y = −1. */
export function cosineEmbeddingLoss(...args: ArgsOf<"torch.nn.functional.cosine_embedding_loss">): Tensor {
  const a = bind("torch.nn.functional.cosine_embedding_loss", args);
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "cosine_embedding_loss");
  return ops.cosineEmbeddingLoss(a.input1, a.input2, a.target, { margin: a.margin, reduction });
}
/** max(d(a, p) − d(a, n) + margin, 0) with the p-norm distance. */
export function tripletMarginLoss(...args: ArgsOf<"torch.nn.functional.triplet_margin_loss">): Tensor {
  const a = bind("torch.nn.functional.triplet_margin_loss", args);
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "triplet_margin_loss");
  return ops.tripletMarginLoss(a.anchor, a.positive, a.negative, { margin: a.margin, p: a.p, eps: a.eps, swap: a.swap, reduction });
}
/** Triplet loss with a custom distance function (default: pairwise distance). */
export function tripletMarginWithDistanceLoss(...args: ArgsOf<"torch.nn.functional.triplet_margin_with_distance_loss">): Tensor {
  const a = bind("torch.nn.functional.triplet_margin_with_distance_loss", args);
  const distance = (a.distanceFunction as ((x: Tensor, y: Tensor) => Tensor) | null) ?? ((x: Tensor, y: Tensor) => pairwiseDistance(x, y));
  const positive = distance(a.anchor, a.positive);
  let negative = distance(a.anchor, a.negative);
  if (a.swap) negative = ops.minimum(negative, distance(a.positive, a.negative));
  return reduce(positive.sub(negative).add(a.margin).clampMin(0), a.reduction, "triplet_margin_with_distance_loss");
}
/** Multi-class hinge loss: Σ max(0, margin − x[y] + x[i])ᵖ / C. */
export function multiMarginLoss(...args: ArgsOf<"torch.nn.functional.multi_margin_loss">): Tensor {
  const a = bind("torch.nn.functional.multi_margin_loss", args);
  if (a.p !== 1 && a.p !== 2) throw new Error("nn.functional.multiMarginLoss(): only p == 1 and p == 2 supported");
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "multi_margin_loss");
  return ops.multiMarginLoss(a.input, a.target, a.p, a.margin, a.weight, reduction);
}
/** Multi-label hinge loss; target holds class indices padded with −1. */
export function multilabelMarginLoss(...args: ArgsOf<"torch.nn.functional.multilabel_margin_loss">): Tensor {
  const a = bind("torch.nn.functional.multilabel_margin_loss", args);
  return ops.multilabelMarginLoss(a.input, a.target, lossReduction(a.sizeAverage, a.reduce, a.reduction, "multilabel_margin_loss"));
}
/** Multi-label one-versus-all loss of logits (N, C) against 0/1 targets. */
export function multilabelSoftMarginLoss(...args: ArgsOf<"torch.nn.functional.multilabel_soft_margin_loss">): Tensor {
  const a = bind("torch.nn.functional.multilabel_soft_margin_loss", args);
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "multilabel_soft_margin_loss");
  let loss = a.target.mul(logsigmoid(a.input)).add(a.target.neg().add(1).mul(logsigmoid(a.input.neg()))).neg();
  if (a.weight !== null) loss = loss.mul(a.weight);
  const classDim = a.input.dim() - 1;
  loss = loss.sum(classDim).div(a.input.shape[classDim]!);
  return reduction === 0 ? loss : reduction === 1 ? loss.mean() : loss.sum();
}
/** Poisson negative log likelihood: exp(x) − y·x with logInput (else x − y·log(x + eps)). */
export function poissonNllLoss(...args: ArgsOf<"torch.nn.functional.poisson_nll_loss">): Tensor {
  const a = bind("torch.nn.functional.poisson_nll_loss", args);
  const reduction = lossReduction(a.sizeAverage, a.reduce, a.reduction, "poisson_nll_loss");
  return ops.poissonNllLoss(a.input, a.target, a.logInput, a.full, a.eps, reduction);
}
/** Gaussian negative log likelihood with predicted variances `var` (clamped to eps). */
export function gaussianNllLoss(...args: ArgsOf<"torch.nn.functional.gaussian_nll_loss">): Tensor {
  const a = bind("torch.nn.functional.gaussian_nll_loss", args);
  const { input, target, full, eps } = a;
  // torch 2.x also takes one number for every variance.
  if (typeof a.var === "number" && a.var < 0) throw new Error("nn.functional.gaussianNllLoss(): var has negative entry/entries");
  let variance = typeof a.var === "number" ? onesLike(input).mul(a.var) : a.var;
  const same = (x: readonly number[], y: readonly number[]): boolean => x.length === y.length && x.every((d, i) => d === y[i]);
  if (!same(variance.shape, input.shape)) {
    if (same(input.shape.slice(0, -1), variance.shape)) variance = variance.unsqueeze(-1);
    else if (!(same(input.shape.slice(0, -1), variance.shape.slice(0, -1)) && variance.shape[variance.dim() - 1] === 1)) {
      throw new Error("nn.functional.gaussianNllLoss(): var is of incorrect size");
    }
  }
  reductionEnum(a.reduction, "gaussian_nll_loss");
  if (variance.lt(0).any().item()) throw new Error("nn.functional.gaussianNllLoss(): var has negative entry/entries");
  variance = variance.clone();
  const clamped = variance;
  noGrad(() => clamped.clampMin_(eps));
  let loss = variance.log().add(input.sub(target).pow(2).div(variance)).mul(0.5);
  if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(loss, a.reduction, "gaussian_nll_loss");
}
/** Connectionist Temporal Classification loss of log-probabilities (T, N, C). */
export function ctcLoss(...args: ArgsOf<"torch.nn.functional.ctc_loss">): Tensor {
  const a = bind("torch.nn.functional.ctc_loss", args);
  const options = { blank: a.blank, reduction: reductionEnum(a.reduction, "ctc_loss"), zeroInfinity: a.zeroInfinity };
  const { inputLengths, targetLengths } = a;
  if (Array.isArray(inputLengths) && Array.isArray(targetLengths)) return ops.ctcLoss(a.logProbs, a.targets, inputLengths, targetLengths, options);
  const asTensor = (v: Tensor | readonly number[]): Tensor => (Array.isArray(v) ? tensor(v, { dtype: "int64" }) : (v as Tensor));
  return ops.ctcLoss(a.logProbs, a.targets, asTensor(inputLengths), asTensor(targetLengths), options);
}
