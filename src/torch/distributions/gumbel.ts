// The Gumbel distribution (torch/distributions/gumbel.py), as transformed uniform samples.
import { Tensor } from "../tensor/tensor.js";
import { fullLike, onesLike } from "../tensor/creation.js";
import * as constraints from "./constraints.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { AffineTransform, ExpTransform } from "./transforms.js";
import { Uniform } from "./uniform.js";
import { bindArgs } from "../binding/index.js";
import { broadcastAll, eulerConstant, finfo, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";
import { followsTorch2 } from "./python-version.js";

export interface GumbelOptions extends ValidateArgsOption {
  loc?: TensorLike;
  scale?: TensorLike;
}

/**
 * A Gumbel distribution (type-1 extreme value) of location `loc` and scale `scale`.
 *
 * Example:
 * ```ts
 * new Gumbel(torch.tensor([1.0]), torch.tensor([2.0])).sample();
 * ```
 */
export class Gumbel extends TransformedDistribution {
  loc!: Tensor;
  scale!: Tensor;

  constructor(...args: CtorArgs<[loc: TensorLike, scale: TensorLike, validateArgs: boolean | null], GumbelOptions>) {
    super();
    const a = bindArgs("torch.distributions.Gumbel", args);
    const loc = tensorLikeArg("Gumbel", "loc", a.loc)!;
    const scale = tensorLikeArg("Gumbel", "scale", a.scale)!;
    [this.loc, this.scale] = broadcastAll(loc, scale) as [Tensor, Tensor];
    const f = finfo(this.loc.dtype);
    // torch 2.x passes validate_args to the base Uniform; 1.13 leaves it at the default.
    const baseOptions = { validateArgs: followsTorch2() ? (a.validateArgs as boolean | null | undefined) : undefined };
    const base =
      typeof loc === "number" && typeof scale === "number"
        ? new Uniform(f.tiny, 1 - f.eps, baseOptions)
        : new Uniform(fullLike(this.loc, f.tiny), fullLike(this.loc, 1 - f.eps), baseOptions);
    const transforms = [
      new ExpTransform().inv,
      new AffineTransform({ loc: 0, scale: onesLike(this.scale).neg() }),
      new ExpTransform().inv,
      new AffineTransform({ loc, scale: this.scale.neg() }),
    ];
    this._setup("Gumbel", base, transforms, a.validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { loc: constraints.real, scale: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override _expand(batchShape: number[]): Gumbel {
    const n = this._newInstance();
    n.loc = this.loc.expand(batchShape);
    n.scale = this.scale.expand(batchShape);
    return this._expandInto(n, batchShape);
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const y = this.loc.sub(value).div(this.scale);
    return y.sub(y.exp()).sub(this.scale.log());
  }
  override get mean(): Tensor {
    return this.loc.add(this.scale.mul(eulerConstant));
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get stddev(): Tensor {
    return this.scale.mul(Math.PI / Math.sqrt(6));
  }
  override get variance(): Tensor {
    return this.stddev.pow(2);
  }
  override _entropy(): Tensor {
    return this.scale.log().add(1 + eulerConstant);
  }
}
