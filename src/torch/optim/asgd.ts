// ASGD (torch.optim.ASGD): SGD with a decaying step size that also keeps a running average of
// the parameters (`ax`) from step `t0` on.
import type { Tensor } from "../tensor/tensor.js";
import { fullLike, scalarTensor, zerosLike } from "../tensor/creation.js";
import { groupDefaults } from "./python-layout.js";
import { bindOptimizer, type OptimizerArgs, type OptimizerState, type ParamGroup } from "./optimizer.js";
import { PerParameterOptimizer, checkNonNegative, stateTensor } from "./per-parameter-optimizer.js";

export interface ASGDOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Decay term (default 1e-4). */
  lambd: number;
  /** Power of the eta update (default 0.75). */
  alpha: number;
  /** The step averaging starts at (default 1e6). */
  t0: number;
  weightDecay: number;
  foreach: boolean | null;
  maximize: boolean;
}

/**
 * Averaged SGD, as PyTorch 1.13 computes it: `p ← p·(1 − lambd·eta) − eta·g`, then
 * `eta = lr / (1 + lambd·lr·t)^alpha` and `mu = 1 / max(1, t − t0)`; `ax` averages p with weight mu.
 *
 * @param params - the tensors to optimize, or groups `{ params, ...options }`
 * @param lr, lambd, alpha, t0, weightDecay, foreach, maximize - positionally or by name
 * @example
 * const opt = new optim.ASGD(model.parameters(), 0.01);
 */
export class ASGD extends PerParameterOptimizer<ASGDOptions> {
  constructor(...args: OptimizerArgs<"torch.optim.ASGD", ASGDOptions>) {
    const { params, options: o } = bindOptimizer<ASGDOptions>("torch.optim.ASGD", args);
    super(params, groupDefaults<ASGDOptions>(o, {
      v1: ["lr", "lambd", "alpha", "t0", "weightDecay", "foreach", "maximize"],
      v2: ["lr", "lambd", "alpha", "t0", "weightDecay", "foreach", "maximize", "differentiable", "capturable"],
    }));
  }

  protected override validate(group: ParamGroup & ASGDOptions): void {
    super.validate(group);
    checkNonNegative("weight_decay value", group.weightDecay);
  }

  protected updateParameter(group: ParamGroup & ASGDOptions, param: Tensor, grad: Tensor, state: OptimizerState): void {
    if (state.step === undefined) {
      state.step = scalarTensor(0, { dtype: "float32" });
      state.eta = scalarTensor(group.lr, { dtype: "float32" });
      state.mu = scalarTensor(1, { dtype: "float32" });
      state.ax = zerosLike(param);
    }
    const { lr, lambd, alpha, t0, weightDecay, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    const step = Number(stateTensor(state, "step").add_(1).item());
    if (weightDecay !== 0) g = g.add(param, { alpha: weightDecay });
    const eta = stateTensor(state, "eta");
    const mu = stateTensor(state, "mu");
    const ax = stateTensor(state, "ax");
    const etaValue = Number(eta.item());
    param.mul_(1 - lambd * etaValue);
    param.add_(g, { alpha: -etaValue });
    if (Number(mu.item()) !== 1) ax.add_(param.sub(ax).mul(mu));
    else ax.copy_(param);
    eta.copy_(fullLike(eta, lr / Math.pow(1 + lambd * lr * step, alpha)));
    mu.copy_(fullLike(mu, 1 / Math.max(1, step - t0)));
  }
}
