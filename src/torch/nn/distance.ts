// CosineSimilarity and PairwiseDistance (torch/nn/modules/distance.py).
import type { Tensor } from "../tensor/tensor.js";
import { Module, pyFloat } from "./module.js";
import * as F from "./functional.js";
import { bind, type ArgsOf } from "../binding/index.js";

/**
 * Cosine similarity x₁·x₂ / max(‖x₁‖·‖x₂‖, eps) along `dim` (torch.nn.CosineSimilarity).
 *
 * Args: dim (1), eps (1e-8). Shape: x1 (∗₁, D, ∗₂), x2 broadcastable to it; output (∗₁, ∗₂).
 */
export class CosineSimilarity extends Module {
  readonly dim: number;
  readonly eps: number;
  constructor(...args: ArgsOf<"torch.nn.CosineSimilarity">) {
    super();
    ({ dim: this.dim, eps: this.eps } = bind("torch.nn.CosineSimilarity", args));
  }
  override forward(...args: ArgsOf<"torch.nn.CosineSimilarity.forward">): Tensor {
    const { x1, x2 } = bind("torch.nn.CosineSimilarity.forward", args);
    return F.cosineSimilarity(x1, x2, this.dim, this.eps);
  }
}

/**
 * The p-norm of x₁ − x₂ + eps along the last dimension (torch.nn.PairwiseDistance).
 *
 * Args: p (2), eps (1e-6), keepdim (false). Shape: (N, D) or (D) -> (N) or (); (N, 1) with keepdim.
 */
export class PairwiseDistance extends Module {
  readonly norm: number;
  readonly eps: number;
  readonly keepdim: boolean;
  constructor(...args: ArgsOf<"torch.nn.PairwiseDistance">) {
    super();
    ({ p: this.norm, eps: this.eps, keepdim: this.keepdim } = bind("torch.nn.PairwiseDistance", args));
  }
  override forward(...args: ArgsOf<"torch.nn.PairwiseDistance.forward">): Tensor {
    const { x1, x2 } = bind("torch.nn.PairwiseDistance.forward", args);
    return F.pairwiseDistance(x1, x2, this.norm, this.eps, this.keepdim);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.norm)}, eps=${pyFloat(this.eps)}, keepdim=${this.keepdim ? "True" : "False"}`;
  }
}
