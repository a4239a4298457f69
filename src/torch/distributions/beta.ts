// The beta distribution (torch/distributions/beta.py), through a two-category Dirichlet.
import { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { Dirichlet } from "./dirichlet.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, rsub, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface BetaOptions extends ValidateArgsOption {
  concentration1?: TensorLike;
  concentration0?: TensorLike;
}

/**
 * A beta distribution parameterized by `concentration1` (alpha) and `concentration0` (beta).
 *
 * Example:
 * ```ts
 * new Beta(torch.tensor([0.5]), torch.tensor([0.5])).sample(); // in [0, 1]
 * ```
 */
export class Beta extends ExponentialFamily {
  /** @internal */ _dirichlet!: Dirichlet;

  constructor(...args: CtorArgs<[concentration1: TensorLike, concentration0: TensorLike, validateArgs: boolean | null], BetaOptions>) {
    super();
    const a = bindArgs("torch.distributions.Beta", args);
    const c1 = tensorLikeArg("Beta", "concentration1", a.concentration1)!;
    const c0 = tensorLikeArg("Beta", "concentration0", a.concentration0)!;
    const validateArgs = boolArg("Beta", "validateArgs", a.validateArgs);
    let both: Tensor;
    if (typeof c1 === "number" && typeof c0 === "number") both = tensor([c1, c0], { dtype: "float32" });
    else {
      const [t1, t0] = broadcastAll(c1, c0) as [Tensor, Tensor];
      both = ops.stack([t1, t0], -1);
    }
    this._dirichlet = new Dirichlet(both, { validateArgs });
    this._init(this._dirichlet._batchShape, [], validateArgs);
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
  override _expand(batchShape: number[]): Beta {
    const n = this._newInstance();
    n._dirichlet = this._dirichlet._expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override get mean(): Tensor {
    return this.concentration1.div(this.concentration1.add(this.concentration0));
  }
  override get mode(): Tensor {
    return this._dirichlet.mode.select(-1, 0);
  }
  override get variance(): Tensor {
    const total = this.concentration1.add(this.concentration0);
    return this.concentration1.mul(this.concentration0).div(total.pow(2).mul(total.add(1)));
  }
  override _rsample(sampleShape: number[]): Tensor {
    return this._dirichlet._rsample(sampleShape).select(-1, 0);
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    return this._dirichlet.logProb(ops.stack([value, rsub(value, 1.0)], -1));
  }
  override _entropy(): Tensor {
    return this._dirichlet.entropy();
  }
  /** The first concentration (alpha). */
  get concentration1(): Tensor {
    return this._dirichlet.concentration.select(-1, 0);
  }
  /** The second concentration (beta). */
  get concentration0(): Tensor {
    return this._dirichlet.concentration.select(-1, 1);
  }
  override get _naturalParams(): Tensor[] {
    return [this.concentration1, this.concentration0];
  }
  override _logNormalizer(...p: Tensor[]): Tensor {
    const [x, y] = p as [Tensor, Tensor];
    return ops.lgamma(x).add(ops.lgamma(y)).sub(ops.lgamma(x.add(y)));
  }
}
