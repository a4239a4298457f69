// The Pareto type-1 distribution (torch/distributions/pareto.py).
import { Tensor } from "../tensor/tensor.js";
import * as constraints from "./constraints.js";
import { Exponential } from "./exponential.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { AffineTransform, ExpTransform } from "./transforms.js";
import { bindArgs } from "../binding/index.js";
import { broadcastAll, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface ParetoOptions extends ValidateArgsOption {
  scale?: TensorLike;
  alpha?: TensorLike;
}

/**
 * A Pareto type-1 distribution of scale `scale` and shape `alpha`.
 *
 * Example:
 * ```ts
 * new Pareto(torch.tensor([1.0]), torch.tensor([1.0])).sample(); // Pareto(scale=1, alpha=1)
 * ```
 */
export class Pareto extends TransformedDistribution {
  scale!: Tensor;
  alpha!: Tensor;

  constructor(...args: CtorArgs<[scale: TensorLike, alpha: TensorLike, validateArgs: boolean | null], ParetoOptions>) {
    super();
    const a = bindArgs("torch.distributions.Pareto", args);
    const scale = tensorLikeArg("Pareto", "scale", a.scale)!;
    const alpha = tensorLikeArg("Pareto", "alpha", a.alpha)!;
    [this.scale, this.alpha] = broadcastAll(scale, alpha) as [Tensor, Tensor];
    const validateArgs = a.validateArgs as boolean | null | undefined;
    const base = new Exponential(this.alpha, { validateArgs });
    this._setup("Pareto", base, [new ExpTransform(), new AffineTransform({ loc: 0, scale: this.scale })], validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { alpha: constraints.positive, scale: constraints.positive };
  }
  override _expand(batchShape: number[]): Pareto {
    const n = this._newInstance();
    n.scale = this.scale.expand(batchShape);
    n.alpha = this.alpha.expand(batchShape);
    return this._expandInto(n, batchShape);
  }
  override get mean(): Tensor {
    const a = this.alpha.clamp({ min: 1 });
    return a.mul(this.scale).div(a.sub(1));
  }
  override get mode(): Tensor {
    return this.scale;
  }
  override get variance(): Tensor {
    const a = this.alpha.clamp({ min: 2 });
    return this.scale.pow(2).mul(a).div(a.sub(1).pow(2).mul(a.sub(2)));
  }
  override get support(): constraints.Constraint {
    return constraints.greaterThanEq(this.scale);
  }
  override _entropy(): Tensor {
    return this.scale.div(this.alpha).log().add(this.alpha.reciprocal().add(1));
  }
}
