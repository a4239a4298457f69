// The logistic-normal distribution (torch/distributions/logistic_normal.py).
import { Tensor } from "../tensor/tensor.js";
import * as constraints from "./constraints.js";
import { Normal } from "./normal.js";
import { Independent } from "./independent.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { StickBreakingTransform } from "./transforms.js";
import { bindArgs } from "../binding/index.js";
import { tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";
import type { Distribution } from "./distribution.js";

export interface LogisticNormalOptions extends ValidateArgsOption {
  loc?: TensorLike;
  scale?: TensorLike;
}

/**
 * A logistic-normal distribution on the simplex: `StickBreakingTransform()(X)` with
 * `X ~ Normal(loc, scale)` over the last dimension.
 *
 * Example:
 * ```ts
 * new LogisticNormal(torch.tensor([0.0, 0.0, 0.0]), torch.tensor([1.0, 1.0, 1.0])).sample(); // sums to 1
 * ```
 */
export class LogisticNormal extends TransformedDistribution {
  constructor(...args: CtorArgs<[loc: TensorLike, scale: TensorLike, validateArgs: boolean | null], LogisticNormalOptions>) {
    super();
    const a = bindArgs("torch.distributions.LogisticNormal", args);
    const loc = tensorLikeArg("LogisticNormal", "loc", a.loc)!;
    const scale = tensorLikeArg("LogisticNormal", "scale", a.scale)!;
    const validateArgs = a.validateArgs as boolean | null | undefined;
    let base: Distribution = new Normal(loc, scale, { validateArgs });
    if (base.batchShape.length === 0) base = base.expand([1]);
    this._setup("LogisticNormal", base, new StickBreakingTransform(), validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { loc: constraints.real, scale: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.simplex;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): LogisticNormal {
    return this._expandInto(this._newInstance(), batchShape);
  }
  get loc(): Tensor {
    return ((this.baseDist as Independent).baseDist as Normal).loc;
  }
  get scale(): Tensor {
    return ((this.baseDist as Independent).baseDist as Normal).scale;
  }
}
