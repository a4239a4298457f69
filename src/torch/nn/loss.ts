// Loss modules (torch/nn/modules/loss.py): each binds Python's constructor arguments (with the
// legacy sizeAverage/reduce folded into `reduction`, as Python's _Loss), holds class weights as a
// buffer, and calls the matching functional loss or aten kernel.
import type { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { Module } from "./module.js";
import * as F from "./functional.js";
import { bind, type ArgsOf } from "../binding/index.js";

/** How a loss reduces over the batch. */
export type Reduction = "none" | "mean" | "sum";

const REDUCTIONS: readonly string[] = ["none", "mean", "sum"];

/** aten's reduction enum (0 none, 1 mean, 2 sum). */
function reductionCode(reduction: Reduction): number {
  return REDUCTIONS.indexOf(reduction);
}

/** Python's _Reduction.legacy_get_string: the deprecated flags win over `reduction` when given. */
function legacyReduction(
  name: string,
  a: { sizeAverage?: unknown; reduce?: unknown; reduction: string },
  allowed: readonly string[] = REDUCTIONS,
): string {
  const check = (v: unknown, what: string): boolean | null => {
    if (v === null || v === undefined) return null;
    if (typeof v !== "boolean") throw new TypeError(`${name}(): argument '${what}' must be bool or None`);
    return v;
  };
  const sizeAverage = check(a.sizeAverage, "sizeAverage");
  const reduce = check(a.reduce, "reduce");
  let reduction = a.reduction;
  if (sizeAverage !== null || reduce !== null) {
    if (reduce === false) reduction = "none";
    else reduction = sizeAverage === false ? "sum" : "mean";
  }
  if (!allowed.includes(reduction)) throw new Error(`${name}: ${reduction} is not a valid value for reduction`);
  return reduction;
}

abstract class Loss extends Module {
  readonly reduction: Reduction;
  protected constructor(reduction: string) {
    super();
    this.reduction = reduction as Reduction;
  }
}

abstract class WeightedLoss extends Loss {
  declare weight: Tensor | null;
  protected constructor(reduction: string, weight: Tensor | null) {
    super(reduction);
    this.registerBuffer("weight", weight);
  }
}

/**
 * Cross entropy between logits and class indices or class probabilities
 * (torch.nn.CrossEntropyLoss): combines LogSoftmax and NLLLoss.
 *
 * Args (positionally or by name, in Python's order): weight (C), sizeAverage, ignoreIndex
 * (-100), reduce, reduction ("mean"), labelSmoothing (0).
 *
 * Shape: Input (N, C) or (N, C, d1, ...) or (C); Target (N) / (N, d1, ...) class indices in
 * [0, C), or the input's shape of probabilities; Output scalar, or (N, ...) with "none".
 *
 * Example:
 *   new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, target)
 */
export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(...args: ArgsOf<"torch.nn.CrossEntropyLoss">) {
    const a = bind("torch.nn.CrossEntropyLoss", args);
    super(legacyReduction("CrossEntropyLoss", a), a.weight);
    this.ignoreIndex = a.ignoreIndex;
    this.labelSmoothing = a.labelSmoothing;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/**
 * Negative log likelihood of log-probabilities (torch.nn.NLLLoss).
 *
 * Args: weight, sizeAverage, ignoreIndex (-100), reduce, reduction ("mean").
 * Shape: Input (N, C) or (N, C, d1, ...); Target (N) or (N, d1, ...) class indices.
 */
export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  constructor(...args: ArgsOf<"torch.nn.NLLLoss">) {
    const a = bind("torch.nn.NLLLoss", args);
    super(legacyReduction("NLLLoss", a), a.weight);
    this.ignoreIndex = a.ignoreIndex;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Mean squared error (torch.nn.MSELoss). Args: sizeAverage, reduce, reduction. Shape: Input (*), Target the same. */
export class MSELoss extends Loss {
  constructor(...args: ArgsOf<"torch.nn.MSELoss">) {
    super(legacyReduction("MSELoss", bind("torch.nn.MSELoss", args)));
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}
/** Mean absolute error (torch.nn.L1Loss). Args: sizeAverage, reduce, reduction. */
export class L1Loss extends Loss {
  constructor(...args: ArgsOf<"torch.nn.L1Loss">) {
    super(legacyReduction("L1Loss", bind("torch.nn.L1Loss", args)));
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}
/** Smooth L1: 0.5·x²/β below β, |x| − 0.5·β above (torch.nn.SmoothL1Loss). Args: sizeAverage, reduce, reduction, beta (1). */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(...args: ArgsOf<"torch.nn.SmoothL1Loss">) {
    const a = bind("torch.nn.SmoothL1Loss", args);
    super(legacyReduction("SmoothL1Loss", a));
    this.beta = a.beta;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
/** Huber loss (torch.nn.HuberLoss). Args: reduction ("mean"), delta (1). */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(...args: ArgsOf<"torch.nn.HuberLoss">) {
    const a = bind("torch.nn.HuberLoss", args);
    super(legacyReduction("HuberLoss", a));
    this.delta = a.delta;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
/** Binary cross entropy of probabilities (torch.nn.BCELoss). Args: weight, sizeAverage, reduce, reduction. */
export class BCELoss extends WeightedLoss {
  constructor(...args: ArgsOf<"torch.nn.BCELoss">) {
    const a = bind("torch.nn.BCELoss", args);
    super(legacyReduction("BCELoss", a), a.weight);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
/**
 * Sigmoid + binary cross entropy in one stable op (torch.nn.BCEWithLogitsLoss); `posWeight`
 * (a buffer, as PyTorch) weighs positive examples per class.
 *
 * Args: weight, sizeAverage, reduce, reduction ("mean"), posWeight.
 */
export class BCEWithLogitsLoss extends WeightedLoss {
  declare posWeight: Tensor | null;
  constructor(...args: ArgsOf<"torch.nn.BCEWithLogitsLoss">) {
    const a = bind("torch.nn.BCEWithLogitsLoss", args);
    super(legacyReduction("BCEWithLogitsLoss", a), a.weight);
    this.stateKeys({ posWeight: "pos_weight" });
    this.registerBuffer("posWeight", a.posWeight);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, {
      weight: this.weight,
      posWeight: this.posWeight,
      reduction: this.reduction,
    });
  }
}
/**
 * Kullback-Leibler divergence (torch.nn.KLDivLoss); input as log-probabilities, target as
 * probabilities (or log-probabilities with logTarget). Use reduction "batchmean" for the true KL.
 *
 * Args: sizeAverage, reduce, reduction ("mean"), logTarget (false).
 */
export class KLDivLoss extends Module {
  readonly reduction: Reduction | "batchmean";
  readonly logTarget: boolean;
  constructor(...args: ArgsOf<"torch.nn.KLDivLoss">) {
    super();
    const a = bind("torch.nn.KLDivLoss", args);
    this.reduction = legacyReduction("KLDivLoss", a, [...REDUCTIONS, "batchmean"]) as Reduction | "batchmean";
    this.logTarget = a.logTarget;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
/** max(0, −y·(x1 − x2) + margin) (torch.nn.MarginRankingLoss). Args: margin (0), sizeAverage, reduce, reduction. */
export class MarginRankingLoss extends Loss {
  readonly margin: number;
  constructor(...args: ArgsOf<"torch.nn.MarginRankingLoss">) {
    const a = bind("torch.nn.MarginRankingLoss", args);
    super(legacyReduction("MarginRankingLoss", a));
    this.margin = a.margin;
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.marginRankingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}
/** Hinge embedding loss for targets ±1 (torch.nn.HingeEmbeddingLoss). Args: margin (1), sizeAverage, reduce, reduction. */
export class HingeEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(...args: ArgsOf<"torch.nn.HingeEmbeddingLoss">) {
    const a = bind("torch.nn.HingeEmbeddingLoss", args);
    super(legacyReduction("HingeEmbeddingLoss", a));
    this.margin = a.margin;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}
/** Two-class logistic loss for targets ±1 (torch.nn.SoftMarginLoss). Args: sizeAverage, reduce, reduction. */
export class SoftMarginLoss extends Loss {
  constructor(...args: ArgsOf<"torch.nn.SoftMarginLoss">) {
    super(legacyReduction("SoftMarginLoss", bind("torch.nn.SoftMarginLoss", args)));
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return ops.softMarginLoss(input, target, { reduction: reductionCode(this.reduction) });
  }
}
/** Cosine embedding loss for targets ±1 (torch.nn.CosineEmbeddingLoss). Args: margin (0), sizeAverage, reduce, reduction. */
export class CosineEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(...args: ArgsOf<"torch.nn.CosineEmbeddingLoss">) {
    const a = bind("torch.nn.CosineEmbeddingLoss", args);
    super(legacyReduction("CosineEmbeddingLoss", a));
    this.margin = a.margin;
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.cosineEmbeddingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}
/** Triplet margin loss (torch.nn.TripletMarginLoss). Args: margin (1), p (2), eps (1e-6), swap (false), sizeAverage, reduce, reduction. */
export class TripletMarginLoss extends Loss {
  readonly margin: number;
  readonly p: number;
  readonly eps: number;
  readonly swap: boolean;
  constructor(...args: ArgsOf<"torch.nn.TripletMarginLoss">) {
    const a = bind("torch.nn.TripletMarginLoss", args);
    super(legacyReduction("TripletMarginLoss", a));
    this.margin = a.margin;
    this.p = a.p;
    this.eps = a.eps;
    this.swap = a.swap;
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return ops.tripletMarginLoss(anchor, positive, negative, {
      margin: this.margin,
      p: this.p,
      eps: this.eps,
      swap: this.swap,
      reduction: reductionCode(this.reduction),
    });
  }
}

/** Reduces an elementwise loss as Python's losses do. */
function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === "mean" ? loss.mean() : reduction === "sum" ? loss.sum() : loss;
}

/**
 * Negative log likelihood of a Poisson target (torch.nn.PoissonNLLLoss):
 * exp(input) − target·input with logInput, else input − target·log(input + eps); `full` adds
 * Stirling's term for targets > 1.
 *
 * Args: logInput (true), full (false), sizeAverage, eps (1e-8), reduce, reduction ("mean").
 */
export class PoissonNLLLoss extends Loss {
  readonly logInput: boolean;
  readonly full: boolean;
  readonly eps: number;
  constructor(...args: ArgsOf<"torch.nn.PoissonNLLLoss">) {
    const a = bind("torch.nn.PoissonNLLLoss", args);
    super(legacyReduction("PoissonNLLLoss", a));
    this.logInput = a.logInput;
    this.full = a.full;
    this.eps = a.eps;
  }
  override forward(logInput: Tensor, target: Tensor): Tensor {
    return ops.poissonNllLoss(logInput, target, this.logInput, this.full, this.eps, reductionCode(this.reduction));
  }
}

/**
 * Gaussian negative log likelihood (torch.nn.GaussianNLLLoss):
 * 0.5·(log(max(var, eps)) + (input − target)² / max(var, eps)) (+ 0.5·log 2π with `full`).
 *
 * Args (keyword-only, as Python): full (false), eps (1e-6), reduction ("mean").
 * forward(input (N, *), target (N, *), var (N, *) or one fewer trailing dim or (N, 1)).
 */
export class GaussianNLLLoss extends Loss {
  readonly full: boolean;
  readonly eps: number;
  constructor(...args: ArgsOf<"torch.nn.GaussianNLLLoss">) {
    const a = bind("torch.nn.GaussianNLLLoss", args);
    super(legacyReduction("GaussianNLLLoss", a));
    this.full = a.full;
    this.eps = a.eps;
  }
  override forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    let v = variance;
    const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
    if (!same(v.shape, input.shape)) {
      if (same(input.shape.slice(0, -1), v.shape)) v = v.unsqueeze(-1);
      else if (!(same(input.shape.slice(0, -1), v.shape.slice(0, -1)) && v.shape[v.shape.length - 1] === 1)) {
        throw new Error("var is of incorrect size");
      }
    }
    if (v.lt(0).any().item()) throw new Error("var has negative entry/entries");
    v = v.clone().detach().clamp({ min: this.eps }).add(v.sub(v.detach()));
    let loss = v.log().add(input.sub(target).pow(2).div(v)).mul(0.5);
    if (this.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
    return reduce(loss, this.reduction);
  }
}

/**
 * Multi-class multi-label hinge loss (torch.nn.MultiLabelMarginLoss): targets are class
 * indices padded with −1 after the last one.
 *
 * Args: sizeAverage, reduce, reduction. Shape: Input (C) or (N, C); Target the same, int64.
 */
export class MultiLabelMarginLoss extends Loss {
  constructor(...args: ArgsOf<"torch.nn.MultiLabelMarginLoss">) {
    super(legacyReduction("MultiLabelMarginLoss", bind("torch.nn.MultiLabelMarginLoss", args)));
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return ops.multilabelMarginLoss(input, target, { reduction: reductionCode(this.reduction) });
  }
}

/**
 * Multi-label one-versus-all loss on logits (torch.nn.MultiLabelSoftMarginLoss):
 * −mean_c(y·log σ(x) + (1 − y)·log σ(−x)), weighted per class by `weight`.
 *
 * Args: weight (C), sizeAverage, reduce, reduction. Shape: Input (N, C); Target (N, C) of 0/1.
 */
export class MultiLabelSoftMarginLoss extends WeightedLoss {
  constructor(...args: ArgsOf<"torch.nn.MultiLabelSoftMarginLoss">) {
    const a = bind("torch.nn.MultiLabelSoftMarginLoss", args);
    super(legacyReduction("MultiLabelSoftMarginLoss", a), a.weight);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    let loss = target.mul(ops.logSigmoid(input)).add(target.neg().add(1).mul(ops.logSigmoid(input.neg()))).neg();
    if (this.weight) loss = loss.mul(this.weight);
    loss = loss.sum(input.dim() - 1).div(input.shape[input.dim() - 1]!);
    return reduce(loss, this.reduction);
  }
}

/**
 * Multi-class hinge loss (torch.nn.MultiMarginLoss): Σ_{i≠y} max(0, margin − x[y] + x[i])^p / C.
 *
 * Args: p (1 or 2), margin (1), weight (C), sizeAverage, reduce, reduction.
 */
export class MultiMarginLoss extends WeightedLoss {
  readonly p: number;
  readonly margin: number;
  constructor(...args: ArgsOf<"torch.nn.MultiMarginLoss">) {
    const a = bind("torch.nn.MultiMarginLoss", args);
    super(legacyReduction("MultiMarginLoss", a), a.weight);
    if (a.p !== 1 && a.p !== 2) throw new Error("MultiMarginLoss: only p == 1 and p == 2 supported");
    if (a.weight !== null && a.weight.dim() !== 1) throw new Error("MultiMarginLoss: weight must be one-dimensional");
    this.p = a.p;
    this.margin = a.margin;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return ops.multiMarginLoss(input, target, {
      p: this.p,
      margin: this.margin,
      weight: this.weight,
      reduction: reductionCode(this.reduction),
    });
  }
}

/**
 * Triplet margin loss with a custom distance (torch.nn.TripletMarginWithDistanceLoss):
 * max(d(a, p) − d(a, n) + margin, 0), d the pairwise distance unless `distanceFunction` is given.
 *
 * Args (keyword-only, as Python): distanceFunction, margin (1), swap (false), reduction ("mean").
 */
export class TripletMarginWithDistanceLoss extends Loss {
  readonly distanceFunction: (x1: Tensor, x2: Tensor) => Tensor;
  readonly margin: number;
  readonly swap: boolean;
  constructor(...args: ArgsOf<"torch.nn.TripletMarginWithDistanceLoss">) {
    const a = bind("torch.nn.TripletMarginWithDistanceLoss", args);
    super(legacyReduction("TripletMarginWithDistanceLoss", a));
    if (!(a.margin > 0)) throw new Error(`TripletMarginWithDistanceLoss: expected margin to be greater than 0, got ${a.margin} instead`);
    this.distanceFunction =
      (a.distanceFunction as ((x1: Tensor, x2: Tensor) => Tensor) | null) ?? ((x1, x2) => ops.pairwiseDistance(x1, x2));
    this.margin = a.margin;
    this.swap = a.swap;
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    const positiveDist = this.distanceFunction(anchor, positive);
    let negativeDist = this.distanceFunction(anchor, negative);
    if (this.swap) negativeDist = ops.minimum(negativeDist, this.distanceFunction(positive, negative));
    const loss = positiveDist.sub(negativeDist).add(this.margin).clamp({ min: 0 });
    return reduce(loss, this.reduction);
  }
}

/**
 * Connectionist temporal classification loss (torch.nn.CTCLoss), for unsegmented sequences.
 *
 * Args: blank (0), reduction ("mean": each loss divided by its target length, then averaged),
 * zeroInfinity (false).
 *
 * forward(logProbs (T, N, C) or (T, C) log-softmaxed, targets (N, S) or concatenated,
 * inputLengths (N), targetLengths (N)), lengths as tensors or arrays.
 */
export class CTCLoss extends Loss {
  readonly blank: number;
  readonly zeroInfinity: boolean;
  constructor(...args: ArgsOf<"torch.nn.CTCLoss">) {
    const a = bind("torch.nn.CTCLoss", args);
    super(legacyReduction("CTCLoss", a));
    this.blank = a.blank;
    this.zeroInfinity = a.zeroInfinity;
  }
  override forward(
    logProbs: Tensor,
    targets: Tensor,
    inputLengths: Tensor | readonly number[],
    targetLengths: Tensor | readonly number[],
  ): Tensor {
    const options = { blank: this.blank, reduction: reductionCode(this.reduction), zeroInfinity: this.zeroInfinity };
    if (Array.isArray(inputLengths) && Array.isArray(targetLengths)) {
      return ops.ctcLoss(logProbs, targets, inputLengths as readonly number[], targetLengths as readonly number[], options);
    }
    if (Array.isArray(inputLengths) || Array.isArray(targetLengths)) {
      throw new TypeError("CTCLoss.forward(): inputLengths and targetLengths must both be tensors or both be arrays");
    }
    return ops.ctcLoss(logProbs, targets, inputLengths as Tensor, targetLengths as Tensor, options);
  }
}
