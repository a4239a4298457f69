// The Wishart distribution over positive definite matrices (torch/distributions/wishart.py).
import { Tensor } from "../tensor/tensor.js";
import { arange, eye, randn, tensor } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as linalg from "../generated/linalg.js";
import * as constraints from "./constraints.js";
import { Chi2 } from "./chi2.js";
import { ExponentialFamily } from "./exp-family.js";
import { bindArgs, type ArgsOf, type BoundArgs } from "../binding/index.js";
import { warnOnce } from "./warn-once.js";
import { boolArg, intArg, shapeArg, broadcastShapes, finfo, lazy, tensorArg, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface WishartOptions extends ValidateArgsOption {
  df?: TensorLike;
  covarianceMatrix?: Tensor | null;
  precisionMatrix?: Tensor | null;
  scaleTril?: Tensor | null;
}

const LOG_2 = Math.log(2);

/** The multivariate digamma function of dimension `p`. */
function mvdigamma(x: Tensor, p: number): Tensor {
  if (!x.gt((p - 1) / 2).all().item<boolean>()) throw new Error("Wrong domain for multivariate digamma function.");
  const steps = arange(p, { dtype: x.dtype, device: x.device }).div(2).expand([...x.shape, -1]);
  return ops.digamma(x.unsqueeze(-1).sub(steps)).sum(-1);
}

function precisionToScaleTril(P: Tensor): Tensor {
  const Lf = linalg.cholesky(ops.flip(P, [-2, -1]));
  const LInv = ops.transpose(ops.flip(Lf, [-2, -1]), -2, -1);
  const Id = eye(P.shape[P.dim() - 1]!, undefined, { dtype: P.dtype, device: P.device });
  return linalg.solveTriangular(LInv, Id, { upper: false });
}

const SCALE_TRIL = Symbol("scaleTril");
const COVARIANCE = Symbol("covarianceMatrix");
const PRECISION = Symbol("precisionMatrix");

/**
 * A Wishart distribution of `df` degrees of freedom over positive definite matrices, with scale
 * given by exactly one of `covarianceMatrix`, `precisionMatrix` or `scaleTril`. Samples by the
 * Bartlett decomposition.
 *
 * Example:
 * ```ts
 * const m = new Wishart(torch.tensor([2.0]), { covarianceMatrix: torch.eye(2) });
 * m.sample(); // positive definite 2x2
 * ```
 */
export class Wishart extends ExponentialFamily {
  df!: Tensor;
  /** @internal */ _unbroadcastedScaleTril!: Tensor;
  /** @internal */ _batchDims!: number[];
  /** @internal */ _distChi2!: Chi2;
  /** @internal */ [SCALE_TRIL]?: Tensor;
  /** @internal */ [COVARIANCE]?: Tensor;
  /** @internal */ [PRECISION]?: Tensor;

  constructor(
    ...args: CtorArgs<
      [df: TensorLike, covarianceMatrix: Tensor | null, precisionMatrix: Tensor | null, scaleTril: Tensor | null, validateArgs: boolean | null],
      WishartOptions
    >
  ) {
    super();
    const name = "Wishart";
    const a = bindArgs(`torch.distributions.${name}`, args);
    const df = tensorLikeArg(name, "df", a.df)!;
    const cov = tensorArg(name, "covarianceMatrix", a.covarianceMatrix, false);
    const prec = tensorArg(name, "precisionMatrix", a.precisionMatrix, false);
    const tril = tensorArg(name, "scaleTril", a.scaleTril, false);
    if (Number(cov !== undefined) + Number(tril !== undefined) + Number(prec !== undefined) !== 1) {
      throw new Error("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.");
    }
    const param = (cov ?? prec ?? tril)!;
    if (param.dim() < 2) throw new Error("scale_tril must be at least two-dimensional, with optional leading batch dimensions");
    let batchShape: number[];
    if (typeof df === "number") {
      batchShape = param.shape.slice(0, -2);
      this.df = tensor(df, { dtype: param.dtype, device: param.device });
    } else {
      batchShape = broadcastShapes(param.shape.slice(0, -2), df.shape);
      this.df = df.expand(batchShape);
    }
    const eventShape = param.shape.slice(-2);
    const p = eventShape[1]!;
    if (this.df.le(p - 1).any().item<boolean>()) {
      throw new Error(`Value of df=${typeof df === "number" ? df : df.toString()} expected to be greater than ndim - 1 = ${p - 1}.`);
    }
    if (tril) this[SCALE_TRIL] = param.expand([...batchShape, -1, -1]);
    else if (cov) this[COVARIANCE] = param.expand([...batchShape, -1, -1]);
    else this[PRECISION] = param.expand([...batchShape, -1, -1]);
    if (this.df.lt(p).any().item<boolean>()) {
      warnOnce("Low df values detected. Singular samples are highly likely to occur for ndim - 1 < df < ndim.");
    }
    this._init(batchShape, eventShape, boolArg(name, "validateArgs", a.validateArgs));
    this._batchDims = this._batchShape.map((_, x) => -(x + 1));
    if (tril) this._unbroadcastedScaleTril = tril;
    else if (cov) this._unbroadcastedScaleTril = linalg.cholesky(cov);
    else this._unbroadcastedScaleTril = precisionToScaleTril(prec!);
    this._distChi2 = this._chi2For(this.df, batchShape);
  }
  /** @internal The chi-squared variables of the Bartlett decomposition's diagonal. */
  _chi2For(df: Tensor, batchShape: number[]): Chi2 {
    const p = this._eventShape[1]!;
    const steps = arange(p, { dtype: this._unbroadcastedScaleTril.dtype, device: this._unbroadcastedScaleTril.device }).expand([...batchShape, -1]);
    return new Chi2({ df: df.unsqueeze(-1).sub(steps) });
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    const p = this._eventShape.length ? this._eventShape[1]! : 1;
    return {
      covarianceMatrix: constraints.positiveDefinite,
      precisionMatrix: constraints.positiveDefinite,
      scaleTril: constraints.lowerCholesky,
      df: constraints.greaterThan(p - 1),
    };
  }
  override _paramForValidation(name: string): Tensor | undefined {
    if (name === "scaleTril") return this[SCALE_TRIL];
    if (name === "covarianceMatrix") return this[COVARIANCE];
    if (name === "precisionMatrix") return this[PRECISION];
    return super._paramForValidation(name);
  }
  override get support(): constraints.Constraint {
    return constraints.positiveDefinite;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get _meanCarrierMeasure(): number {
    return 0;
  }
  override _expand(batchShape: number[]): Wishart {
    const n = this._newInstance();
    const covShape = [...batchShape, ...this._eventShape];
    n._unbroadcastedScaleTril = this._unbroadcastedScaleTril.expand(covShape);
    n.df = this.df.expand(batchShape);
    n._batchDims = batchShape.map((_, x) => -(x + 1));
    if (this[COVARIANCE]) n[COVARIANCE] = this[COVARIANCE].expand(covShape);
    if (this[SCALE_TRIL]) n[SCALE_TRIL] = this[SCALE_TRIL].expand(covShape);
    if (this[PRECISION]) n[PRECISION] = this[PRECISION].expand(covShape);
    n._eventShape = this._eventShape;
    n._distChi2 = n._chi2For(n.df, batchShape);
    return this._finishExpand(n, batchShape);
  }
  get scaleTril(): Tensor {
    return lazy(this, SCALE_TRIL, () => this._unbroadcastedScaleTril.expand([...this._batchShape, ...this._eventShape]));
  }
  get covarianceMatrix(): Tensor {
    return lazy(this, COVARIANCE, () =>
      ops.matmul(this._unbroadcastedScaleTril, this._unbroadcastedScaleTril.transpose(-2, -1)).expand([...this._batchShape, ...this._eventShape]),
    );
  }
  get precisionMatrix(): Tensor {
    return lazy(this, PRECISION, () => {
      const L = this._unbroadcastedScaleTril;
      const identity = eye(this._eventShape[1]!, undefined, { dtype: L.dtype, device: L.device });
      return ops.choleskySolve(identity, L).expand([...this._batchShape, ...this._eventShape]);
    });
  }
  /** @internal `df` shaped to multiply the matrices. */
  get _dfMatrix(): Tensor {
    return this.df.view([...this._batchShape, 1, 1]);
  }
  override get mean(): Tensor {
    return this._dfMatrix.mul(this.covarianceMatrix);
  }
  override get mode(): Tensor {
    const factor = this.df.sub(this.covarianceMatrix.size(-1)).sub(1);
    factor.idxPut_(factor.le(0), NaN);
    return factor.view([...this._batchShape, 1, 1]).mul(this.covarianceMatrix);
  }
  override get variance(): Tensor {
    const V = this.covarianceMatrix;
    const d = V.diagonal({ dim1: -2, dim2: -1 });
    return this._dfMatrix.mul(V.pow(2).add(d.unsqueeze(-1).mul(d.unsqueeze(-2))));
  }
  /** @internal One draw by the Bartlett decomposition. */
  _bartlettSampling(sampleShape: number[]): Tensor {
    const p = this._eventShape[1]!;
    const noise = this._distChi2.rsample(sampleShape).sqrt().clamp({ min: finfo(this.df.dtype).eps }).diagEmbed({ dim1: -2, dim2: -1 });
    const ij = ops.trilIndices(p, p, { offset: -1 });
    noise.idxPut_(["...", ij.select(0, 0), ij.select(0, 1)], randn([...sampleShape, ...this._batchShape, (p * (p - 1)) / 2], { dtype: noise.dtype, device: noise.device }));
    const chol = ops.matmul(this._unbroadcastedScaleTril, noise);
    return ops.matmul(chol, chol.transpose(-2, -1));
  }
  /** A reparameterized sample; `maxTryCorrection` (default 10) bounds the redraws of singular samples. */
  override rsample(...args: ArgsOf<"torch.distributions.Wishart.rsample">): Tensor {
    const a = this._bind("rsample", args);
    return this._rsample(shapeArg(this._callable("rsample"), "sampleShape", a.sampleShape), a);
  }
  override _rsample(sampleShape: number[], bound?: BoundArgs): Tensor {
    const given = bound?.maxTryCorrection;
    return this._rsampleWith(sampleShape, given === undefined || given === null ? 10 : intArg("Wishart.rsample", "maxTryCorrection", given));
  }
  /** @internal Python's rsample with `max_try_correction`: redraws samples its check flags. */
  _rsampleWith(sampleShape: number[], maxTryCorrection: number): Tensor {
    const sample = this._bartlettSampling(sampleShape);
    // Python 1.13 flags the samples that pass the positive-definite check and redraws them; kept
    // as is so that seeded draws equal Python's.
    let isSingular = this.support.check(sample);
    if (this._batchShape.length) isSingular = isSingular.amax(this._batchDims);
    if (isSingular.any().item<boolean>()) {
      warnOnce("Singular sample detected.");
      for (let k = 0; k < maxTryCorrection; k++) {
        const count = isSingular.sum().item();
        const sampleNew = this._bartlettSampling([count]);
        sample.idxPut_(isSingular, isSingular.dim() === 0 ? sampleNew.squeeze(0) : sampleNew);
        let isSingularNew = this.support.check(sampleNew).logicalNot();
        if (this._batchShape.length) isSingularNew = isSingularNew.amax(this._batchDims);
        isSingular.idxPut_(isSingular.clone(), isSingular.dim() === 0 ? isSingularNew.squeeze(0) : isSingularNew);
        if (!isSingular.any().item<boolean>()) break;
      }
    }
    return sample;
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const nu = this.df;
    const p = this._eventShape[1]!;
    const L = this._unbroadcastedScaleTril;
    const logDiag = L.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
    return nu
      .neg()
      .mul(logDiag.add((p * LOG_2) / 2))
      .sub(ops.mvlgamma(nu.div(2), p))
      .add(nu.sub(p).sub(1).div(2).mul(linalg.slogdet(value).logabsdet))
      .sub(ops.choleskySolve(value, L).diagonal({ dim1: -2, dim2: -1 }).sum(-1).div(2));
  }
  override _entropy(): Tensor {
    const nu = this.df;
    const p = this._eventShape[1]!;
    const logDiag = this._unbroadcastedScaleTril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
    return logDiag
      .add((p * LOG_2) / 2)
      .mul(p + 1)
      .add(ops.mvlgamma(nu.div(2), p))
      .sub(nu.sub(p).sub(1).div(2).mul(mvdigamma(nu.div(2), p)))
      .add(nu.mul(p).div(2));
  }
  override get _naturalParams(): Tensor[] {
    const p = this._eventShape[1]!;
    return [this.precisionMatrix.neg().div(2), this.df.sub(p).sub(1).div(2)];
  }
  override _logNormalizer(...params: Tensor[]): Tensor {
    const [x, y] = params as [Tensor, Tensor];
    const p = this._eventShape[1]!;
    return y
      .add((p + 1) / 2)
      .mul(linalg.slogdet(x.mul(-2)).logabsdet.neg().add(LOG_2 * p))
      .add(ops.mvlgamma(y.add((p + 1) / 2), p));
  }
}
