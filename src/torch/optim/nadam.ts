// NAdam (torch.optim.NAdam): Adam with Nesterov momentum and momentum decay.
import type { Tensor } from "../tensor/tensor.js";
import { scalarTensor, zerosLike } from "../tensor/creation.js";
import { groupDefaults, torch2Layout } from "./python-layout.js";
import { bindOptimizer, type OptimizerArgs, type OptimizerState, type ParamGroup } from "./optimizer.js";
import { PerParameterOptimizer, checkBetas, checkNonNegative, stateTensor } from "./per-parameter-optimizer.js";

export interface NAdamOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  /** How fast the momentum schedule decays (default 4e-3). */
  momentumDecay: number;
  foreach: boolean | null;
  /** torch 2.x only: maximize, and weight decay applied to the parameter (AdamW-style). */
  maximize?: boolean;
  decoupledWeightDecay?: boolean;
  capturable?: boolean;
  differentiable?: boolean;
}

/**
 * NAdam, as PyTorch 1.13 computes it (`mu_t = β1·(1 − 0.5·0.96^(t·momentumDecay))`, the running
 * product of the mu's in a float32 0-d tensor).
 *
 * @param params - the tensors to optimize, or groups `{ params, ...options }`
 * @param lr, betas, eps, weightDecay, momentumDecay, foreach - positionally or by name
 * @example
 * const opt = new optim.NAdam(model.parameters(), { lr: 2e-3 });
 */
export class NAdam extends PerParameterOptimizer<NAdamOptions> {
  constructor(...args: OptimizerArgs<"torch.optim.NAdam", NAdamOptions>) {
    const { params, options: o } = bindOptimizer<NAdamOptions>("torch.optim.NAdam", args);
    super(params, groupDefaults<NAdamOptions>(o, {
      v1: ["lr", "betas", "eps", "weightDecay", "momentumDecay", "foreach"],
      v2: ["lr", "betas", "eps", "weightDecay", "momentumDecay", "decoupledWeightDecay", "maximize", "foreach", "capturable", "differentiable"],
    }));
  }

  protected override validate(group: ParamGroup & NAdamOptions): void {
    super.validate(group);
    checkNonNegative("epsilon value", group.eps);
    checkBetas(group.betas);
    checkNonNegative("weight_decay value", group.weightDecay);
    checkNonNegative("momentum_decay value", group.momentumDecay);
  }

  protected updateParameter(group: ParamGroup & NAdamOptions, param: Tensor, grad: Tensor, state: OptimizerState): void {
    if (state.step === undefined) {
      state.step = scalarTensor(0, { dtype: "float32" });
      state.mu_product = scalarTensor(1, { dtype: "float32" });
      state.exp_avg = zerosLike(param);
      state.exp_avg_sq = zerosLike(param);
    }
    const { lr, betas, eps, weightDecay, momentumDecay } = group;
    const [beta1, beta2] = betas;
    const step = Number(stateTensor(state, "step").add_(1).item());
    const biasCorrection2 = 1 - beta2 ** step;
    let g = group.maximize === true ? grad.neg() : grad;
    if (weightDecay !== 0) {
      if (group.decoupledWeightDecay === true) param.mul_(1 - lr * weightDecay);
      else g = g.add(param, { alpha: weightDecay });
    }
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
    const muProduct = stateTensor(state, "mu_product").mul_(mu);
    const v2 = torch2Layout();
    // torch 2.x: lerp_ for the average and the next product in double precision; 1.13: float32 tensors.
    const muProductNext = v2 ? Number(muProduct.item()) * muNext : Number(muProduct.mul(mu).mul(muNext).item());
    const expAvg = v2
      ? stateTensor(state, "exp_avg").lerp_(g, 1 - beta1)
      : stateTensor(state, "exp_avg").mul_(beta1).add_(g, { alpha: 1 - beta1 });
    const expAvgSq = stateTensor(state, "exp_avg_sq").mul_(beta2).addcmul_(g, g, { value: 1 - beta2 });
    const denom = expAvgSq.div(biasCorrection2).sqrt().add_(eps);
    param.addcdiv_(g, denom, { value: (-lr * (1 - mu)) / (1 - Number(muProduct.item())) });
    param.addcdiv_(expAvg, denom, { value: (-lr * muNext) / (1 - muProductNext) });
  }
}
