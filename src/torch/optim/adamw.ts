// AdamW (torch.optim.AdamW): Adam with decoupled weight decay.
import type { Handle } from "../native.js";
import { adamUpdate, initAdamState, validateAdam, withOwnBetas, type AdamOptions } from "./adam.js";
import { ForeachOptimizer, type ParamGroup, type ParamState, type ParamsInput, type OptimizerArgs, bindOptimizer } from "./optimizer.js";
import { groupDefaults } from "./python-layout.js";

/** AdamW's options; `differentiable` and `fused` are torch 2.x's keys (False and None there). */
export type AdamWOptions = Omit<AdamOptions, "differentiable" | "fused"> & { differentiable?: boolean; fused?: boolean | null };

/**
 * AdamW (Loshchilov & Hutter): the Adam update of `Adam`, with the weight decay applied to the
 * weights (p ← p·(1 − lr·weightDecay)) before the step instead of to the gradient. Default
 * weightDecay 1e-2.
 *
 * @example
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends ForeachOptimizer<AdamWOptions> {
  /**
   * @param params - the tensors to optimize, or groups `{ params, ...options }`
   * @param lr, betas, eps, weightDecay, amsgrad - positionally or by name; maximize, foreach, capturable by name
   */
  constructor(...args: OptimizerArgs<"torch.optim.AdamW", AdamWOptions>) {
    const { params, options } = bindOptimizer<AdamWOptions>("torch.optim.AdamW", args);
    // PyTorch 1.13's key order for AdamW (no differentiable/fused keys); 2.x adds both at the end
    const v1 = ["lr", "betas", "eps", "weightDecay", "amsgrad", "foreach", "maximize", "capturable"];
    super(params, groupDefaults<AdamWOptions>(withOwnBetas(options), { v1, v2: [...v1, "differentiable", "fused"] }));
  }

  protected override validate(group: ParamGroup & AdamWOptions): void {
    super.validate(group);
    validateAdam(group);
  }

  protected initState(group: ParamGroup & AdamWOptions, param: Handle): ParamState {
    return initAdamState(param, group.amsgrad);
  }

  protected update(group: ParamGroup & AdamWOptions, params: Handle[], grads: Handle[], states: ParamState[]): void {
    adamUpdate(group as ParamGroup & Omit<AdamOptions, "lr">, params, grads, states, true);
  }
}
