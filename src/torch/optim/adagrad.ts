// Adagrad (torch.optim.Adagrad).
import type { Handle } from "../native.js";
import { native } from "../tensor/tensor.js";
import * as F from "./foreach.js";
import {
  ForeachOptimizer,
  checkNonNegative,
  effectiveGrads,
  withoutGrad,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  type OptimizerArgs,
  bindOptimizer,
} from "./optimizer.js";
import { torch2Layout } from "./python-layout.js";

export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** The learning rate decays as lr/(1 + (t − 1)·lrDecay). */
  lrDecay: number;
  weightDecay: number;
  /** Starting value of the sum of squared gradients. */
  initialAccumulatorValue: number;
  eps: number;
  /** Accepted for PyTorch compatibility; updates always run as multi-tensor ops. */
  foreach: boolean | null;
  maximize: boolean;
  /** torch 2.x's keys (False and None by default there); `true` is not supported. */
  differentiable?: boolean;
  fused?: boolean | null;
}

/**
 * Adagrad, as PyTorch computes it, for each parameter p with gradient g at step t:
 *
 *   g ← g + weightDecay·p                (if weightDecay ≠ 0)
 *   s ← s + g²
 *   p ← p − lr/(1 + (t − 1)·lrDecay) · g/(√s + eps)
 *
 * The state is created for every parameter at construction, as PyTorch does.
 *
 * @example
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.01 });
 */
export class Adagrad extends ForeachOptimizer<AdagradOptions> {
  /**
   * @param params - the tensors to optimize, or groups `{ params, ...options }`
   * @param lr, lrDecay, weightDecay, initialAccumulatorValue, eps, foreach - positionally or by name; maximize by name
   */
  constructor(...args: OptimizerArgs<"torch.optim.Adagrad", AdagradOptions>) {
    const { params, options } = bindOptimizer<AdagradOptions>("torch.optim.Adagrad", args);
    super(params, {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      eps: options.eps ?? 1e-10,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      foreach: options.foreach ?? null,
      maximize: options.maximize ?? false,
      ...(torch2Layout() ? { differentiable: options.differentiable ?? false, fused: options.fused ?? null } : {}),
    });
    const N = native();
    withoutGrad(N, () => {
      for (const group of this.paramGroups) {
        for (const p of group.params) this.stateOf.set(p, this.initState(group, p._h));
      }
    });
  }

  protected override validate(group: ParamGroup & AdagradOptions): void {
    super.validate(group);
    checkNonNegative("lr_decay value", group.lrDecay);
    checkNonNegative("weight_decay value", group.weightDecay);
    checkNonNegative("initial_accumulator_value value", group.initialAccumulatorValue);
    checkNonNegative("epsilon value", group.eps);
  }

  protected initState(group: ParamGroup & AdagradOptions, param: Handle): ParamState {
    return { step: 0, sum: F.fullLike(param, group.initialAccumulatorValue) };
  }

  protected update(group: ParamGroup & AdagradOptions, params: Handle[], grads: Handle[], states: ParamState[]): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    const [g, temps] = effectiveGrads(grads, params, maximize, weightDecay);
    const n = params.length;
    const sums: Handle[] = new Array(n);
    const steps: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const s = states[i]!;
      const step = (s.step as number) + 1;
      s.step = step;
      sums[i] = s.sum as Handle;
      steps[i] = -(lr / (1 + (step - 1) * lrDecay));
    }
    F.addcmul_(sums, g, g, 1);
    const std = F.sqrt(sums);
    F.addScalar_(std, eps);
    F.addcdivScalarList_(params, g, std, steps);
    F.release(std, ...temps);
  }
}
