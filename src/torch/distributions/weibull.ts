// The two-parameter Weibull distribution (torch/distributions/weibull.py).
import { Tensor } from "../tensor/tensor.js";
import { onesLike } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Exponential } from "./exponential.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { AffineTransform, PowerTransform } from "./transforms.js";
import { bindArgs } from "../binding/index.js";
import { broadcastAll, eulerConstant, rsub, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface WeibullOptions extends ValidateArgsOption {
  scale?: TensorLike;
  concentration?: TensorLike;
}

/**
 * A two-parameter Weibull distribution of scale `scale` (lambda) and shape `concentration` (k).
 *
 * Example:
 * ```ts
 * new Weibull(torch.tensor([1.0]), torch.tensor([1.0])).sample();
 * ```
 */
export class Weibull extends TransformedDistribution {
  scale!: Tensor;
  concentration!: Tensor;
  concentrationReciprocal!: Tensor;

  constructor(...args: CtorArgs<[scale: TensorLike, concentration: TensorLike, validateArgs: boolean | null], WeibullOptions>) {
    super();
    const a = bindArgs("torch.distributions.Weibull", args);
    const scale = tensorLikeArg("Weibull", "scale", a.scale)!;
    const concentration = tensorLikeArg("Weibull", "concentration", a.concentration)!;
    [this.scale, this.concentration] = broadcastAll(scale, concentration) as [Tensor, Tensor];
    this.concentrationReciprocal = this.concentration.reciprocal();
    const validateArgs = a.validateArgs as boolean | null | undefined;
    const base = new Exponential(onesLike(this.scale), { validateArgs });
    const transforms = [new PowerTransform({ exponent: this.concentrationReciprocal }), new AffineTransform({ loc: 0, scale: this.scale })];
    this._setup("Weibull", base, transforms, validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { scale: constraints.positive, concentration: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.positive;
  }
  override _expand(batchShape: number[]): Weibull {
    const n = this._newInstance();
    n.scale = this.scale.expand(batchShape);
    n.concentration = this.concentration.expand(batchShape);
    n.concentrationReciprocal = n.concentration.reciprocal();
    const base = this.baseDist.expand(batchShape);
    const transforms = [new PowerTransform({ exponent: n.concentrationReciprocal }), new AffineTransform({ loc: 0, scale: n.scale })];
    n._setup("Weibull", base, transforms, false);
    n._validateArgsFlag = this._validateArgsFlag;
    return n;
  }
  override get mean(): Tensor {
    return this.scale.mul(ops.exp(ops.lgamma(this.concentrationReciprocal.add(1))));
  }
  override get mode(): Tensor {
    return this.scale.mul(this.concentration.sub(1).div(this.concentration).pow(this.concentration.reciprocal()));
  }
  override get variance(): Tensor {
    return this.scale
      .pow(2)
      .mul(ops.exp(ops.lgamma(this.concentrationReciprocal.mul(2).add(1))).sub(ops.exp(ops.lgamma(this.concentrationReciprocal.add(1)).mul(2))));
  }
  override _entropy(): Tensor {
    return rsub(this.concentrationReciprocal, 1)
      .mul(eulerConstant)
      .add(ops.log(this.scale.mul(this.concentrationReciprocal)))
      .add(1);
  }
}
