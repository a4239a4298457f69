// SparseAdam (torch.optim.SparseAdam): Adam for sparse gradients (nn.Embedding(..., sparse: true)),
// updating only the rows a gradient touches, as torch/optim/_functional.py's sparse_adam.
import type { Tensor } from "../tensor/tensor.js";
import { zerosLike } from "../tensor/creation.js";
import { sparseCooTensor } from "../generated/torch.js";
import { bindOptimizer, type OptimizerArgs, type OptimizerState, type ParamGroup } from "./optimizer.js";
import { PerParameterOptimizer, checkBetas, stateTensor } from "./per-parameter-optimizer.js";

export interface SparseAdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  betas: readonly [number, number];
  eps: number;
  maximize: boolean;
}

/** Whether `t` has a sparse (COO) layout: only sparse tensors have sparse dimensions. */
function isSparse(t: Tensor): boolean {
  try {
    return t.sparseDim() > 0;
  } catch {
    return false;
  }
}

/**
 * Adam for sparse gradients, for each parameter p with a sparse gradient g at step t: only the
 * entries g holds are updated,
 *
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  p ← p − lr·√(1 − β2^t)/(1 − β1^t) · m / (√v + eps)
 *
 * A dense gradient is an error (use Adam), as is a sparse parameter.
 *
 * @param params - the tensors to optimize, or groups `{ params, ...options }`
 * @param lr, betas, eps, maximize - positionally or by name
 * @example
 * const emb = new nn.Embedding(1000, 16, { sparse: true });
 * const opt = new optim.SparseAdam(emb.parameters(), 1e-2);
 */
export class SparseAdam extends PerParameterOptimizer<SparseAdamOptions> {
  constructor(...args: OptimizerArgs<"torch.optim.SparseAdam", SparseAdamOptions>) {
    const { params, options: o } = bindOptimizer<SparseAdamOptions>("torch.optim.SparseAdam", args);
    super(params, { lr: o.lr, betas: [o.betas[0], o.betas[1]], eps: o.eps, maximize: o.maximize });
    const sparse: string[] = [];
    this.paramGroups.forEach((g, gi) =>
      g.params.forEach((p, pi) => {
        if (isSparse(p)) sparse.push(this.paramGroups.length === 1 ? String(pi) : `[${gi}, ${pi}]`);
      }),
    );
    if (sparse.length > 0) throw new Error(`Sparse params at indices [${sparse.join(", ")}]: SparseAdam requires dense parameter tensors`);
  }

  protected override validate(group: ParamGroup & SparseAdamOptions): void {
    if (!(group.lr > 0)) throw new Error(`Invalid learning rate: ${group.lr}`);
    if (!(group.eps > 0)) throw new Error(`Invalid epsilon value: ${group.eps}`);
    checkBetas(group.betas);
  }

  protected updateParameter(group: ParamGroup & SparseAdamOptions, param: Tensor, grad: Tensor, state: OptimizerState): void {
    if (!isSparse(grad)) throw new Error("SparseAdam does not support dense gradients, please consider Adam instead");
    if (state.step === undefined) {
      state.step = 0;
      state.exp_avg = zerosLike(param);
      state.exp_avg_sq = zerosLike(param);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const { lr, eps, maximize } = group;
    const [beta1, beta2] = group.betas;
    // The update is not linear, so each index must appear once.
    const g = (maximize ? grad.neg() : grad).coalesce();
    const indices = g.indices();
    const values = g.values();
    if (values.numel() === 0) return;
    const size = g.shape;
    const sparseOf = (v: Tensor): Tensor => sparseCooTensor(indices, v, size);
    const expAvg = stateTensor(state, "exp_avg");
    const expAvgSq = stateTensor(state, "exp_avg_sq");

    const oldExpAvg = expAvg.sparseMask(g).coalesce().values();
    const expAvgUpdate = values.sub(oldExpAvg).mul_(1 - beta1);
    expAvg.add_(sparseOf(expAvgUpdate));
    const oldExpAvgSq = expAvgSq.sparseMask(g).coalesce().values();
    const expAvgSqUpdate = values.pow(2).sub_(oldExpAvgSq).mul_(1 - beta2);
    expAvgSq.add_(sparseOf(expAvgSqUpdate));

    const numer = expAvgUpdate.add_(oldExpAvg);
    const denom = expAvgSqUpdate.add_(oldExpAvgSq).sqrt_().add_(eps);
    const stepSize = (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    param.add_(sparseOf(numer.div_(denom).mul_(-stepSize)));
  }
}
