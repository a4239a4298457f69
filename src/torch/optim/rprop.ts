// Rprop (torch.optim.Rprop): resilient backpropagation, per-coordinate step sizes grown or shrunk
// by the sign agreement of consecutive gradients.
import type { Tensor } from "../tensor/tensor.js";
import { fullLike, scalarTensor, zerosLike } from "../tensor/creation.js";
import { groupDefaults, torch2Layout } from "./python-layout.js";
import { bindOptimizer, type OptimizerArgs, type OptimizerState, type ParamGroup } from "./optimizer.js";
import { PerParameterOptimizer, stateTensor } from "./per-parameter-optimizer.js";

export interface RpropOptions {
  /** The initial step size (default 1e-2). */
  lr: number;
  /** (etaminus, etaplus): how steps shrink and grow (default [0.5, 1.2]). */
  etas: readonly [number, number];
  /** (min, max) step sizes (default [1e-6, 50]). */
  stepSizes: readonly [number, number];
  foreach: boolean | null;
  maximize: boolean;
  /** torch 2.x only; true is refused (deviations.ts). */
  capturable?: boolean;
  differentiable?: boolean;
}

/**
 * Rprop, as PyTorch computes it: where the gradient kept its sign the step grows by etaplus,
 * where it flipped it shrinks by etaminus (and that coordinate skips this update); parameters
 * move by −sign(g)·step.
 *
 * @param params - the tensors to optimize, or groups `{ params, ...options }`
 * @param lr, etas, stepSizes, foreach, maximize - positionally or by name
 * @example
 * const opt = new optim.Rprop(model.parameters(), 0.01, [0.5, 1.2], [1e-6, 50]);
 */
export class Rprop extends PerParameterOptimizer<RpropOptions> {
  constructor(...args: OptimizerArgs<"torch.optim.Rprop", RpropOptions>) {
    const { params, options: o } = bindOptimizer<RpropOptions>("torch.optim.Rprop", args);
    super(params, groupDefaults<RpropOptions>(o, {
      v1: ["lr", "etas", "stepSizes", "foreach", "maximize"],
      v2: ["lr", "etas", "stepSizes", "foreach", "maximize", "differentiable", "capturable"],
    }));
  }

  protected override validate(group: ParamGroup & RpropOptions): void {
    super.validate(group);
    const [minus, plus] = group.etas;
    if (!(0 < minus && minus < 1 && 1 < plus)) throw new RangeError(`Invalid eta values: ${minus}, ${plus}`);
  }

  protected updateParameter(group: ParamGroup & RpropOptions, param: Tensor, grad: Tensor, state: OptimizerState): void {
    if (state.step === undefined) {
      // torch 2.x keeps the step as a float32 0-d tensor, 1.13 as a number.
      state.step = torch2Layout() ? scalarTensor(0, { dtype: "float32" }) : 0;
      state.prev = zerosLike(param);
      state.step_size = fullLike(grad, group.lr);
    }
    if (typeof state.step === "number") state.step += 1;
    else stateTensor(state, "step").add_(1);
    const [etaminus, etaplus] = group.etas;
    const [stepSizeMin, stepSizeMax] = group.stepSizes;
    const g = group.maximize ? grad.neg() : grad;
    const prev = stateTensor(state, "prev");
    const stepSize = stateTensor(state, "step_size");
    const sign = g.mul(prev).sign();
    sign.maskedFill_(sign.gt(0), etaplus);
    sign.maskedFill_(sign.lt(0), etaminus);
    sign.maskedFill_(sign.eq(0), 1);
    stepSize.mul_(sign).clamp_(stepSizeMin, stepSizeMax);
    const masked = g.clone();
    masked.maskedFill_(sign.eq(etaminus), 0);
    param.addcmul_(masked.sign(), stepSize, { value: -1 });
    prev.copy_(masked);
  }
}
