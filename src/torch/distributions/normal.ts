// The normal (Gaussian) distribution (torch/distributions/normal.py).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, standardNormal, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface NormalOptions extends ValidateArgsOption {
  loc?: TensorLike;
  scale?: TensorLike;
}

/**
 * A normal (Gaussian) distribution parameterized by `loc` (mean) and `scale` (standard deviation).
 *
 * Args:
 *   loc: mean of the distribution.
 *   scale: standard deviation (> 0).
 *
 * Example:
 * ```ts
 * const m = new Normal(0, 1);
 * m.sample(); // a 0-d tensor
 * ```
 */
export class Normal extends ExponentialFamily {
  loc!: Tensor;
  scale!: Tensor;

  constructor(...args: CtorArgs<[loc: TensorLike, scale: TensorLike, validateArgs: boolean | null], NormalOptions>) {
    super();
    const a = bindArgs("torch.distributions.Normal", args);
    const loc = tensorLikeArg("Normal", "loc", a.loc)!;
    const scale = tensorLikeArg("Normal", "scale", a.scale)!;
    [this.loc, this.scale] = broadcastAll(loc, scale) as [Tensor, Tensor];
    const batchShape = typeof loc === "number" && typeof scale === "number" ? [] : this.loc.shape;
    this._init(batchShape, [], boolArg("Normal", "validateArgs", a.validateArgs));
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
  override get _meanCarrierMeasure(): number {
    return 0;
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get stddev(): Tensor {
    return this.scale;
  }
  override get variance(): Tensor {
    return this.stddev.pow(2);
  }
  override _expand(batchShape: number[]): Normal {
    const n = this._newInstance();
    n.loc = this.loc.expand(batchShape);
    n.scale = this.scale.expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _sample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    return noGrad(() => ops.normal(this.loc.expand(shape), this.scale.expand(shape)));
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const eps = standardNormal(shape, this.loc);
    return this.loc.add(eps.mul(this.scale));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const variance = this.scale.pow(2);
    const logScale = this.scale.log();
    return value.sub(this.loc).pow(2).neg().div(variance.mul(2)).sub(logScale).sub(Math.log(Math.sqrt(2 * Math.PI)));
  }
  override _cdf(value: Tensor): Tensor {
    this._maybeValidate(value);
    return ops.erf(value.sub(this.loc).mul(this.scale.reciprocal()).div(Math.sqrt(2))).add(1).mul(0.5);
  }
  override _icdf(value: Tensor): Tensor {
    return this.loc.add(this.scale.mul(ops.erfinv(value.mul(2).sub(1))).mul(Math.sqrt(2)));
  }
  override _entropy(): Tensor {
    return ops.log(this.scale).add(0.5 + 0.5 * Math.log(2 * Math.PI));
  }
  override get _naturalParams(): Tensor[] {
    return [this.loc.div(this.scale.pow(2)), this.scale.pow(2).reciprocal().mul(-0.5)];
  }
  override _logNormalizer(...p: Tensor[]): Tensor {
    const [x, y] = p as [Tensor, Tensor];
    return x.pow(2).mul(-0.25).div(y).add(ops.log(y.reciprocal().mul(-Math.PI)).mul(0.5));
  }
}
