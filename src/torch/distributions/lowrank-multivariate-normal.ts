// The multivariate normal with low-rank-plus-diagonal covariance
// (torch/distributions/lowrank_multivariate_normal.py).
import { Tensor } from "../tensor/tensor.js";
import { eye } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { broadcastTensors } from "../functional/broadcast.js";
import * as linalg from "../generated/linalg.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { batchMahalanobis, batchMv } from "./multivariate-normal.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, formatSize, lazy, sameShape, standardNormal, tensorArg, type CtorArgs, type ValidateArgsOption } from "./utils.js";

export interface LowRankMultivariateNormalOptions extends ValidateArgsOption {
  loc?: Tensor;
  covFactor?: Tensor;
  covDiag?: Tensor;
}

/** Cholesky of the capacitance `I + W^T D^-1 W`. */
function batchCapacitanceTril(W: Tensor, D: Tensor): Tensor {
  const m = W.size(-1);
  const WtDinv = W.mT.div(D.unsqueeze(-2));
  const K = ops.matmul(WtDinv, W).add(eye(m, undefined, { dtype: W.dtype, device: W.device }));
  return linalg.cholesky(K);
}

/** log det of `W W^T + D` from the capacitance's Cholesky (matrix determinant lemma). */
export function batchLowrankLogdet(D: Tensor, capacitanceTril: Tensor): Tensor {
  return capacitanceTril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1).mul(2).add(D.log().sum(-1));
}

/** The squared Mahalanobis distance under `W W^T + D` (Woodbury identity). */
export function batchLowrankMahalanobis(W: Tensor, D: Tensor, x: Tensor, capacitanceTril: Tensor): Tensor {
  const WtDinv = W.mT.div(D.unsqueeze(-2));
  const WtDinvX = batchMv(WtDinv, x);
  const term1 = x.pow(2).div(D).sum(-1);
  const term2 = batchMahalanobis(capacitanceTril, WtDinvX);
  return term1.sub(term2);
}

const VARIANCE = Symbol("variance");
const SCALE_TRIL = Symbol("scaleTril");
const COVARIANCE = Symbol("covarianceMatrix");
const PRECISION = Symbol("precisionMatrix");

/**
 * A multivariate normal with covariance `covFactor @ covFactor.T + diag(covDiag)`: determinant
 * and inverse by the matrix determinant lemma and Woodbury identity, cheap when the rank
 * (`covFactor.size(-1)`) is small.
 *
 * Example:
 * ```ts
 * const m = new LowRankMultivariateNormal(torch.zeros([2]), torch.tensor([[1.0], [0.0]]), torch.ones([2]));
 * m.sample(); // mean [0, 0], covariance [[2, 0], [0, 1]]
 * ```
 */
export class LowRankMultivariateNormal extends Distribution {
  loc!: Tensor;
  covFactor!: Tensor;
  covDiag!: Tensor;
  /** @internal */ _unbroadcastedCovFactor!: Tensor;
  /** @internal */ _unbroadcastedCovDiag!: Tensor;
  /** @internal */ _capacitanceTril!: Tensor;
  /** @internal */ [VARIANCE]?: Tensor;
  /** @internal */ [SCALE_TRIL]?: Tensor;
  /** @internal */ [COVARIANCE]?: Tensor;
  /** @internal */ [PRECISION]?: Tensor;

