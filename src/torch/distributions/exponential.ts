// The exponential distribution (torch/distributions/exponential.py).
import { Tensor } from "../tensor/tensor.js";
import { zerosLike } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, rsub, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";
import { followsTorch2 } from "./python-version.js";

export interface ExponentialOptions extends ValidateArgsOption {
  rate?: TensorLike;
}

/**
 * An exponential distribution parameterized by `rate` (`1 / scale`).
 *
 * Example:
 * ```ts
 * new Exponential(torch.tensor([1.0])).sample(); // Exponential distributed with rate 1
 * ```
 */
export class Exponential extends ExponentialFamily {
  rate!: Tensor;

  constructor(...args: CtorArgs<[rate: TensorLike, validateArgs: boolean | null], ExponentialOptions>) {
    super();
    const a = bindArgs("torch.distributions.Exponential", args);
    const rate = tensorLikeArg("Exponential", "rate", a.rate)!;
    [this.rate] = broadcastAll(rate) as [Tensor];
    this._init(typeof rate === "number" ? [] : this.rate.shape, [], boolArg("Exponential", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { rate: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.nonnegative;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get _meanCarrierMeasure(): number {
    return 0;
  }
  override get mean(): Tensor {
    return this.rate.reciprocal();
  }
  override get mode(): Tensor {
    return zerosLike(this.rate);
  }
  override get stddev(): Tensor {
    return this.rate.reciprocal();
  }
  override get variance(): Tensor {
    return this.rate.pow(-2);
  }
  override _expand(batchShape: number[]): Exponential {
    const n = this._newInstance();
    n.rate = this.rate.expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    return this.rate.newEmpty(shape).exponential_().div(this.rate);
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    return this.rate.log().sub(this.rate.mul(value));
  }
  override _cdf(value: Tensor): Tensor {
    this._maybeValidate(value);
    return rsub(ops.exp(this.rate.neg().mul(value)), 1);
  }
  override _icdf(value: Tensor): Tensor {
    // torch 2.x: log1p(-value) (1.13: log(1 - value)), as Python of the running version.
    return (followsTorch2() ? ops.log1p(value.neg()) : ops.log(rsub(value, 1))).neg().div(this.rate);
  }
  override _entropy(): Tensor {
    return rsub(ops.log(this.rate), 1.0);
  }
  override get _naturalParams(): Tensor[] {
    return [this.rate.neg()];
  }
  override _logNormalizer(...p: Tensor[]): Tensor {
    return ops.log(p[0]!.neg()).neg();
  }
}
