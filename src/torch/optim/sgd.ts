// Stochastic gradient descent (torch.optim.SGD), optionally with momentum, Nesterov momentum,
// weight decay and maximization.
import type { Handle } from "../native.js";
import { native } from "../tensor/tensor.js";
import * as F from "./foreach.js";
import {
  ForeachOptimizer,
  checkNonNegative,
  checkUnsupported,
  effectiveGrads,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  type OptimizerArgs,
  bindOptimizer,
} from "./optimizer.js";
import { torch2Layout } from "./python-layout.js";

export interface SGDOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  momentum: number;
  dampening: number;
  /** L2 penalty added to the gradient. */
  weightDecay: number;
  nesterov: boolean;
  /** Ascend the objective instead. */
  maximize: boolean;
  /** Accepted for PyTorch compatibility; updates always run as multi-tensor ops. */
  foreach: boolean | null;
  differentiable: boolean;
  /** torch 2.x's key (None by default there); `true` is not supported. */
  fused?: boolean | null;
}

/**
 * SGD, as PyTorch computes it, for each parameter p with gradient g:
 *
 *   g ← g + weightDecay·p                        (if weightDecay ≠ 0)
 *   b ← g on the first step, else momentum·b + (1 − dampening)·g   (if momentum ≠ 0)
 *   g ← g + momentum·b if nesterov, else b
 *   p ← p − lr·g
 *
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends ForeachOptimizer<SGDOptions> {
  protected override readonly stepIsTensor = false;

  /**
   * @param params - the tensors to optimize, or groups `{ params, ...options }`
   * @param lr - learning rate (default 1e-3, PyTorch 2's); momentum, dampening, weightDecay, nesterov
   *   positionally or by name; maximize, foreach, differentiable by name
   */
  constructor(...args: OptimizerArgs<"torch.optim.SGD", SGDOptions>) {
    const { params, options } = bindOptimizer<SGDOptions>("torch.optim.SGD", args);
    super(params, {
      lr: options.lr ?? 1e-3,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
      foreach: options.foreach ?? null,
      differentiable: options.differentiable ?? false,
      ...(torch2Layout() ? { fused: options.fused ?? null } : {}),
    });
  }

  // torch 2.x keeps a momentum buffer only, and no state at all without momentum.
  protected override keepsState(group: ParamGroup & SGDOptions): boolean {
    return !torch2Layout() || group.momentum !== 0;
  }

  protected override validate(group: ParamGroup & SGDOptions): void {
    super.validate(group);
    checkNonNegative("momentum value", group.momentum);
    checkNonNegative("weight_decay value", group.weightDecay);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new Error("Nesterov momentum requires a momentum and zero dampening");
    }
    checkUnsupported(group);
  }

  protected initState(): ParamState {
    return torch2Layout() ? {} : { momentum_buffer: null };
  }

  protected update(group: ParamGroup & SGDOptions, params: Handle[], grads: Handle[], states: ParamState[]): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const [g, temps] = effectiveGrads(grads, params, maximize, weightDecay);
    let d = g;
    if (momentum !== 0) {
      const N = native();
      const bufs: Handle[] = [];
      const existing: Handle[] = [];
      const existingGrads: Handle[] = [];
      for (let i = 0; i < states.length; i++) {
        const s = states[i]!;
        let buf = s.momentum_buffer as Handle | null | undefined;
        if (buf === null || buf === undefined) {
          buf = N.clone(d[i]!);
          s.momentum_buffer = buf;
        } else {
          existing.push(buf);
          existingGrads.push(d[i]!);
        }
        bufs.push(buf);
      }
      if (existing.length) {
        F.mulScalar_(existing, momentum);
        F.addList_(existing, existingGrads, 1 - dampening);
      }
      if (nesterov) temps.push((d = F.addList(d, bufs, momentum)));
      else d = bufs;
    }
    F.addList_(params, d, -lr);
    F.release(...temps);
  }
}
