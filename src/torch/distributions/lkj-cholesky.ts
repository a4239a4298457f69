// The LKJ distribution over Cholesky factors of correlation matrices (torch/distributions/lkj_cholesky.py).
import { Tensor } from "../tensor/tensor.js";
import { arange, randn } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as linalg from "../generated/linalg.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { Beta } from "./beta.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, finfo, intArg, rsub, tensorLikeArg, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface LKJCholeskyOptions extends ValidateArgsOption {
  dim?: number;
  concentration?: TensorLike;
}

/**
 * The LKJ distribution over lower Cholesky factors of `dim x dim` correlation matrices, with
 * density proportional to `det(L L^T)^(concentration - 1)`; sampled by the onion method.
 *
 * Example:
 * ```ts
 * new LKJCholesky(3, 0.5).sample(); // the Cholesky factor of a 3x3 correlation matrix
 * ```
 */
export class LKJCholesky extends Distribution {
  dim!: number;
  concentration!: Tensor;
  /** @internal */ _beta!: Beta;

  constructor(...args: CtorArgs<[dim: number, concentration: TensorLike, validateArgs: boolean | null], LKJCholeskyOptions>) {
    super();
    const a = bindArgs("torch.distributions.LKJCholesky", args);
    const dim = intArg("LKJCholesky", "dim", a.dim);
    if (dim < 2) throw new Error(`Expected dim to be an integer greater than or equal to 2. Found dim=${dim}.`);
    this.dim = dim;
    [this.concentration] = broadcastAll(tensorLikeArg("LKJCholesky", "concentration", a.concentration)!) as [Tensor];
    const c = this.concentration;
    const marginalConc = c.add(0.5 * (dim - 2));
    let offset = arange(dim - 1, { dtype: c.dtype, device: c.device });
    offset = ops.cat([offset.newZeros([1]), offset]);
    const betaConc1 = offset.add(0.5);
    const betaConc0 = marginalConc.unsqueeze(-1).sub(offset.mul(0.5));
    this._beta = new Beta(betaConc1, betaConc0);
    this._init(c.shape, [dim, dim], boolArg("LKJCholesky", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { concentration: constraints.positive };
  }
  override get support(): constraints.Constraint {
    return constraints.corrCholesky;
  }
  override _expand(batchShape: number[]): LKJCholesky {
    const n = this._newInstance();
    n.dim = this.dim;
    n.concentration = this.concentration.expand(batchShape);
    n._beta = this._beta._expand([...batchShape, this.dim]);
    return this._finishExpand(n, batchShape);
  }
  override _sample(sampleShape: number[]): Tensor {
    return noGrad(() => {
      const y = this._beta.sample(sampleShape).unsqueeze(-1);
      const uNormal = randn(this._extendedShape(sampleShape), { dtype: y.dtype, device: y.device }).tril(-1);
      const uHypersphere = uNormal.div(linalg.vectorNorm(uNormal, { ord: 2, dim: -1, keepdim: true }));
      uHypersphere.idx(["...", 0, ":"]).fill_(0.0);
      const w = ops.sqrt(y).mul(uHypersphere);
      const eps = finfo(w.dtype).tiny;
      const diagElems = rsub(w.pow(2).sum(-1), 1).clamp({ min: eps }).sqrt();
      return w.add_(ops.diagEmbed(diagElems));
    });
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const diagElems = value.diagonal({ dim1: -1, dim2: -2 }).idx(["...", "1:"]);
    let order = arange(2, this.dim + 1, 1, { device: this.concentration.device });
    order = this.concentration.sub(1).unsqueeze(-1).mul(2).add(this.dim).sub(order);
    const unnormalizedLogPdf = order.mul(diagElems.log()).sum(-1);
    const dm1 = this.dim - 1;
    const alpha = this.concentration.add(0.5 * dm1);
    const denominator = ops.lgamma(alpha).mul(dm1);
    const numerator = ops.mvlgamma(alpha.sub(0.5), dm1);
    const piConstant = 0.5 * dm1 * Math.log(Math.PI);
    const normalizeTerm = numerator.add(piConstant).sub(denominator);
    return unnormalizedLogPdf.sub(normalizeTerm);
  }
}
