// The gamma distribution (torch/distributions/gamma.py).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { standardGamma } from "./private-ops.js";
import { gammainc } from "../generated/special.js";
import { followsTorch2 } from "./python-version.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, finfo, rsub, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface GammaOptions extends ValidateArgsOption {
  concentration?: TensorLike;
  rate?: TensorLike;
}

/**
 * A gamma distribution parameterized by shape `concentration` and `rate` (`1 / scale`).
 *
 * Example:
 * ```ts
 * new Gamma(torch.tensor([1.0]), torch.tensor([1.0])).sample();
 * ```
 */
export class Gamma extends ExponentialFamily {
  concentration!: Tensor;
  rate!: Tensor;

  constructor(...args: CtorArgs<[concentration: TensorLike, rate: TensorLike, validateArgs: boolean | null], GammaOptions>) {
    super();
    const a = bindArgs("torch.distributions.Gamma", args);
    this._setup("Gamma", a.concentration, a.rate, a.validateArgs);
  }
  /** @internal Python's `Gamma.__init__` (also run by Chi2). */
  _setup(callable: string, concentrationArg: unknown, rateArg: unknown, validateArgs: unknown): void {
    const concentration = tensorLikeArg(callable, "concentration", concentrationArg)!;
    const rate = tensorLikeArg(callable, "rate", rateArg)!;
    [this.concentration, this.rate] = broadcastAll(concentration, rate) as [Tensor, Tensor];
    const batchShape = typeof concentration === "number" && typeof rate === "number" ? [] : this.concentration.shape;
    this._init(batchShape, [], boolArg(callable, "validateArgs", validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { concentration: constraints.positive, rate: constraints.positive };
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
    return this.concentration.div(this.rate);
  }
  override get mode(): Tensor {
    return this.concentration.sub(1).div(this.rate).clamp({ min: 0 });
  }
  override get variance(): Tensor {
    return this.concentration.div(this.rate.pow(2));
  }
  override _expand(batchShape: number[]): Gamma {
    const n = this._newInstance();
    n.concentration = this.concentration.expand(batchShape);
    n.rate = this.rate.expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const value = standardGamma(this.concentration.expand(shape)).div(this.rate.expand(shape));
    noGrad(() => value.detach().clamp_({ min: finfo(value.dtype).tiny }));
    return value;
  }
  override _logProb(value: Tensor): Tensor {
    const v = value instanceof Tensor ? value.to({ dtype: this.rate.dtype, device: this.rate.device }) : value;
    this._maybeValidate(v);
    return ops
      .xlogy(this.concentration, this.rate)
      .add(ops.xlogy(this.concentration.sub(1), v))
      .sub(this.rate.mul(v))
      .sub(ops.lgamma(this.concentration));
  }
  /** The regularized lower incomplete gamma function of `rate * value` (torch 2.x; 1.13 has no Gamma.cdf). */
  override _cdf(value: Tensor): Tensor {
    if (!followsTorch2()) return super._cdf(value);
    this._maybeValidate(value);
    return gammainc(this.concentration, this.rate.mul(value));
  }
  override _entropy(): Tensor {
    return this.concentration
      .sub(ops.log(this.rate))
      .add(ops.lgamma(this.concentration))
      .add(rsub(this.concentration, 1.0).mul(ops.digamma(this.concentration)));
  }
  override get _naturalParams(): Tensor[] {
    return [this.concentration.sub(1), this.rate.neg()];
  }
  override _logNormalizer(...p: Tensor[]): Tensor {
    const [x, y] = p as [Tensor, Tensor];
    return ops.lgamma(x.add(1)).add(x.add(1).mul(ops.log(y.reciprocal().neg())));
  }
}
