// The half-normal distribution (torch/distributions/half_normal.py): |X| for X ~ Normal(0, scale).
import { Tensor } from "../tensor/tensor.js";
import { zerosLike } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Normal } from "./normal.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { AbsTransform } from "./transforms.js";
import { bindArgs, type ArgsOf } from "../binding/index.js";
import { tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface HalfNormalOptions extends ValidateArgsOption {
  scale?: TensorLike;
}

/**
 * A half-normal distribution: `|X|` with `X ~ Normal(0, scale)`.
 *
 * Example:
 * ```ts
 * new HalfNormal(torch.tensor([1.0])).sample();
 * ```
 */
export class HalfNormal extends TransformedDistribution {
  declare baseDist: Normal;

  constructor(...args: CtorArgs<[scale: TensorLike, validateArgs: boolean | null], HalfNormalOptions>) {
    super();
    const a = bindArgs("torch.distributions.HalfNormal", args);
    const scale = tensorLikeArg("HalfNormal", "scale", a.scale)!;
    this._setup("HalfNormal", new Normal(0, scale, { validateArgs: false }), new AbsTransform(), a.validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { scale: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.nonnegative;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): HalfNormal {
    return this._expandInto(this._newInstance(), batchShape);
  }
  get scale(): Tensor {
    return this.baseDist.scale;
  }
  override get mean(): Tensor {
    return this.scale.mul(Math.sqrt(2 / Math.PI));
  }
  override get mode(): Tensor {
    return zerosLike(this.scale);
  }
  override get variance(): Tensor {
    return this.scale.pow(2).mul(1 - 2 / Math.PI);
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const logProb = this.baseDist.logProb(value).add(Math.log(2));
    return ops.where(value.ge(0), logProb, -Infinity);
  }
  override _cdf(value: Tensor): Tensor {
    this._maybeValidate(value);
    return this.baseDist.cdf(value).mul(2).sub(1);
  }
  /** The inverse CDF at `prob` (Python's parameter name). */
  override icdf(...args: ArgsOf<"torch.distributions.HalfNormal.icdf">): Tensor {
    return this._icdf(this._valueArg("icdf", args));
  }
  override _icdf(prob: Tensor): Tensor {
    return this.baseDist.icdf(prob.add(1).div(2));
  }
  override _entropy(): Tensor {
    return this.baseDist.entropy().sub(Math.log(2));
  }
}
