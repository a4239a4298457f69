// Adam (torch.optim.Adam) and the shared update of Adam and AdamW.
import type { Handle } from "../native.js";
import * as F from "./foreach.js";
import {
  ForeachOptimizer,
  checkBeta,
  checkNonNegative,
  checkUnsupported,
  effectiveGrads,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  type OptimizerArgs,
  bindOptimizer,
} from "./optimizer.js";
import { groupDefaults, torch2Layout } from "./python-layout.js";

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (AdamW decays the weights instead). */
  weightDecay: number;
  /** Use the maximum of past second moments (AMSGrad). */
  amsgrad: boolean;
  maximize: boolean;
  /** Accepted for PyTorch compatibility; updates always run as multi-tensor ops. */
  foreach: boolean | null;
  capturable: boolean;
  differentiable: boolean;
  fused: boolean | null;
}

/**
 * The bound options with a betas array of the group's own, so that changing a group's betas
 * changes neither the caller's array nor the signature table's default.
 */
export function withOwnBetas<O extends { betas: readonly number[] }>(options: O): O {
  return Array.isArray(options.betas) ? ({ ...options, betas: [...options.betas] } as O) : options;
}

export function validateAdam(group: ParamGroup & Pick<AdamOptions, "eps" | "betas" | "weightDecay">): void {
  checkNonNegative("epsilon value", group.eps);
  if (!Array.isArray(group.betas) || group.betas.length !== 2) throw new TypeError("betas must be a pair of numbers");
  checkBeta(0, group.betas[0]);
  checkBeta(1, group.betas[1]);
  checkNonNegative("weight_decay value", group.weightDecay);
  checkUnsupported(group);
}

export function initAdamState(param: Handle, amsgrad: boolean): ParamState {
  const s: ParamState = { step: 0, exp_avg: F.zerosLike(param), exp_avg_sq: F.zerosLike(param) };
  if (amsgrad) s.max_exp_avg_sq = F.zerosLike(param);
  return s;
}

/**
 * The Adam update of PyTorch's single-tensor path, as multi-tensor ops. `decoupled` (AdamW)
 * decays the weights by lr·weightDecay instead of adding weightDecay·p to the gradient.
 */
export function adamUpdate(
  group: ParamGroup & Omit<AdamOptions, "lr">,
  params: Handle[],
  grads: Handle[],
  states: ParamState[],
  decoupled: boolean,
): void {
  const { lr, eps, weightDecay, amsgrad, maximize } = group;
  const [beta1, beta2] = group.betas;
  const [g, temps] = effectiveGrads(grads, params, maximize, decoupled ? 0 : weightDecay);
  const n = params.length;
  const expAvgs: Handle[] = new Array(n);
  const expAvgSqs: Handle[] = new Array(n);
  const maxSqs: Handle[] = amsgrad ? new Array(n) : [];
  const stepSizes: number[] = new Array(n);
  const bc2Sqrts: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = states[i]!;
    const step = (s.step as number) + 1;
    s.step = step;
    expAvgs[i] = s.exp_avg as Handle;
    expAvgSqs[i] = s.exp_avg_sq as Handle;
    if (amsgrad) {
      // a state loaded from a run without amsgrad has no max yet
      s.max_exp_avg_sq ??= F.zerosLike(params[i]!);
      maxSqs[i] = s.max_exp_avg_sq as Handle;
    }
    stepSizes[i] = -(lr / (1 - beta1 ** step));
    bc2Sqrts[i] = Math.sqrt(1 - beta2 ** step);
  }
  if (decoupled && weightDecay !== 0) F.mulScalar_(params, 1 - lr * weightDecay);
  // torch 2.x moves the first moment with lerp_, 1.13 with mul_ then add_ (different rounding)
  if (torch2Layout()) F.lerp_(expAvgs, g, 1 - beta1);
  else {
    F.mulScalar_(expAvgs, beta1);
    F.addList_(expAvgs, g, 1 - beta1);
  }
  F.mulScalar_(expAvgSqs, beta2);
  F.addcmul_(expAvgSqs, g, g, 1 - beta2);
  let denom: Handle[];
  if (amsgrad) {
    F.maximum_(maxSqs, expAvgSqs);
    denom = F.sqrt(maxSqs);
  } else denom = F.sqrt(expAvgSqs);
  F.divScalarList_(denom, bc2Sqrts);
  F.addScalar_(denom, eps);
  F.addcdivScalarList_(params, expAvgs, denom, stepSizes);
  F.release(denom, ...temps);
}

/** Adam's group keys in Python's order, the same in 1.13 and 2.x. */
const ADAM_KEYS = ["lr", "betas", "eps", "weightDecay", "amsgrad", "maximize", "foreach", "capturable", "differentiable", "fused"];

/**
 * Adam (Kingma & Ba), as PyTorch computes it, for each parameter p with gradient g at step t:
 *
 *   g ← g + weightDecay·p                 (if weightDecay ≠ 0)
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   v̂ ← max(v̂, v) with amsgrad, else v
 *   p ← p − lr/(1 − β1ᵗ) · m / (√v̂/√(1 − β2ᵗ) + eps)
 *
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends ForeachOptimizer<AdamOptions> {
  /**
   * @param params - the tensors to optimize, or groups `{ params, ...options }`
   * @param lr, betas, eps, weightDecay, amsgrad - positionally or by name; foreach, maximize, ... by name
   */
  constructor(...args: OptimizerArgs<"torch.optim.Adam", AdamOptions>) {
    const { params, options } = bindOptimizer<AdamOptions>("torch.optim.Adam", args);
    super(params, groupDefaults<AdamOptions>(withOwnBetas(options), { v1: ADAM_KEYS, v2: ADAM_KEYS }));
  }

  protected override validate(group: ParamGroup & AdamOptions): void {
    super.validate(group);
    validateAdam(group);
  }

  protected initState(group: ParamGroup & AdamOptions, param: Handle): ParamState {
    return initAdamState(param, group.amsgrad);
  }

  protected update(group: ParamGroup & AdamOptions, params: Handle[], grads: Handle[], states: ParamState[]): void {
    adamUpdate(group, params, grads, states, false);
  }
}
