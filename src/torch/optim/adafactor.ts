// Adafactor (torch.optim.Adafactor, PyTorch 2.5+): Adam-like steps from a factored second moment
// (row and column averages of g² for matrices), ported from torch/optim/_adafactor.py's
// single-tensor path (what Python runs on CPU).
import type { Tensor } from "../tensor/tensor.js";
import { scalarTensor, zeros, zerosLike } from "../tensor/creation.js";
import { aten } from "../ops/aten.js";
import { norm } from "../functional/norm.js";
import { finfo } from "../dtype-info.js";
import { requireTorch2 } from "../since-version.js";
import { groupDefaults } from "./python-layout.js";
import { bindOptimizer, type OptimizerArgs, type OptimizerState, type ParamGroup } from "./optimizer.js";
import { PerParameterOptimizer, stateTensor } from "./per-parameter-optimizer.js";

function vectorNorm(t: Tensor, dim: number): Tensor {
  return aten.linalg_vector_norm!(t, 2, [dim], true) as Tensor;
}

export interface AdafactorOptions {
  /** Learning rate (default 1e-2); the step size is min(lr, 1/√t) relative to the parameter's RMS. */
  lr: number;
  /** The decay exponent of β2: 1 − β2 at step t is t^beta2Decay (default -0.8). */
  beta2Decay: number;
  /** [eps1 (the dtype's epsilon when null), eps2 (1e-3)]: the floor of the second moment and of the parameter RMS. */
  eps: readonly [number | null, number];
  /** The clipping threshold of the update's RMS (default 1). */
  d: number;
  weightDecay: number;
  foreach: boolean | null;
  maximize: boolean;
}

/**
 * Adafactor, as PyTorch computes it, for a parameter p with gradient g at step t:
 *
 *   β̂ = t^beta2Decay;  ρ = min(lr, 1/√t);  α = max(eps2, RMS(p))·ρ;  p ← p·(1 − lr·weightDecay)
 *   matrices: R ← lerp(R, mean(g², last dim), β̂), C ← lerp(C, mean(g², dim -2), β̂), v = R·C / mean(R)
 *   vectors:  v ← lerp(v, g², β̂)
 *   u = g / √max(v, eps1²);  p ← p − α / max(1, RMS(u)/d) · u
 *
 * @param params - the tensors to optimize, or groups `{ params, ...options }`
 * @example
 * const opt = new optim.Adafactor(model.parameters(), { lr: 1e-2 });
 */
export class Adafactor extends PerParameterOptimizer<AdafactorOptions> {
  constructor(...args: OptimizerArgs<"torch.optim.Adafactor", AdafactorOptions>) {
    requireTorch2("optim.Adafactor");
    const { params, options: o } = bindOptimizer<AdafactorOptions>("torch.optim.Adafactor", args);
    const keys = ["lr", "beta2Decay", "eps", "d", "weightDecay", "foreach", "maximize"];
    super(params, groupDefaults<AdafactorOptions>(o, { v1: keys, v2: keys }));
  }

  protected override validate(group: ParamGroup & AdafactorOptions): void {
    if (!(group.lr >= 0)) throw new RangeError(`Learning rate should be >= 0 but is: ${group.lr}`);
    if (!(group.beta2Decay <= 0)) throw new RangeError(`beta2_decay should be <= 0 but is: ${group.beta2Decay}`);
    const eps = group.eps;
    if (!Array.isArray(eps) || eps.length !== 2) throw new TypeError(`Adafactor: eps must be a pair [eps1 | null, eps2], got ${String(eps)}`);
    if (eps[0] !== null && !(eps[0] >= 0)) throw new RangeError(`epsilon1 should be >= 0 but is: ${eps[0]}`);
    if (!(eps[1] >= 0)) throw new RangeError(`epsilon2 should be >= 0 but is: ${eps[1]}`);
    if (!(group.d >= 1)) throw new RangeError(`Clipping threshold d should be >= 1 but is: ${group.d}`);
    if (!(group.weightDecay >= 0)) throw new RangeError(`weight_decay should be >= 0 but is: ${group.weightDecay}`);
  }

  protected updateParameter(group: ParamGroup & AdafactorOptions, param: Tensor, grad: Tensor, state: OptimizerState): void {
    if (param.dtype.startsWith("complex")) throw new Error("Adafactor does not support complex parameters");
    if (grad.layout !== "strided") throw new Error("Adafactor does not support sparse gradients");
    if (state.step === undefined) {
      state.step = scalarTensor(0, { dtype: "float32" });
      if (grad.dim() > 1) {
        const rowShape = grad.shape;
        rowShape[rowShape.length - 1] = 1;
        state.row_var = zeros(rowShape, { dtype: grad.dtype, device: grad.device });
        const colShape = grad.shape;
        colShape[colShape.length - 2] = 1;
        state.col_var = zeros(colShape, { dtype: grad.dtype, device: grad.device });
      } else {
        state.variance = zerosLike(grad);
      }
    }
    const { lr, beta2Decay, d, weightDecay, maximize } = group;
    const eps1 = group.eps[0] ?? new finfo(param.dtype).eps;
    const eps2 = group.eps[1];
    const g = maximize ? grad.neg() : grad;
    const stepT = stateTensor(state, "step").add_(1);
    const step = Number(stepT.item());
    const oneMinusBeta2 = step ** beta2Decay;
    const rho = Math.min(lr, 1 / step ** 0.5);
    const alpha = Math.max(eps2, Number(norm(param, 2).item()) / param.numel() ** 0.5) * rho;
    if (weightDecay !== 0) param.mul_(1 - lr * weightDecay);
    let varEstimate: Tensor;
    if (g.dim() > 1) {
      const rowVar = stateTensor(state, "row_var");
      const colVar = stateTensor(state, "col_var");
      // Python's torch.norm(grad, dim=-1, keepdim=True): the 2-norm over that dimension.
      const rowMean = vectorNorm(g, -1).square_().div_(g.size(-1));
      rowVar.lerp_(rowMean, oneMinusBeta2);
      const colMean = vectorNorm(g, -2).square_().div_(g.size(-2));
      colVar.lerp_(colMean, oneMinusBeta2);
      varEstimate = rowVar.matmul(colVar);
      varEstimate.div_(aten.clamp_!(aten.mean!(rowVar, [-2], true), eps1) as Tensor);
    } else {
      const variance = stateTensor(state, "variance");
      variance.lerp_(g.mul(g), oneMinusBeta2);
      varEstimate = variance.clone();
    }
    const update = (aten.rsqrt_!(aten.clamp_!(varEstimate, eps1 * eps1)) as Tensor).mul_(g);
    const denom = Math.max(1, Number(norm(update, 2).item()) / (update.numel() ** 0.5 * d));
    param.add_(update, { alpha: -alpha / denom });
  }
}
