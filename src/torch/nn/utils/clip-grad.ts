// Gradient clipping (torch/nn/utils/clip_grad.py): clipGradNorm_, clipGradValue_, and the two
// halves of clipGradNorm_ that PyTorch 2.x exposes, getTotalNorm and clipGradsWithNorm_.
import { Tensor, describe } from "../../tensor/tensor.js";
import { scalarTensor } from "../../tensor/creation.js";
import { noGrad } from "../../tensor/runtime.js";
import { tidy } from "../../tensor/scope.js";
import * as ops from "../../generated/torch.js";
import * as linalg from "../../generated/linalg.js";
import { bind, type ArgsOf } from "../../binding/index.js";

function tensorsOf(value: unknown, fn: string): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (value === null || typeof value !== "object" || !(Symbol.iterator in value)) {
    throw new TypeError(`${fn}(): expected a Tensor or an iterable of Tensors, got ${describe(value)}`);
  }
  const list = Array.from(value as Iterable<unknown>);
  for (const t of list) if (!(t instanceof Tensor)) throw new TypeError(`${fn}(): expected Tensors, got ${describe(t)}`);
  return list as Tensor[];
}

function gradsOf(parameters: Tensor[]): Tensor[] {
  const grads: Tensor[] = [];
  for (const p of parameters) {
    const g = p.grad;
    if (g !== undefined) grads.push(g);
  }
  return grads;
}

/** foreach=true needs a device with foreach kernels, as Python checks (CPU has none). */
function checkForeach(foreach: boolean | null, tensors: Tensor[]): void {
  if (foreach !== true) return;
  const cpu = tensors.find((t) => t.device === "cpu");
  if (cpu !== undefined) throw new Error("foreach=True was passed, but can't use the foreach API on cpu tensors");
}

function totalNorm(tensors: Tensor[], normType: number, errorIfNonfinite: boolean): Tensor {
  if (tensors.length === 0) return scalarTensor(0);
  const device = tensors[0]!.device;
  const norms = tensors.map((t) => linalg.vectorNorm(t.detach(), normType).to(device));
  const total = linalg.vectorNorm(ops.stack(norms), normType);
  if (errorIfNonfinite && !Number.isFinite(Number(total.item()))) {
    throw new Error(
      `The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
        "To disable this error and scale the gradients by the non-finite norm anyway, set `errorIfNonfinite: false`",
    );
  }
  return total;
}

function scaleGrads(grads: Tensor[], maxNorm: number, total: Tensor): void {
  if (grads.length === 0) return;
  // Python's max_norm / (total_norm + 1e-6) is reciprocal() * max_norm (Tensor.__rtruediv__).
  const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp({ max: 1 });
  for (const g of grads) g.mul_(coef.to(g.device));
}

/**
 * The norm of `tensors` as if concatenated into one vector (PyTorch 2.x's
 * torch.nn.utils.get_total_norm): normType 2 by default, Infinity for the max norm.
 */
export function getTotalNorm(...args: ArgsOf<"torch.nn.utils.get_total_norm">): Tensor {
  const a = bind("torch.nn.utils.get_total_norm", args);
  const tensors = tensorsOf(a.tensors, "nn.utils.getTotalNorm");
  checkForeach(a.foreach, tensors);
  return tidy(() => noGrad(() => totalNorm(tensors, a.normType, a.errorIfNonfinite)));
}

/** Scales the gradients of `parameters` by maxNorm / (totalNorm + 1e-6), at most 1 (PyTorch 2.x's clip_grads_with_norm_). */
export function clipGradsWithNorm_(...args: ArgsOf<"torch.nn.utils.clip_grads_with_norm_">): void {
  const a = bind("torch.nn.utils.clip_grads_with_norm_", args);
  const parameters = tensorsOf(a.parameters, "nn.utils.clipGradsWithNorm_");
  tidy(() => {
    const grads = gradsOf(parameters);
    checkForeach(a.foreach, grads);
    noGrad(() => scaleGrads(grads, a.maxNorm, a.totalNorm));
  });
}

/**
 * Scales the gradients of `parameters` in place so that their total norm (as if all were
 * concatenated into one vector) is at most `maxNorm`. Returns the total norm before clipping.
 *
 * Args (positionally or by name): parameters, maxNorm, normType (2; Infinity for the max
 * norm), errorIfNonfinite (false), foreach (null: the fastest available).
 *
 * Example:
 *   nn.utils.clipGradNorm_(model.parameters(), 0.25);
 */
export function clipGradNorm_(...args: ArgsOf<"torch.nn.utils.clip_grad_norm_">): Tensor {
  const a = bind("torch.nn.utils.clip_grad_norm_", args);
  const parameters = tensorsOf(a.parameters, "nn.utils.clipGradNorm_");
  // tidy frees the gradient aliases and temporaries now: each wrapper of a large gradient
  // would otherwise count as new external memory until the GC runs.
  return tidy(() => {
    const grads = gradsOf(parameters);
    checkForeach(a.foreach, grads);
    return noGrad(() => {
      const total = totalNorm(grads, a.normType, a.errorIfNonfinite);
      scaleGrads(grads, a.maxNorm, total);
      return total;
    });
  });
}

/** Deprecated alias of clipGradNorm_ (Python's clip_grad_norm). */
export function clipGradNorm(...args: ArgsOf<"torch.nn.utils.clip_grad_norm">): Tensor {
  const a = bind("torch.nn.utils.clip_grad_norm", args);
  return clipGradNorm_(a.parameters as Tensor[], a.maxNorm, a.normType, a.errorIfNonfinite, a.foreach);
}

/** Clamps the gradients of `parameters` in place to [−clipValue, clipValue]. */
export function clipGradValue_(...args: ArgsOf<"torch.nn.utils.clip_grad_value_">): void {
  const a = bind("torch.nn.utils.clip_grad_value_", args);
  const parameters = tensorsOf(a.parameters, "nn.utils.clipGradValue_");
  tidy(() => {
    const grads = gradsOf(parameters);
    checkForeach(a.foreach, grads);
    noGrad(() => {
      for (const g of grads) g.clamp_({ min: -a.clipValue, max: a.clipValue });
    });
  });
}
