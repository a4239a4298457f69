// The log-normal distribution (torch/distributions/log_normal.py): exp(X) for X ~ Normal(loc, scale).
import { Tensor } from "../tensor/tensor.js";
import * as constraints from "./constraints.js";
import { Normal } from "./normal.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { ExpTransform } from "./transforms.js";
import { bindArgs } from "../binding/index.js";
import { tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";
import { followsTorch2 } from "./python-version.js";

export interface LogNormalOptions extends ValidateArgsOption {
  loc?: TensorLike;
  scale?: TensorLike;
}

/**
 * A log-normal distribution: `exp(X)` with `X ~ Normal(loc, scale)`.
 *
 * Example:
 * ```ts
 * new LogNormal(torch.tensor([0.0]), torch.tensor([1.0])).sample();
 * ```
 */
export class LogNormal extends TransformedDistribution {
  declare baseDist: Normal;

  constructor(...args: CtorArgs<[loc: TensorLike, scale: TensorLike, validateArgs: boolean | null], LogNormalOptions>) {
    super();
    const a = bindArgs("torch.distributions.LogNormal", args);
    const loc = tensorLikeArg("LogNormal", "loc", a.loc)!;
    const scale = tensorLikeArg("LogNormal", "scale", a.scale)!;
    const validateArgs = a.validateArgs as boolean | null | undefined;
    this._setup("LogNormal", new Normal(loc, scale, { validateArgs }), new ExpTransform(), validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { loc: constraints.real, scale: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.positive;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): LogNormal {
    return this._expandInto(this._newInstance(), batchShape);
  }
  get loc(): Tensor {
    return this.baseDist.loc;
  }
  get scale(): Tensor {
    return this.baseDist.scale;
  }
  override get mean(): Tensor {
    return this.loc.add(this.scale.pow(2).div(2)).exp();
  }
  override get mode(): Tensor {
    return this.loc.sub(this.scale.square()).exp();
  }
  override get variance(): Tensor {
    const scaleSq = this.scale.pow(2);
    // torch 2.x: expm1 (1.13: exp(x) - 1), as Python of the running version.
    return (followsTorch2() ? scaleSq.expm1() : scaleSq.exp().sub(1)).mul(this.loc.mul(2).add(scaleSq).exp());
  }
  override _entropy(): Tensor {
    return this.baseDist.entropy().add(this.loc);
  }
}
