// Adafactor (torch.optim.Adafactor, PyTorch 2.x; here on every version): Adam-like steps with a
// factored second moment (row and column averages) for parameters of two or more dimensions, as
// torch/optim/_adafactor.py's single-tensor path.
import type { Tensor } from "../tensor/tensor.js";
import { scalarTensor, zerosLike } from "../tensor/creation.js";
import { bindOptimizer, type OptimizerArgs, type OptimizerState, type ParamGroup } from "./optimizer.js";
import { PerParameterOptimizer, stateTensor } from "./per-parameter-optimizer.js";

export interface AdafactorOptions {
  /** Learning rate, an upper bound of the relative step size (default 1e-2). */
  lr: number;
  /** The second moment's decay exponent: β2 at step t is 1 − t^beta2Decay (default -0.8). */
  beta2Decay: number;
  /** [eps1 (null: the dtype's machine epsilon), eps2 (default 1e-3)]. */
  eps: readonly [number | null, number];
  /** The update's clipping threshold (default 1). */
  d: number;
  weightDecay: number;
  foreach: boolean | null;
  maximize: boolean;
}

const MACHINE_EPSILON: Record<string, number> = { float64: 2 ** -52, float32: 2 ** -23, float16: 2 ** -10, bfloat16: 2 ** -7 };

/**
 * Adafactor (Shazeer & Stern 2018), as PyTorch computes it, for each parameter p with gradient g at
 * step t: ρ = min(lr, 1/√t), α = max(eps2, RMS(p))·ρ; the second moment v is g² averaged (for a
 * matrix: its row and column means, v ≈ r·c / mean(r)) with weight t^beta2Decay; the update
 * u = g / √max(v, eps1²) is scaled down to RMS(u) ≤ d, and p ← p − α·u.
 *
 * @param params - the tensors to optimize, or groups `{ params, ...options }`
 * @param lr, beta2Decay, eps, d, weightDecay - positionally or by name; foreach, maximize by name
 * @example
 * const opt = new optim.Adafactor(model.parameters(), 1e-2);
 */
export class Adafactor extends PerParameterOptimizer<AdafactorOptions> {
  constructor(...args: OptimizerArgs<"torch.optim.Adafactor", AdafactorOptions>) {
    const { params, options: o } = bindOptimizer<AdafactorOptions>("torch.optim.Adafactor", args);
    const eps = o.eps as readonly unknown[];
    if (!Array.isArray(eps) || eps.length !== 2) throw new TypeError("optim.Adafactor(): argument 'eps' must be a pair [eps1 or null, eps2]");
    super(params, {
      lr: o.lr,
      beta2Decay: o.beta2Decay,
      eps: [eps[0] as number | null, eps[1] as number],
      d: o.d,
      weightDecay: o.weightDecay,
      foreach: o.foreach,
      maximize: o.maximize,
    });
  }

  protected override validate(group: ParamGroup & AdafactorOptions): void {
    if (!(group.lr >= 0)) throw new Error(`Learning rate should be >= 0 but is: ${group.lr}`);
    if (!(group.beta2Decay <= 0)) throw new Error(`beta2_decay should be <= 0 but is: ${group.beta2Decay}`);
    const [eps1, eps2] = group.eps;
    if (eps1 !== null && !(eps1 >= 0)) throw new Error(`epsilon1 should be >= 0 but is: ${eps1}`);
    if (!(eps2 >= 0)) throw new Error(`epsilon2 should be >= 0 but is: ${eps2}`);
    if (!(group.d >= 1)) throw new Error(`Clipping threshold d should be >= 1 but is: ${group.d}`);
    if (!(group.weightDecay >= 0)) throw new Error(`weight_decay should be >= 0 but is: ${group.weightDecay}`);
  }

  protected updateParameter(group: ParamGroup & AdafactorOptions, param: Tensor, grad: Tensor, state: OptimizerState): void {
    if (state.step === undefined) {
      state.step = scalarTensor(0, { dtype: "float32" });
      if (grad.dim() > 1) {
        const rowShape = [...grad.shape];
        rowShape[rowShape.length - 1] = 1;
        const colShape = [...grad.shape];
        colShape[colShape.length - 2] = 1;
        state.row_var = grad.newZeros(rowShape);
        state.col_var = grad.newZeros(colShape);
      } else {
        state.variance = zerosLike(grad);
      }
    }
    const { lr, beta2Decay, d, weightDecay, maximize } = group;
    const eps1 = group.eps[0] ?? MACHINE_EPSILON[param.dtype] ?? MACHINE_EPSILON.float32!;
    const eps2 = group.eps[1];
    const g = maximize ? grad.neg() : grad;
    const step = Number(stateTensor(state, "step").add_(1).item());
    const oneMinusBeta2 = step ** beta2Decay;
    const rho = Math.min(lr, 1 / Math.sqrt(step));
    const alpha = Math.max(eps2, (param.norm(2).item() as number) / Math.sqrt(param.numel())) * rho;
    if (weightDecay !== 0) param.mul_(1 - lr * weightDecay);
    let estimate: Tensor;
    if (g.dim() > 1) {
      const rowVar = stateTensor(state, "row_var");
      const colVar = stateTensor(state, "col_var");
      rowVar.lerp_(g.norm(2, -1, true).square_().div_(g.size(-1)), oneMinusBeta2);
      colVar.lerp_(g.norm(2, -2, true).square_().div_(g.size(-2)), oneMinusBeta2);
      estimate = rowVar.matmul(colVar).div_(rowVar.mean(-2, true).clamp_({ min: eps1 }));
    } else {
      const variance = stateTensor(state, "variance");
      variance.lerp_(g.mul(g), oneMinusBeta2);
      estimate = variance.clone();
    }
    const update = estimate.clamp_({ min: eps1 * eps1 }).rsqrt_().mul_(g);
    const denom = Math.max(1.0, (update.norm(2).item() as number) / (Math.sqrt(update.numel()) * d));
    param.add_(update, { alpha: -alpha / denom });
  }
}
