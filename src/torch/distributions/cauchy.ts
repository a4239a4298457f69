// The Cauchy (Lorentz) distribution (torch/distributions/cauchy.py).
import { Tensor } from "../tensor/tensor.js";
import { full } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";
import { followsTorch2 } from "./python-version.js";

export interface CauchyOptions extends ValidateArgsOption {
  loc?: TensorLike;
  scale?: TensorLike;
}

/**
 * A Cauchy (Lorentz) distribution: the ratio of independent normal variables with mean 0.
 *
 * Args:
 *   loc: mode or median of the distribution.
 *   scale: half width at half maximum.
 *
 * Example:
 * ```ts
 * new Cauchy(0, 1).sample();
 * ```
 */
export class Cauchy extends Distribution {
  loc!: Tensor;
  scale!: Tensor;

  constructor(...args: CtorArgs<[loc: TensorLike, scale: TensorLike, validateArgs: boolean | null], CauchyOptions>) {
    super();
    const a = bindArgs("torch.distributions.Cauchy", args);
    const loc = tensorLikeArg("Cauchy", "loc", a.loc)!;
    const scale = tensorLikeArg("Cauchy", "scale", a.scale)!;
    [this.loc, this.scale] = broadcastAll(loc, scale) as [Tensor, Tensor];
    const batchShape = typeof loc === "number" && typeof scale === "number" ? [] : this.loc.shape;
    this._init(batchShape, [], boolArg("Cauchy", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { loc: constraints.real, scale: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return full(this._extendedShape(), NaN, { dtype: this.loc.dtype, device: this.loc.device });
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return full(this._extendedShape(), Infinity, { dtype: this.loc.dtype, device: this.loc.device });
  }
  override _expand(batchShape: number[]): Cauchy {
    const n = this._newInstance();
    n.loc = this.loc.expand(batchShape);
    n.scale = this.scale.expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const eps = this.loc.newEmpty(shape).cauchy_();
    return this.loc.add(eps.mul(this.scale));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const z2 = value.sub(this.loc).div(this.scale).pow(2);
    // torch 2.x: log1p(z^2) (1.13: log(1 + z^2)), as Python of the running version.
    return this.scale.log().neg().add(-Math.log(Math.PI)).sub(followsTorch2() ? z2.log1p() : z2.add(1).log());
  }
  override _cdf(value: Tensor): Tensor {
    this._maybeValidate(value);
    return ops.atan(value.sub(this.loc).div(this.scale)).div(Math.PI).add(0.5);
  }
  override _icdf(value: Tensor): Tensor {
    return ops.tan(value.sub(0.5).mul(Math.PI)).mul(this.scale).add(this.loc);
  }
  override _entropy(): Tensor {
    return this.scale.log().add(Math.log(4 * Math.PI));
  }
}
