// Adadelta (torch.optim.Adadelta): per-coordinate step sizes from running averages of squared
// gradients and squared updates.
import type { Tensor } from "../tensor/tensor.js";
import { scalarTensor, zerosLike } from "../tensor/creation.js";
import { groupDefaults, torch2Layout } from "./python-layout.js";
import { bindOptimizer, type OptimizerArgs, type OptimizerState, type ParamGroup } from "./optimizer.js";
import { PerParameterOptimizer, checkNonNegative, stateTensor } from "./per-parameter-optimizer.js";

export interface AdadeltaOptions {
  /** Scales the update (default 1). */
  lr: number;
  /** Decay of the running averages (default 0.9). */
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
  foreach: boolean | null;
  /** torch 2.x only; true is refused (deviations.ts). */
  capturable?: boolean;
  differentiable?: boolean;
}

/**
 * Adadelta, as PyTorch computes it, for each parameter p with gradient g:
 *
 *   v ← rho·v + (1 − rho)·g²;  Δ ← sqrt(u + eps) / sqrt(v + eps) · g;  u ← rho·u + (1 − rho)·Δ²;  p ← p − lr·Δ
 *
 * @param params - the tensors to optimize, or groups `{ params, ...options }`
 * @param lr, rho, eps, weightDecay, foreach - positionally or by name; maximize by name
 * @example
 * const opt = new optim.Adadelta(model.parameters(), 1.0, 0.9);
 */
export class Adadelta extends PerParameterOptimizer<AdadeltaOptions> {
  constructor(...args: OptimizerArgs<"torch.optim.Adadelta", AdadeltaOptions>) {
    const { params, options: o } = bindOptimizer<AdadeltaOptions>("torch.optim.Adadelta", args);
    super(params, groupDefaults<AdadeltaOptions>(o, {
      v1: ["lr", "rho", "eps", "weightDecay", "maximize", "foreach"],
      v2: ["lr", "rho", "eps", "weightDecay", "maximize", "capturable", "foreach", "differentiable"],
    }));
  }

  protected override validate(group: ParamGroup & AdadeltaOptions): void {
    super.validate(group);
    if (!(group.rho >= 0 && group.rho <= 1)) throw new RangeError(`Invalid rho value: ${group.rho}`);
    checkNonNegative("epsilon value", group.eps);
    checkNonNegative("weight_decay value", group.weightDecay);
  }

  protected updateParameter(group: ParamGroup & AdadeltaOptions, param: Tensor, grad: Tensor, state: OptimizerState): void {
    if (state.step === undefined) {
      // torch 2.x keeps the step as a float32 0-d tensor, 1.13 as a number.
      state.step = torch2Layout() ? scalarTensor(0, { dtype: "float32" }) : 0;
      state.square_avg = zerosLike(param);
      state.acc_delta = zerosLike(param);
    }
    if (typeof state.step === "number") state.step += 1;
    else stateTensor(state, "step").add_(1);
    const { lr, rho, eps, weightDecay, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(param, { alpha: weightDecay });
    const squareAvg = stateTensor(state, "square_avg");
    const accDelta = stateTensor(state, "acc_delta");
    squareAvg.mul_(rho).addcmul_(g, g, { value: 1 - rho });
    const std = squareAvg.add(eps).sqrt_();
    const delta = accDelta.add(eps).sqrt_().div_(std).mul_(g);
    accDelta.mul_(rho).addcmul_(delta, delta, { value: 1 - rho });
    param.add_(delta, { alpha: -lr });
  }
}
