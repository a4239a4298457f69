// The continuous uniform distribution (torch/distributions/uniform.py).
import { Tensor } from "../tensor/tensor.js";
import { rand } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface UniformOptions extends ValidateArgsOption {
  low?: TensorLike;
  high?: TensorLike;
}

/**
 * Uniformly distributed samples from the half-open interval `[low, high)`.
 *
 * Args:
 *   low: lower range (inclusive).
 *   high: upper range (exclusive).
 *
 * Example:
 * ```ts
 * new Uniform(torch.tensor([0.0]), torch.tensor([5.0])).sample(); // in [0, 5)
 * ```
 */
export class Uniform extends Distribution {
  low!: Tensor;
  high!: Tensor;

  constructor(...args: CtorArgs<[low: TensorLike, high: TensorLike, validateArgs: boolean | null], UniformOptions>) {
    super();
    const a = bindArgs("torch.distributions.Uniform", args);
    const low = tensorLikeArg("Uniform", "low", a.low)!;
    const high = tensorLikeArg("Uniform", "high", a.high)!;
    [this.low, this.high] = broadcastAll(low, high) as [Tensor, Tensor];
    const batchShape = typeof low === "number" && typeof high === "number" ? [] : this.low.shape;
    this._init(batchShape, [], boolArg("Uniform", "validateArgs", a.validateArgs));
    if (this._validateArgs && !ops.lt(this.low, this.high).all().item<boolean>()) {
      throw new Error("Uniform is not defined when low>= high");
    }
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return {
      low: constraints.dependentProperty({ isDiscrete: false, eventDim: 0 }),
      high: constraints.dependentProperty({ isDiscrete: false, eventDim: 0 }),
    };
  }
  override get support(): constraints.Constraint {
    return constraints.interval(this.low, this.high);
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    return this.high.add(this.low).div(2);
  }
  override get mode(): Tensor {
    return this.high.mul(NaN);
  }
  override get stddev(): Tensor {
    return this.high.sub(this.low).div(12 ** 0.5);
  }
  override get variance(): Tensor {
    return this.high.sub(this.low).pow(2).div(12);
  }
  override _expand(batchShape: number[]): Uniform {
    const n = this._newInstance();
    n.low = this.low.expand(batchShape);
    n.high = this.high.expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const u = rand(shape, { dtype: this.low.dtype, device: this.low.device });
    return this.low.add(u.mul(this.high.sub(this.low)));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const lb = this.low.le(value).typeAs(this.low);
    const ub = this.high.gt(value).typeAs(this.low);
    return ops.log(lb.mul(ub)).sub(ops.log(this.high.sub(this.low)));
  }
  override _cdf(value: Tensor): Tensor {
    this._maybeValidate(value);
    return value.sub(this.low).div(this.high.sub(this.low)).clamp({ min: 0, max: 1 });
  }
  override _icdf(value: Tensor): Tensor {
    return value.mul(this.high.sub(this.low)).add(this.low);
  }
  override _entropy(): Tensor {
    return ops.log(this.high.sub(this.low));
  }
}
