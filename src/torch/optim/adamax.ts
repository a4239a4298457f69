// Adamax (torch.optim.Adamax): Adam with the infinity norm in place of the second moment.
import type { Tensor } from "../tensor/tensor.js";
import { scalarTensor, zerosLike } from "../tensor/creation.js";
import { amax, cat, maximum } from "../generated/torch.js";
import { groupDefaults, torch2Layout } from "./python-layout.js";
import { bindOptimizer, type OptimizerArgs, type OptimizerState, type ParamGroup } from "./optimizer.js";
import { PerParameterOptimizer, checkBetas, checkNonNegative, stateTensor } from "./per-parameter-optimizer.js";

export interface AdamaxOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  foreach: boolean | null;
  maximize: boolean;
}

/**
 * Adamax, as PyTorch computes it, for each parameter p with gradient g at step t:
 *
 *   m ← β1·m + (1 − β1)·g;  u ← max(β2·u, |g| + eps);  p ← p − lr / (1 − β1^t) · m / u
 *
 * @param params - the tensors to optimize, or groups `{ params, ...options }`
 * @param lr, betas, eps, weightDecay, foreach - positionally or by name; maximize by name
 * @example
 * const opt = new optim.Adamax(model.parameters(), 2e-3, [0.9, 0.999]);
 */
export class Adamax extends PerParameterOptimizer<AdamaxOptions> {
  constructor(...args: OptimizerArgs<"torch.optim.Adamax", AdamaxOptions>) {
    const { params, options: o } = bindOptimizer<AdamaxOptions>("torch.optim.Adamax", args);
    super(params, groupDefaults<AdamaxOptions>(o, {
      v1: ["lr", "betas", "eps", "weightDecay", "foreach", "maximize"],
      v2: ["lr", "betas", "eps", "weightDecay", "foreach", "maximize", "differentiable", "capturable"],
    }));
  }

  protected override validate(group: ParamGroup & AdamaxOptions): void {
    super.validate(group);
    checkNonNegative("epsilon value", group.eps);
    checkBetas(group.betas);
    checkNonNegative("weight_decay value", group.weightDecay);
  }

  protected updateParameter(group: ParamGroup & AdamaxOptions, param: Tensor, grad: Tensor, state: OptimizerState): void {
    if (state.step === undefined) {
      state.step = scalarTensor(0, { dtype: "float32" });
      state.exp_avg = zerosLike(param);
      state.exp_inf = zerosLike(param);
    }
    const { lr, betas, eps, weightDecay, maximize } = group;
    const [beta1, beta2] = betas;
    let g = maximize ? grad.neg() : grad;
    const stepT = stateTensor(state, "step").add_(1);
    const step = Number(stepT.item());
    if (weightDecay !== 0) g = g.add(param, { alpha: weightDecay });
    const expAvg = stateTensor(state, "exp_avg");
    const expInf = stateTensor(state, "exp_inf");
    if (torch2Layout()) {
      expAvg.lerp_(g, 1 - beta1);
      maximum(expInf.mul_(beta2), g.abs().add_(eps), { out: expInf });
    } else {
      expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
      const normBuf = cat([expInf.mul_(beta2).unsqueeze(0), g.abs().add_(eps).unsqueeze_(0)], 0);
      expInf.copy_(amax(normBuf, 0, false));
    }
    const clr = lr / (1 - beta1 ** step);
    param.addcdiv_(expAvg, expInf, { value: -clr });
  }
}
