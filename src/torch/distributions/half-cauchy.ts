// The half-Cauchy distribution (torch/distributions/half_cauchy.py): |X| for X ~ Cauchy(0, scale).
import { Tensor } from "../tensor/tensor.js";
import { full, zerosLike } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Cauchy } from "./cauchy.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { AbsTransform } from "./transforms.js";
import { bindArgs, type ArgsOf } from "../binding/index.js";
import { tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface HalfCauchyOptions extends ValidateArgsOption {
  scale?: TensorLike;
}

/**
 * A half-Cauchy distribution: `|X|` with `X ~ Cauchy(0, scale)`.
 *
 * Example:
 * ```ts
 * new HalfCauchy(torch.tensor([1.0])).sample();
 * ```
 */
export class HalfCauchy extends TransformedDistribution {
  declare baseDist: Cauchy;

  constructor(...args: CtorArgs<[scale: TensorLike, validateArgs: boolean | null], HalfCauchyOptions>) {
    super();
    const a = bindArgs("torch.distributions.HalfCauchy", args);
    const scale = tensorLikeArg("HalfCauchy", "scale", a.scale)!;
    this._setup("HalfCauchy", new Cauchy(0, scale, { validateArgs: false }), new AbsTransform(), a.validateArgs);
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
  override _expand(batchShape: number[]): HalfCauchy {
    return this._expandInto(this._newInstance(), batchShape);
  }
  get scale(): Tensor {
    return this.baseDist.scale;
  }
  override get mean(): Tensor {
    return full(this._extendedShape(), Infinity, { dtype: this.scale.dtype, device: this.scale.device });
  }
  override get mode(): Tensor {
    return zerosLike(this.scale);
  }
  override get variance(): Tensor {
    return this.baseDist.variance;
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const v = value.to({ dtype: this.baseDist.scale.dtype, device: this.baseDist.scale.device });
    const logProb = this.baseDist.logProb(v).add(Math.log(2));
    return ops.where(v.ge(0), logProb, -Infinity);
  }
  override _cdf(value: Tensor): Tensor {
    this._maybeValidate(value);
    return this.baseDist.cdf(value).mul(2).sub(1);
  }
  /** The inverse CDF at `prob` (Python's parameter name). */
  override icdf(...args: ArgsOf<"torch.distributions.HalfCauchy.icdf">): Tensor {
    return this._icdf(this._valueArg("icdf", args));
  }
  override _icdf(prob: Tensor): Tensor {
    return this.baseDist.icdf(prob.add(1).div(2));
  }
  override _entropy(): Tensor {
    return this.baseDist.entropy().sub(Math.log(2));
  }
}
