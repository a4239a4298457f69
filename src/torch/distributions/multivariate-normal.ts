// The multivariate normal distribution (torch/distributions/multivariate_normal.py).
import { Tensor } from "../tensor/tensor.js";
import { eye } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as linalg from "../generated/linalg.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastShapes, lazy, standardNormal, tensorArg, type CtorArgs, type ValidateArgsOption } from "./utils.js";

export interface MultivariateNormalOptions extends ValidateArgsOption {
  loc?: Tensor;
  covarianceMatrix?: Tensor | null;
  precisionMatrix?: Tensor | null;
  scaleTril?: Tensor | null;
}

/** Matrix-vector products over batches: `bmat @ bvec[..., None]` squeezed. */
export function batchMv(bmat: Tensor, bvec: Tensor): Tensor {
  return ops.matmul(bmat, bvec.unsqueeze(-1)).squeeze(-1);
}

/**
 * The squared Mahalanobis distance `x^T (L L^T)^-1 x` for a batch of lower-triangular `bL`
 * and vectors `bx` whose batch shape broadcasts with `bL`'s (Python's `_batch_mahalanobis`).
 */
export function batchMahalanobis(bL: Tensor, bx: Tensor): Tensor {
  const n = bx.size(-1);
  const bxBatchShape = bx.shape.slice(0, -1);
  const bxBatchDims = bxBatchShape.length;
  const bLBatchDims = bL.dim() - 2;
  const outerBatchDims = bxBatchDims - bLBatchDims;
  const oldBatchDims = outerBatchDims + bLBatchDims;
  const newBatchDims = outerBatchDims + 2 * bLBatchDims;
  const bxNewShape = bx.shape.slice(0, outerBatchDims);
  const bLBatch = bL.shape.slice(0, -2);
  const bxInner = bx.shape.slice(outerBatchDims, -1);
  bLBatch.forEach((sL, i) => bxNewShape.push(Math.floor(bxInner[i]! / sL), sL));
  bxNewShape.push(n);
  let x = bx.reshape(bxNewShape);
  const permuteDims: number[] = [];
  for (let i = 0; i < outerBatchDims; i++) permuteDims.push(i);
  for (let i = outerBatchDims; i < newBatchDims; i += 2) permuteDims.push(i);
  for (let i = outerBatchDims + 1; i < newBatchDims; i += 2) permuteDims.push(i);
  permuteDims.push(newBatchDims);
  x = x.permute(permuteDims);
  const flatL = bL.reshape(-1, n, n);
  const flatX = x.reshape(-1, flatL.size(0), n);
  const flatXSwap = flatX.permute(1, 2, 0);
  const mSwap = linalg.solveTriangular(flatL, flatXSwap, { upper: false }).pow(2).sum(-2);
  const m = mSwap.t();
  const permutedM = m.reshape(x.shape.slice(0, -1));
  const permuteInvDims: number[] = [];
  for (let i = 0; i < outerBatchDims; i++) permuteInvDims.push(i);
  for (let i = 0; i < bLBatchDims; i++) permuteInvDims.push(outerBatchDims + i, oldBatchDims + i);
  return permutedM.permute(permuteInvDims).reshape(bxBatchShape);
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
 * A multivariate normal distribution of mean `loc`, parameterized by exactly one of a positive
 * definite `covarianceMatrix`, a positive definite `precisionMatrix`, or a lower-triangular
 * `scaleTril` with positive diagonal (the cheapest: the others are factorized to it).
 *
 * Example:
 * ```ts
 * const m = new MultivariateNormal(torch.zeros([2]), { covarianceMatrix: torch.eye(2) });
 * m.sample(); // normally distributed with mean [0, 0] and covariance I
 * ```
 */
export class MultivariateNormal extends Distribution {
  loc!: Tensor;
  /** @internal */ _unbroadcastedScaleTril!: Tensor;
  /** @internal */ [SCALE_TRIL]?: Tensor;
  /** @internal */ [COVARIANCE]?: Tensor;
  /** @internal */ [PRECISION]?: Tensor;

  constructor(
    ...args: CtorArgs<
      [loc: Tensor, covarianceMatrix: Tensor | null, precisionMatrix: Tensor | null, scaleTril: Tensor | null, validateArgs: boolean | null],
      MultivariateNormalOptions
    >
  ) {
    super();
    const name = "MultivariateNormal";
    const a = bindArgs(`torch.distributions.${name}`, args);
    const loc = tensorArg(name, "loc", a.loc)!;
    const cov = tensorArg(name, "covarianceMatrix", a.covarianceMatrix, false);
    const prec = tensorArg(name, "precisionMatrix", a.precisionMatrix, false);
    const tril = tensorArg(name, "scaleTril", a.scaleTril, false);
    if (loc.dim() < 1) throw new Error("loc must be at least one-dimensional.");
    if (Number(cov !== undefined) + Number(tril !== undefined) + Number(prec !== undefined) !== 1) {
      throw new Error("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.");
    }
    let batchShape: number[];
    const locBatch = loc.shape.slice(0, -1);
    if (tril) {
      if (tril.dim() < 2) throw new Error("scale_tril matrix must be at least two-dimensional, with optional leading batch dimensions");
      batchShape = broadcastShapes(tril.shape.slice(0, -2), locBatch);
      this[SCALE_TRIL] = tril.expand([...batchShape, -1, -1]);
    } else if (cov) {
      if (cov.dim() < 2) throw new Error("covariance_matrix must be at least two-dimensional, with optional leading batch dimensions");
      batchShape = broadcastShapes(cov.shape.slice(0, -2), locBatch);
      this[COVARIANCE] = cov.expand([...batchShape, -1, -1]);
    } else {
      if (prec!.dim() < 2) throw new Error("precision_matrix must be at least two-dimensional, with optional leading batch dimensions");
      batchShape = broadcastShapes(prec!.shape.slice(0, -2), locBatch);
      this[PRECISION] = prec!.expand([...batchShape, -1, -1]);
    }
    this.loc = loc.expand([...batchShape, -1]);
    this._init(batchShape, this.loc.shape.slice(-1), boolArg(name, "validateArgs", a.validateArgs));
    if (tril) this._unbroadcastedScaleTril = tril;
    else if (cov) this._unbroadcastedScaleTril = linalg.cholesky(cov);
    else this._unbroadcastedScaleTril = precisionToScaleTril(prec!);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return {
      loc: constraints.realVector,
      covarianceMatrix: constraints.positiveDefinite,
      precisionMatrix: constraints.positiveDefinite,
      scaleTril: constraints.lowerCholesky,
    };
  }
  override _paramForValidation(name: string): Tensor | undefined {
    if (name === "scaleTril") return this[SCALE_TRIL];
    if (name === "covarianceMatrix") return this[COVARIANCE];
    if (name === "precisionMatrix") return this[PRECISION];
    return super._paramForValidation(name);
  }
  override get support(): constraints.Constraint {
    return constraints.realVector;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): MultivariateNormal {
    const n = this._newInstance();
    const covShape = [...batchShape, ...this._eventShape, ...this._eventShape];
    n.loc = this.loc.expand([...batchShape, ...this._eventShape]);
    n._unbroadcastedScaleTril = this._unbroadcastedScaleTril;
    if (this[COVARIANCE]) n[COVARIANCE] = this[COVARIANCE].expand(covShape);
    if (this[SCALE_TRIL]) n[SCALE_TRIL] = this[SCALE_TRIL].expand(covShape);
    if (this[PRECISION]) n[PRECISION] = this[PRECISION].expand(covShape);
    return this._finishExpand(n, batchShape);
  }
  /** @internal */
  get _matrixShape(): number[] {
    return [...this._batchShape, ...this._eventShape, ...this._eventShape];
  }
  /** The lower-triangular Cholesky factor of the covariance. */
  get scaleTril(): Tensor {
    return lazy(this, SCALE_TRIL, () => this._unbroadcastedScaleTril.expand(this._matrixShape));
  }
  get covarianceMatrix(): Tensor {
    return lazy(this, COVARIANCE, () =>
      ops.matmul(this._unbroadcastedScaleTril, this._unbroadcastedScaleTril.mT).expand(this._matrixShape),
    );
  }
  get precisionMatrix(): Tensor {
    return lazy(this, PRECISION, () => ops.choleskyInverse(this._unbroadcastedScaleTril).expand(this._matrixShape));
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return this._unbroadcastedScaleTril.pow(2).sum(-1).expand([...this._batchShape, ...this._eventShape]);
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const eps = standardNormal(shape, this.loc);
    return this.loc.add(batchMv(this._unbroadcastedScaleTril, eps));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const diff = value.sub(this.loc);
    const M = batchMahalanobis(this._unbroadcastedScaleTril, diff);
    const halfLogDet = this._unbroadcastedScaleTril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
    return M.add(this._eventShape[0]! * Math.log(2 * Math.PI)).mul(-0.5).sub(halfLogDet);
  }
  override _entropy(): Tensor {
    const halfLogDet = this._unbroadcastedScaleTril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
    const H = halfLogDet.add(0.5 * this._eventShape[0]! * (1.0 + Math.log(2 * Math.PI)));
    return this._batchShape.length === 0 ? H : H.expand(this._batchShape);
  }
}
