// RMSprop (torch.optim.RMSprop), optionally centered and with momentum.
import type { Handle } from "../native.js";
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

export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  momentum: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  eps: number;
  /** Normalize by the gradient's estimated variance instead of its second moment. */
  centered: boolean;
  weightDecay: number;
  /** torch 2.x's key (False by default there); `true` is not supported. */
  capturable?: boolean;
  /** Accepted for PyTorch compatibility; updates always run as multi-tensor ops. */
  foreach: boolean | null;
  maximize: boolean;
  differentiable: boolean;
}

/**
 * RMSprop, as PyTorch computes it, for each parameter p with gradient g:
 *
 *   g ← g + weightDecay·p                          (if weightDecay ≠ 0)
 *   v ← α·v + (1 − α)·g²
 *   d ← √(v − ḡ²) + eps with ḡ ← α·ḡ + (1 − α)·g if centered, else √v + eps
 *   b ← momentum·b + g/d, p ← p − lr·b             (if momentum > 0)
 *   p ← p − lr·g/d                                 (otherwise)
 *
 * @example
 * const opt = new optim.RMSprop(model.parameters(), { lr: 1e-3, centered: true });
 */
export class RMSprop extends ForeachOptimizer<RMSpropOptions> {
  // Python 1.13 keeps RMSprop's step as an int, 2.x as a float32 tensor
  protected override readonly stepIsTensor = torch2Layout();

  /**
   * @param params - the tensors to optimize, or groups `{ params, ...options }`
   * @param lr, alpha, eps, weightDecay, momentum, centered, foreach, maximize, differentiable - positionally or by name
   */
  constructor(...args: OptimizerArgs<"torch.optim.RMSprop", RMSpropOptions>) {
    const { params, options } = bindOptimizer<RMSpropOptions>("torch.optim.RMSprop", args);
    super(params, {
      lr: options.lr ?? 1e-2,
      momentum: options.momentum ?? 0,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      centered: options.centered ?? false,
      weightDecay: options.weightDecay ?? 0,
      ...(torch2Layout() ? { capturable: options.capturable ?? false } : {}),
      foreach: options.foreach ?? null,
      maximize: options.maximize ?? false,
      differentiable: options.differentiable ?? false,
    });
  }

  protected override validate(group: ParamGroup & RMSpropOptions): void {
    super.validate(group);
    checkNonNegative("epsilon value", group.eps);
    checkNonNegative("momentum value", group.momentum);
    checkNonNegative("weight_decay value", group.weightDecay);
    checkNonNegative("alpha value", group.alpha);
    checkUnsupported(group);
  }

  protected initState(group: ParamGroup & RMSpropOptions, param: Handle): ParamState {
    const s: ParamState = { step: 0, square_avg: F.zerosLike(param) };
    if (group.momentum > 0) s.momentum_buffer = F.zerosLike(param);
    if (group.centered) s.grad_avg = F.zerosLike(param);
    return s;
  }

  protected update(group: ParamGroup & RMSpropOptions, params: Handle[], grads: Handle[], states: ParamState[]): void {
    const { lr, momentum, alpha, eps, centered, weightDecay, maximize } = group;
    const [g, temps] = effectiveGrads(grads, params, maximize, weightDecay);
    const n = params.length;
    const squareAvgs: Handle[] = new Array(n);
    const gradAvgs: Handle[] = centered ? new Array(n) : [];
    const bufs: Handle[] = momentum > 0 ? new Array(n) : [];
    for (let i = 0; i < n; i++) {
      const s = states[i]!;
      s.step = (s.step as number) + 1;
      squareAvgs[i] = s.square_avg as Handle;
      // buffers a loaded state or a changed option may lack start at zero, as Python's would
      if (centered) gradAvgs[i] = (s.grad_avg ??= F.zerosLike(params[i]!)) as Handle;
      if (momentum > 0) bufs[i] = (s.momentum_buffer ??= F.zerosLike(params[i]!)) as Handle;
    }
    F.mulScalar_(squareAvgs, alpha);
    F.addcmul_(squareAvgs, g, g, 1 - alpha);
    let avg: Handle[];
    if (centered) {
      // torch 2.x moves the gradient average with lerp_, 1.13 with mul_ then add_ (different rounding)
      if (torch2Layout()) F.lerp_(gradAvgs, g, 1 - alpha);
      else {
        F.mulScalar_(gradAvgs, alpha);
        F.addList_(gradAvgs, g, 1 - alpha);
      }
      avg = F.addcmul(squareAvgs, gradAvgs, gradAvgs, -1);
      F.sqrt_(avg);
    } else avg = F.sqrt(squareAvgs);
    F.addScalar_(avg, eps);
    if (momentum > 0) {
      F.mulScalar_(bufs, momentum);
      F.addcdiv_(bufs, g, avg, 1);
      F.addList_(params, bufs, -lr);
    } else F.addcdiv_(params, g, avg, -lr);
    F.release(avg, ...temps);
  }
}
