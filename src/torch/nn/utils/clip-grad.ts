// Gradient clipping: clipGradNorm_ and clipGradValue_ (torch.nn.utils.clip_grad_norm_/value_).
import { Tensor, describe } from "../../tensor/tensor.js";
import { scalarTensor } from "../../tensor/creation.js";
import { noGrad } from "../../tensor/runtime.js";
import { tidy } from "../../tensor/scope.js";
import * as ops from "../../generated/torch.js";

function gradsOf(parameters: Tensor | Iterable<Tensor>, fn: string): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : Array.from(parameters);
  const grads: Tensor[] = [];
  for (const p of list) {
    if (!(p instanceof Tensor)) throw new TypeError(`${fn}: expected Tensors, got ${describe(p)}`);
    const g = p.grad;
    if (g !== undefined) grads.push(g);
  }
  return grads;
}

/**
 * Scales the gradients of `parameters` in place so that their total norm (as if all were
 * concatenated into one vector) is at most `maxNorm`. Returns the total norm before clipping.
 *
 * Options: normType (2; Infinity for the max norm), errorIfNonfinite (false).
 */
export function clipGradNorm_(
  parameters: Tensor | Iterable<Tensor>,
  maxNorm: number,
  options: { normType?: number; errorIfNonfinite?: boolean } = {},
): Tensor {
  const { normType = 2, errorIfNonfinite = false } = options;
  // tidy frees the gradient aliases and temporaries now: each wrapper of a large gradient
  // would otherwise count as new external memory until the GC runs.
  return tidy(() => {
    const grads = gradsOf(parameters, "clipGradNorm_");
    if (grads.length === 0) return scalarTensor(0);
    return noGrad(() => clipByTotalNorm(grads, maxNorm, normType, errorIfNonfinite));
  });
}

function clipByTotalNorm(grads: Tensor[], maxNorm: number, normType: number, errorIfNonfinite: boolean): Tensor {
  const device = grads[0]!.device;
  let total: Tensor;
  if (normType === Infinity) {
    const norms = grads.map((g) => g.abs().max().to(device));
    total = norms.length === 1 ? norms[0]! : ops.stack(norms).max();
  } else {
    const norms = grads.map((g) => g.norm({ p: normType }).to(device));
    total = ops.stack(norms).norm({ p: normType });
  }
  if (errorIfNonfinite && !Number.isFinite(Number(total.item()))) {
    throw new Error(
      `The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
        "To disable this error and scale the gradients by the non-finite norm anyway, set `errorIfNonfinite: false`",
    );
  }
  const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp({ max: 1 });
  for (const g of grads) g.mul_(coef.to(g.device));
  return total;
}

/** Clamps the gradients of `parameters` in place to [−clipValue, clipValue]. */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  tidy(() => {
    const grads = gradsOf(parameters, "clipGradValue_");
    noGrad(() => {
      for (const g of grads) g.clamp_({ min: -clipValue, max: clipValue });
    });
  });
}
