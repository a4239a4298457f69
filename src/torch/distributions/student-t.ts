// Student's t-distribution (torch/distributions/studentT.py).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Chi2 } from "./chi2.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, standardNormal, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

/** Python's `math.lgamma(0.5)` (log √π). */
const LGAMMA_HALF = 0.5723649429247004;

export interface StudentTOptions extends ValidateArgsOption {
  df?: TensorLike;
  loc?: TensorLike;
  scale?: TensorLike;
}

/**
 * A Student's t-distribution with `df` degrees of freedom, location `loc` and scale `scale`.
 *
 * Example:
 * ```ts
 * new StudentT(torch.tensor([2.0])).sample();
 * ```
 */
export class StudentT extends Distribution {
  df!: Tensor;
  loc!: Tensor;
  scale!: Tensor;
  /** @internal */ _chi2!: Chi2;

  constructor(...args: CtorArgs<[df: TensorLike, loc: TensorLike, scale: TensorLike, validateArgs: boolean | null], StudentTOptions>) {
    super();
    const a = bindArgs("torch.distributions.StudentT", args);
    const df = tensorLikeArg("StudentT", "df", a.df)!;
    const loc = tensorLikeArg("StudentT", "loc", a.loc)!;
    const scale = tensorLikeArg("StudentT", "scale", a.scale)!;
    [this.df, this.loc, this.scale] = broadcastAll(df, loc, scale) as [Tensor, Tensor, Tensor];
    this._chi2 = new Chi2(this.df);
    this._init(this.df.shape, [], boolArg("StudentT", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { df: constraints.positive, loc: constraints.real, scale: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.real;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get mean(): Tensor {
    const m = this.loc.clone();
    m.idxPut_(this.df.le(1), NaN);
    return m;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    const df = this.df;
    let m = df.clone();
    m = ops.where(df.gt(2), this.scale.pow(2).mul(df).div(df.sub(2)), m);
    m.idxPut_(df.le(2).bitwiseAnd(df.gt(1)), Infinity);
    m.idxPut_(df.le(1), NaN);
    return m;
  }
  override _expand(batchShape: number[]): StudentT {
    const n = this._newInstance();
    n.df = this.df.expand(batchShape);
    n.loc = this.loc.expand(batchShape);
    n.scale = this.scale.expand(batchShape);
    n._chi2 = this._chi2._expand(batchShape) as Chi2;
    return this._finishExpand(n, batchShape);
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const x = standardNormal(shape, this.df);
    const z = this._chi2.rsample(sampleShape);
    const y = x.mul(ops.rsqrt(z.div(this.df)));
    return this.loc.add(this.scale.mul(y));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const y = value.sub(this.loc).div(this.scale);
    const z = this.scale
      .log()
      .add(this.df.log().mul(0.5))
      .add(0.5 * Math.log(Math.PI))
      .add(ops.lgamma(this.df.mul(0.5)))
      .sub(ops.lgamma(this.df.add(1.0).mul(0.5)));
    return this.df.add(1.0).mul(-0.5).mul(ops.log1p(y.pow(2.0).div(this.df))).sub(z);
  }
  override _entropy(): Tensor {
    const lbeta = ops.lgamma(this.df.mul(0.5)).add(LGAMMA_HALF).sub(ops.lgamma(this.df.add(1).mul(0.5)));
    return this.scale
      .log()
      .add(this.df.add(1).mul(0.5).mul(ops.digamma(this.df.add(1).mul(0.5)).sub(ops.digamma(this.df.mul(0.5)))))
      .add(this.df.log().mul(0.5))
      .add(lbeta);
  }
}