  constructor(...args: CtorArgs<[loc: Tensor, covFactor: Tensor, covDiag: Tensor, validateArgs: boolean | null], LowRankMultivariateNormalOptions>) {
    super();
    const name = "LowRankMultivariateNormal";
    const a = bindArgs("torch.distributions.LowRankMultivariateNormal", args);
    const loc = tensorArg(name, "loc", a.loc)!;
    const covFactor = tensorArg(name, "covFactor", a.covFactor)!;
    const covDiag = tensorArg(name, "covDiag", a.covDiag)!;
    if (loc.dim() < 1) throw new Error("loc must be at least one-dimensional.");
    const eventShape = loc.shape.slice(-1);
    if (covFactor.dim() < 2) throw new Error("cov_factor must be at least two-dimensional, with optional leading batch dimensions");
    if (!sameShape(covFactor.shape.slice(-2, -1), eventShape)) throw new Error(`cov_factor must be a batch of matrices with shape ${eventShape[0]} x m`);
    if (!sameShape(covDiag.shape.slice(-1), eventShape)) throw new Error(`cov_diag must be a batch of vectors with shape ${formatSize(eventShape)}`);
    let parts: Tensor[];
    try {
      parts = broadcastTensors([loc.unsqueeze(-1), covFactor, covDiag.unsqueeze(-1)]);
    } catch {
      throw new Error(`Incompatible batch shapes: loc ${formatSize(loc.shape)}, cov_factor ${formatSize(covFactor.shape)}, cov_diag ${formatSize(covDiag.shape)}`);
    }
    this.covFactor = parts[1]!;
    this.loc = parts[0]!.select(-1, 0);
    this.covDiag = parts[2]!.select(-1, 0);
    this._unbroadcastedCovFactor = covFactor;
    this._unbroadcastedCovDiag = covDiag;
    this._capacitanceTril = batchCapacitanceTril(covFactor, covDiag);
    this._init(this.loc.shape.slice(0, -1), eventShape, boolArg(name, "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return {
      loc: constraints.realVector,
      covFactor: constraints.independent(constraints.real, 2),
      covDiag: constraints.independent(constraints.positive, 1),
    };
  }
  override get support(): constraints.Constraint {
    return constraints.realVector;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): LowRankMultivariateNormal {
    const n = this._newInstance();
    const locShape = [...batchShape, ...this._eventShape];
    n.loc = this.loc.expand(locShape);
    n.covDiag = this.covDiag.expand(locShape);
    n.covFactor = this.covFactor.expand([...locShape, this.covFactor.size(-1)]);
    n._unbroadcastedCovFactor = this._unbroadcastedCovFactor;
    n._unbroadcastedCovDiag = this._unbroadcastedCovDiag;
    n._capacitanceTril = this._capacitanceTril;
    return this._finishExpand(n, batchShape);
  }
  /** @internal */
  get _matrixShape(): number[] {
    return [...this._batchShape, ...this._eventShape, ...this._eventShape];
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return lazy(this, VARIANCE, () =>
      this._unbroadcastedCovFactor.pow(2).sum(-1).add(this._unbroadcastedCovDiag).expand([...this._batchShape, ...this._eventShape]),
    );
  }
  get scaleTril(): Tensor {
    return lazy(this, SCALE_TRIL, () => {
      const n = this._eventShape[0]!;
      const covDiagSqrtUnsqueeze = this._unbroadcastedCovDiag.sqrt().unsqueeze(-1);
      const DinvsqrtW = this._unbroadcastedCovFactor.div(covDiagSqrtUnsqueeze);
      const K = ops.matmul(DinvsqrtW, DinvsqrtW.mT).add(eye(n, undefined, { dtype: DinvsqrtW.dtype, device: DinvsqrtW.device }));
      return covDiagSqrtUnsqueeze.mul(linalg.cholesky(K)).expand(this._matrixShape);
    });
  }
  get covarianceMatrix(): Tensor {
    return lazy(this, COVARIANCE, () =>
      ops
        .matmul(this._unbroadcastedCovFactor, this._unbroadcastedCovFactor.mT)
        .add(ops.diagEmbed(this._unbroadcastedCovDiag))
        .expand(this._matrixShape),
    );
  }
  get precisionMatrix(): Tensor {
    return lazy(this, PRECISION, () => {
      const WtDinv = this._unbroadcastedCovFactor.mT.div(this._unbroadcastedCovDiag.unsqueeze(-2));
      const A = linalg.solveTriangular(this._capacitanceTril, WtDinv, { upper: false });
      return ops.diagEmbed(this._unbroadcastedCovDiag.reciprocal()).sub(ops.matmul(A.mT, A)).expand(this._matrixShape);
    });
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const wShape = [...shape.slice(0, -1), this.covFactor.size(-1)];
    const epsW = standardNormal(wShape, this.loc);
    const epsD = standardNormal(shape, this.loc);
    return this.loc.add(batchMv(this._unbroadcastedCovFactor, epsW)).add(this._unbroadcastedCovDiag.sqrt().mul(epsD));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const diff = value.sub(this.loc);
    const M = batchLowrankMahalanobis(this._unbroadcastedCovFactor, this._unbroadcastedCovDiag, diff, this._capacitanceTril);
    const logDet = batchLowrankLogdet(this._unbroadcastedCovDiag, this._capacitanceTril);
    return logDet.add(this._eventShape[0]! * Math.log(2 * Math.PI)).add(M).mul(-0.5);
  }
  override _entropy(): Tensor {
    const logDet = batchLowrankLogdet(this._unbroadcastedCovDiag, this._capacitanceTril);
    const H = logDet.add(this._eventShape[0]! * (1.0 + Math.log(2 * Math.PI))).mul(0.5);
    return this._batchShape.length === 0 ? H : H.expand(this._batchShape);
  }
}
