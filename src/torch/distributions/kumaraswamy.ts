// The Kumaraswamy distribution (torch/distributions/kumaraswamy.py).
import { Tensor } from "../tensor/tensor.js";
import { fullLike } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { AffineTransform, PowerTransform } from "./transforms.js";
import { Uniform } from "./uniform.js";
import { bindArgs } from "../binding/index.js";
import { broadcastAll, eulerConstant, rdiv, rsub, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface KumaraswamyOptions extends ValidateArgsOption {
  concentration1?: TensorLike;
  concentration0?: TensorLike;
}

/** The n-th moment `b * B(1 + n / a, b)` of Kumaraswamy(a, b). */
function moments(a: Tensor, b: Tensor, n: number): Tensor {
  const arg1 = rdiv(a, n).add(1);
  const logValue = ops.lgamma(arg1).add(ops.lgamma(b)).sub(ops.lgamma(arg1.add(b)));
  return b.mul(ops.exp(logValue));
}

/**
 * A Kumaraswamy distribution on [0, 1] of concentrations `concentration1` (a) and `concentration0` (b).
 *
 * Example:
 * ```ts
 * new Kumaraswamy(torch.tensor([1.0]), torch.tensor([1.0])).sample();
 * ```
 */
export class Kumaraswamy extends TransformedDistribution {
  concentration1!: Tensor;
  concentration0!: Tensor;

  constructor(...args: CtorArgs<[concentration1: TensorLike, concentration0: TensorLike, validateArgs: boolean | null], KumaraswamyOptions>) {
    super();
    const a = bindArgs("torch.distributions.Kumaraswamy", args);
    const c1 = tensorLikeArg("Kumaraswamy", "concentration1", a.concentration1)!;
    const c0 = tensorLikeArg("Kumaraswamy", "concentration0", a.concentration0)!;
    [this.concentration1, this.concentration0] = broadcastAll(c1, c0) as [Tensor, Tensor];
    const validateArgs = a.validateArgs as boolean | null | undefined;
    const base = new Uniform(fullLike(this.concentration0, 0), fullLike(this.concentration0, 1), { validateArgs });
    const transforms = [
      new PowerTransform({ exponent: this.concentration0.reciprocal() }),
      new AffineTransform({ loc: 1.0, scale: -1.0 }),
      new PowerTransform({ exponent: this.concentration1.reciprocal() }),
    ];
    this._setup("Kumaraswamy", base, transforms, validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { concentration1: constraints.positive, concentration0: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): Kumaraswamy {
    const n = this._newInstance();
    n.concentration1 = this.concentration1.expand(batchShape);
    n.concentration0 = this.concentration0.expand(batchShape);
    return this._expandInto(n, batchShape);
  }
  override get mean(): Tensor {
    return moments(this.concentration1, this.concentration0, 1);
  }
  override get mode(): Tensor {
    const c0 = this.concentration0;
    const c1 = this.concentration1;
    const logMode = c0.reciprocal().mul(c0.neg().log1p()).sub(c0.neg().mul(c1).log1p());
    logMode.idxPut_(c0.lt(1).bitwiseOr(c1.lt(1)), NaN);
    return logMode.exp();
  }
  override get variance(): Tensor {
    return moments(this.concentration1, this.concentration0, 2).sub(ops.pow(this.mean, 2));
  }
  override _entropy(): Tensor {
    const t1 = rsub(this.concentration1.reciprocal(), 1);
    const t0 = rsub(this.concentration0.reciprocal(), 1);
    const h0 = ops.digamma(this.concentration0.add(1)).add(eulerConstant);
    return t0.add(t1.mul(h0)).sub(ops.log(this.concentration1)).sub(ops.log(this.concentration0));
  }
}
