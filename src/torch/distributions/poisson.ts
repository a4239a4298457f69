// The Poisson distribution (torch/distributions/poisson.py).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface PoissonOptions extends ValidateArgsOption {
  rate?: TensorLike;
}

/**
 * A Poisson distribution parameterized by `rate`: `P(k) = rate^k e^-rate / k!`.
 *
 * Example:
 * ```ts
 * new Poisson(torch.tensor([4])).sample(); // e.g. [3.]
 * ```
 */
export class Poisson extends ExponentialFamily {
  rate!: Tensor;

  constructor(...args: CtorArgs<[rate: TensorLike, validateArgs: boolean | null], PoissonOptions>) {
    super();
    const a = bindArgs("torch.distributions.Poisson", args);
    const rate = tensorLikeArg("Poisson", "rate", a.rate)!;
    [this.rate] = broadcastAll(rate) as [Tensor];
    this._init(typeof rate === "number" ? [] : this.rate.shape, [], boolArg("Poisson", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { rate: constraints.nonnegative };
  }
  override get support(): constraints.Constraint {
    return constraints.nonnegativeInteger;
  }
  override get mean(): Tensor {
    return this.rate;
  }
  override get mode(): Tensor {
    return this.rate.floor();
  }
  override get variance(): Tensor {
    return this.rate;
  }
  override _expand(batchShape: number[]): Poisson {
    const n = this._newInstance();
    n.rate = this.rate.expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _sample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    return noGrad(() => ops.poisson(this.rate.expand(shape)));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const [rate, v] = broadcastAll(this.rate, value) as [Tensor, Tensor];
    return v.xlogy(rate).sub(rate).sub(v.add(1).lgamma());
  }
  override get _naturalParams(): Tensor[] {
    return [ops.log(this.rate)];
  }
  override _logNormalizer(...p: Tensor[]): Tensor {
    return ops.exp(p[0]!);
  }
}
