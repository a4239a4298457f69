// Loss modules: each holds its options (and class weights as a buffer, as PyTorch) and calls
// the matching nn.functional loss.
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import * as F from "./functional.js";

abstract class Loss extends Module {
  readonly reduction: F.Reduction;
  constructor(options: F.LossOptions = {}) {
    super();
    F.reductionEnum(options.reduction, this.constructor.name);
    this.reduction = options.reduction ?? "mean";
  }
}

abstract class WeightedLoss extends Loss {
  declare weight: Tensor | null;
  constructor(options: F.LossOptions & { weight?: Tensor | null } = {}) {
    super(options);
    this.registerBuffer("weight", options.weight ?? null);
  }
}

/**
 * Cross entropy between logits and class indices or class probabilities
 * (torch.nn.CrossEntropyLoss): combines LogSoftmax and NLLLoss.
 *
 * Options: weight (C), ignoreIndex (-100), reduction ("mean"), labelSmoothing (0).
 *
 * Shape: Input (N, C) or (N, C, d1, ...) or (C); Target (N) / (N, d1, ...) class indices in
 * [0, C), or the input's shape of probabilities; Output scalar, or (N, ...) with "none".
 */
export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(options: F.WeightedLossOptions & { labelSmoothing?: number } = {}) {
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
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
 * Shape: Input (N, C) or (N, C, d1, ...); Target (N) or (N, d1, ...) class indices.
 */
export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  constructor(options: F.WeightedLossOptions = {}) {
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Mean squared error (torch.nn.MSELoss). Shape: Input (*), Target (*) the same. */
export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}
/** Mean absolute error (torch.nn.L1Loss). */
export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}
/** Smooth L1: 0.5·x²/β below β, |x| − 0.5·β above (torch.nn.SmoothL1Loss). */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(options: F.LossOptions & { beta?: number } = {}) {
    super(options);
    this.beta = options.beta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
/** Huber loss (torch.nn.HuberLoss). */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(options: F.LossOptions & { delta?: number } = {}) {
    super(options);
    this.delta = options.delta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
/** Binary cross entropy of probabilities (torch.nn.BCELoss). Shape: Input (*), Target the same. */
export class BCELoss extends WeightedLoss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
/**
 * Sigmoid + binary cross entropy in one stable op (torch.nn.BCEWithLogitsLoss); `posWeight`
 * (a buffer, as PyTorch) weighs positive examples per class.
 */
export class BCEWithLogitsLoss extends WeightedLoss {
  declare posWeight: Tensor | null;
  constructor(options: F.LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {}) {
    super(options);
    this.stateKeys({ posWeight: "pos_weight" });
    this.registerBuffer("posWeight", options.posWeight ?? null);
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
 */
export class KLDivLoss extends Module {
  readonly reduction: F.Reduction | "batchmean";
  readonly logTarget: boolean;
  constructor(options: { reduction?: F.Reduction | "batchmean"; logTarget?: boolean } = {}) {
    super();
    this.reduction = options.reduction ?? "mean";
    if (this.reduction !== "batchmean") F.reductionEnum(this.reduction, "KLDivLoss");
    this.logTarget = options.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
/** max(0, −y·(x1 − x2) + margin) (torch.nn.MarginRankingLoss). */
export class MarginRankingLoss extends Loss {
  readonly margin: number;
  constructor(options: F.LossOptions & { margin?: number } = {}) {
    super(options);
    this.margin = options.margin ?? 0;
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.marginRankingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}
/** Hinge embedding loss for targets ±1 (torch.nn.HingeEmbeddingLoss). */
export class HingeEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(options: F.LossOptions & { margin?: number } = {}) {
    super(options);
    this.margin = options.margin ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}
/** Two-class logistic loss for targets ±1 (torch.nn.SoftMarginLoss). */
export class SoftMarginLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.softMarginLoss(input, target, { reduction: this.reduction });
  }
}
/** Cosine embedding loss for targets ±1 (torch.nn.CosineEmbeddingLoss). */
export class CosineEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(options: F.LossOptions & { margin?: number } = {}) {
    super(options);
    this.margin = options.margin ?? 0;
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.cosineEmbeddingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}
/** Triplet margin loss (torch.nn.TripletMarginLoss). */
export class TripletMarginLoss extends Loss {
  readonly margin: number;
  readonly p: number;
  readonly eps: number;
  readonly swap: boolean;
  constructor(options: F.LossOptions & { margin?: number; p?: number; eps?: number; swap?: boolean } = {}) {
    super(options);
    this.margin = options.margin ?? 1;
    this.p = options.p ?? 2;
    this.eps = options.eps ?? 1e-6;
    this.swap = options.swap ?? false;
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.tripletMarginLoss(anchor, positive, negative, {
      margin: this.margin,
      p: this.p,
      eps: this.eps,
      swap: this.swap,
      reduction: this.reduction,
    });
  }
}
