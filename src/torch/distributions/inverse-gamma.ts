// The inverse gamma distribution (torch 2.x's torch/distributions/inverse_gamma.py): 1 / X for
// X ~ Gamma(concentration, rate).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Gamma } from "./gamma.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { PowerTransform } from "./transforms.js";
import { bindArgs } from "../binding/index.js";
import { requireTorch2 } from "./python-version.js";
import { tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface InverseGammaOptions extends ValidateArgsOption {
  concentration?: TensorLike;
  rate?: TensorLike;
}

/**
 * An inverse gamma distribution: `1 / X` with `X ~ Gamma(concentration, rate)` (torch 2.x; on
 * torch 1.13, which lacks it, constructing one throws).
 *
 * Example:
 * ```ts
 * new InverseGamma(torch.tensor([2.0]), torch.tensor([3.0])).sample();
 * ```
 */
export class InverseGamma extends TransformedDistribution {
  declare baseDist: Gamma;

  constructor(...args: CtorArgs<[concentration: TensorLike, rate: TensorLike, validateArgs: boolean | null], InverseGammaOptions>) {
    super();
    requireTorch2("torch.distributions.InverseGamma");
    const a = bindArgs("torch.distributions.InverseGamma", args);
    const concentration = tensorLikeArg("InverseGamma", "concentration", a.concentration)!;
    const rate = tensorLikeArg("InverseGamma", "rate", a.rate)!;
    const validateArgs = a.validateArgs as boolean | null | undefined;
    const base = new Gamma(concentration, rate, { validateArgs });
    const negOne = base.rate.newOnes([]).neg();
    this._setup("InverseGamma", base, new PowerTransform(negOne), validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { concentration: constraints.positive, rate: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.positive;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): InverseGamma {
    return this._expandInto(this._newInstance(), batchShape);
  }
  get concentration(): Tensor {
    return this.baseDist.concentration;
  }
  get rate(): Tensor {
    return this.baseDist.rate;
  }
  override get mean(): Tensor {
    const result = this.rate.div(this.concentration.sub(1));
    return ops.where(this.concentration.gt(1), result, Infinity);
  }
  override get mode(): Tensor {
    return this.rate.div(this.concentration.add(1));
  }
  override get variance(): Tensor {
    const result = this.rate.square().div(this.concentration.sub(1).square().mul(this.concentration.sub(2)));
    return ops.where(this.concentration.gt(2), result, Infinity);
  }
  override _entropy(): Tensor {
    return this.concentration
      .add(this.rate.log())
      .add(this.concentration.lgamma())
      .sub(this.concentration.add(1).mul(this.concentration.digamma()));
  }
}
