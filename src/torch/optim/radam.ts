// RAdam (torch.optim.RAdam): Adam with a rectified adaptive learning rate.
import type { Tensor } from "../tensor/tensor.js";
import { scalarTensor, zerosLike } from "../tensor/creation.js";
import { groupDefaults, torch2Layout } from "./python-layout.js";
import { bindOptimizer, type OptimizerArgs, type OptimizerState, type ParamGroup } from "./optimizer.js";
import { PerParameterOptimizer, checkBetas, checkNonNegative, stateTensor } from "./per-parameter-optimizer.js";

export interface RAdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  foreach: boolean | null;
  /** torch 2.x only: maximize, and weight decay applied to the parameter (AdamW-style). */
  maximize?: boolean;
  decoupledWeightDecay?: boolean;
  capturable?: boolean;
  differentiable?: boolean;
}

/**
 * RAdam, as PyTorch 1.13 computes it: the adaptive term only once the variance's length
 * `rho_t` exceeds 5, plain momentum SGD before.
 *
 * @param params - the tensors to optimize, or groups `{ params, ...options }`
 * @param lr, betas, eps, weightDecay, foreach - positionally or by name
 * @example
 * const opt = new optim.RAdam(model.parameters(), 1e-3);
 */
export class RAdam extends PerParameterOptimizer<RAdamOptions> {
  constructor(...args: OptimizerArgs<"torch.optim.RAdam", RAdamOptions>) {
    const { params, options: o } = bindOptimizer<RAdamOptions>("torch.optim.RAdam", args);
    super(params, groupDefaults<RAdamOptions>(o, {
      v1: ["lr", "betas", "eps", "weightDecay", "foreach"],
      v2: ["lr", "betas", "eps", "weightDecay", "maximize", "foreach", "capturable", "decoupledWeightDecay", "differentiable"],
    }));
  }

  protected override validate(group: ParamGroup & RAdamOptions): void {
    super.validate(group);
    checkNonNegative("epsilon value", group.eps);
    checkBetas(group.betas);
    checkNonNegative("weight_decay value", group.weightDecay);
  }

  protected updateParameter(group: ParamGroup & RAdamOptions, param: Tensor, grad: Tensor, state: OptimizerState): void {
    if (state.step === undefined) {
      state.step = scalarTensor(0, { dtype: "float32" });
      state.exp_avg = zerosLike(param);
      state.exp_avg_sq = zerosLike(param);
    }
    const { lr, betas, eps, weightDecay } = group;
    const [beta1, beta2] = betas;
    const step = Number(stateTensor(state, "step").add_(1).item());
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    let g = group.maximize === true ? grad.neg() : grad;
    if (weightDecay !== 0) {
      if (group.decoupledWeightDecay === true) param.mul_(1 - lr * weightDecay);
      else g = g.add(param, { alpha: weightDecay });
    }
    // torch 2.x moves the average with lerp_ (other bits than 1.13's mul_/add_).
    const expAvg = torch2Layout()
      ? stateTensor(state, "exp_avg").lerp_(g, 1 - beta1)
      : stateTensor(state, "exp_avg").mul_(beta1).add_(g, { alpha: 1 - beta1 });
    const expAvgSq = stateTensor(state, "exp_avg_sq").mul_(beta2).addcmul_(g, g, { value: 1 - beta2 });
    const corrected = expAvg.div(biasCorrection1);
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptiveLr = expAvgSq.sqrt().add_(eps).reciprocal().mul(Math.sqrt(biasCorrection2));
      param.add_(corrected.mul(lr).mul(adaptiveLr).mul(rect), { alpha: -1 });
    } else {
      param.add_(corrected.mul(lr), { alpha: -1 });
    }
  }
}
