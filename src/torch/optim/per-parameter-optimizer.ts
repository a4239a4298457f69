// The base of the optimizers written at the Tensor level, as torch/optim/*.py's single-tensor
// path: `step` evaluates the closure, then updates each parameter that has a gradient with
// Tensor ops, with gradient recording off, inside a scope that frees the temporaries. State
// tensors are kept in `this.state` (they outlive the scope).
import { Tensor } from "../tensor/tensor.js";
import { tidy } from "../tensor/scope.js";
import { enableGrad, noGrad } from "../tensor/runtime.js";
import { Optimizer, type OptimizerState, type ParamGroup, checkBeta, checkNonNegative } from "./optimizer.js";

export abstract class PerParameterOptimizer<O extends object> extends Optimizer<O> {
  /**
   * Performs one update of every parameter that has a gradient. `closure`, if given, re-evaluates
   * the model and returns the loss (with gradient recording on); step returns it.
   */
  override step<L = undefined>(closure?: () => L): L | undefined {
    const loss = closure === undefined ? undefined : enableGrad(closure);
    noGrad(() =>
      tidy(() => {
        for (const group of this.paramGroups) {
          for (const p of group.params) {
            const grad = p.grad;
            if (grad === undefined) continue;
            this.updateParameter(group, p, grad, this.state.get(p));
          }
        }
      }),
    );
    return loss;
  }

  /** Updates one parameter from its gradient; `state` is empty on its first step. */
  protected abstract updateParameter(group: ParamGroup & O, param: Tensor, grad: Tensor, state: OptimizerState): void;
}

/** A state entry's tensor (created by the optimizer itself, so its type is known). */
export function stateTensor(state: OptimizerState, key: string): Tensor {
  return state[key] as Tensor;
}

/** Python's checks of `betas`: a pair of numbers in [0, 1). */
export function checkBetas(betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError(`betas must be a pair of numbers, got ${String(betas)}`);
  checkBeta(0, betas[0]);
  checkBeta(1, betas[1]);
}

export { checkNonNegative };
