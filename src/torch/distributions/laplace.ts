// The Laplace distribution (torch/distributions/laplace.py).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, finfo, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface LaplaceOptions extends ValidateArgsOption {
  loc?: TensorLike;
  scale?: TensorLike;
}

/**
 * A Laplace distribution parameterized by `loc` and `scale`.
 *
 * Example:
 * ```ts
 * new Laplace(0, 1).sample();
 * ```
 */
export class Laplace extends Distribution {
  loc!: Tensor;
  scale!: Tensor;

  constructor(...args: CtorArgs<[loc: TensorLike, scale: TensorLike, validateArgs: boolean | null], LaplaceOptions>) {
    super();
    const a = bindArgs("torch.distributions.Laplace", args);
    const loc = tensorLikeArg("Laplace", "loc", a.loc)!;
    const scale = tensorLikeArg("Laplace", "scale", a.scale)!;
    [this.loc, this.scale] = broadcastAll(loc, scale) as [Tensor, Tensor];
    const batchShape = typeof loc === "number" && typeof scale === "number" ? [] : this.loc.shape;
    this._init(batchShape, [], boolArg("Laplace", "validateArgs", a.validateArgs));
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
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return this.scale.pow(2).mul(2);
  }
  override get stddev(): Tensor {
    return this.scale.mul(2 ** 0.5);
  }
  override _expand(batchShape: number[]): Laplace {
    const n = this._newInstance();
    n.loc = this.loc.expand(batchShape);
    n.scale = this.scale.expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const eps = finfo(this.loc.dtype).eps;
    const u = this.loc.newEmpty(shape).uniform_(eps - 1, 1);
    return this.loc.sub(this.scale.mul(u.sign()).mul(ops.log1p(u.abs().neg())));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    return ops.log(this.scale.mul(2)).neg().sub(ops.abs(value.sub(this.loc)).div(this.scale));
  }
  override _cdf(value: Tensor): Tensor {
    this._maybeValidate(value);
    const d = value.sub(this.loc);
    return d.sign().mul(0.5).mul(ops.expm1(d.abs().neg().div(this.scale))).neg().add(0.5);
  }
  override _icdf(value: Tensor): Tensor {
    const term = value.sub(0.5);
    return this.loc.sub(this.scale.mul(term.sign()).mul(ops.log1p(term.abs().mul(-2))));
  }
  override _entropy(): Tensor {
    return ops.log(this.scale.mul(2)).add(1);
  }
}
