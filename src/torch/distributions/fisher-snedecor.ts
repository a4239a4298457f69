// The Fisher-Snedecor (F) distribution (torch/distributions/fishersnedecor.py).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { Gamma } from "./gamma.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, finfo, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface FisherSnedecorOptions extends ValidateArgsOption {
  df1?: TensorLike;
  df2?: TensorLike;
}

/**
 * A Fisher-Snedecor (F) distribution with degrees of freedom `df1` and `df2`.
 *
 * Example:
 * ```ts
 * new FisherSnedecor(torch.tensor([1.0]), torch.tensor([2.0])).sample();
 * ```
 */
export class FisherSnedecor extends Distribution {
  df1!: Tensor;
  df2!: Tensor;
  /** @internal */ _gamma1!: Gamma;
  /** @internal */ _gamma2!: Gamma;

  constructor(...args: CtorArgs<[df1: TensorLike, df2: TensorLike, validateArgs: boolean | null], FisherSnedecorOptions>) {
    super();
    const a = bindArgs("torch.distributions.FisherSnedecor", args);
    const df1 = tensorLikeArg("FisherSnedecor", "df1", a.df1)!;
    const df2 = tensorLikeArg("FisherSnedecor", "df2", a.df2)!;
    [this.df1, this.df2] = broadcastAll(df1, df2) as [Tensor, Tensor];
    this._gamma1 = new Gamma(this.df1.mul(0.5), this.df1);
    this._gamma2 = new Gamma(this.df2.mul(0.5), this.df2);
    const batchShape = typeof df1 === "number" && typeof df2 === "number" ? [] : this.df1.shape;
    this._init(batchShape, [], boolArg("FisherSnedecor", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { df1: constraints.positive, df2: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.positive;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): FisherSnedecor {
    const n = this._newInstance();
    n.df1 = this.df1.expand(batchShape);
    n.df2 = this.df2.expand(batchShape);
    n._gamma1 = this._gamma1._expand(batchShape);
    n._gamma2 = this._gamma2._expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override get mean(): Tensor {
    const df2 = this.df2.clone();
    df2.idxPut_(df2.le(2), NaN);
    return df2.div(df2.sub(2));
  }
  override get mode(): Tensor {
    const mode = this.df1.sub(2).div(this.df1).mul(this.df2).div(this.df2.add(2));
    mode.idxPut_(this.df1.le(2), NaN);
    return mode;
  }
  override get variance(): Tensor {
    const df2 = this.df2.clone();
    df2.idxPut_(df2.le(4), NaN);
    return df2
      .pow(2)
      .mul(2)
      .mul(this.df1.add(df2).sub(2))
      .div(this.df1.mul(df2.sub(2).pow(2)).mul(df2.sub(4)));
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const x1 = this._gamma1.rsample(sampleShape).view(shape);
    const x2 = this._gamma2.rsample(sampleShape).view(shape);
    const tiny = finfo(x2.dtype).tiny;
    clampInPlace(x2, tiny);
    const y = x1.div(x2);
    clampInPlace(y, tiny);
    return y;
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const ct1 = this.df1.mul(0.5);
    const ct2 = this.df2.mul(0.5);
    const ct3 = this.df1.div(this.df2);
    const t1 = ct1.add(ct2).lgamma().sub(ct1.lgamma()).sub(ct2.lgamma());
    const t2 = ct1.mul(ct3.log()).add(ct1.sub(1).mul(ops.log(value)));
    const t3 = ct1.add(ct2).mul(ops.log1p(ct3.mul(value)));
    return t1.add(t2).sub(t3);
  }
}

/** Python's `x.clamp_(min=tiny)` on a tensor that may record gradients (in place, as Python). */
function clampInPlace(x: Tensor, min: number): void {
  if (x.requiresGrad) x.clamp_({ min });
  else noGrad(() => x.clamp_({ min }));
}
