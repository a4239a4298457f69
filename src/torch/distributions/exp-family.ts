// Exponential-family distributions (torch/distributions/exp_family.py): entropy through the
// Bregman divergence of the log normalizer.
import { Tensor } from "../tensor/tensor.js";
import { grad } from "../autograd/grad.js";
import { Distribution } from "./distribution.js";

/**
 * ExponentialFamily is the abstract base class for distributions of the form
 * `p_F(x; θ) = exp(<t(x), θ> - F(θ) + k(x))`, where θ are the natural parameters, t(x) the
 * sufficient statistic, F(θ) the log normalizer and k(x) the carrier measure.
 *
 * Subclasses give `_naturalParams`, `_logNormalizer` and `_meanCarrierMeasure`; entropy and the KL
 * divergence between members of the same family follow from them.
 */
export class ExponentialFamily extends Distribution {
  /** @internal */
  static override readonly _bindsAs: string = "torch.distributions.ExponentialFamily";
  /** @internal The natural parameters θ. */
  get _naturalParams(): Tensor[] {
    throw new Error(`${this.constructor.name} does not implement _naturalParams`);
  }
  /** @internal The log normalizer F(θ). */
  _logNormalizer(..._naturalParams: Tensor[]): Tensor {
    throw new Error(`${this.constructor.name} does not implement _logNormalizer`);
  }
  /** @internal E[k(x)]. */
  get _meanCarrierMeasure(): number {
    throw new Error(`${this.constructor.name} does not implement _meanCarrierMeasure`);
  }

  /** The entropy from the Bregman divergence of the log normalizer. */
  override _entropy(): Tensor {
    const nparams = this._naturalParams.map((p) => p.detach().requiresGrad_());
    const lgNormal = this._logNormalizer(...nparams);
    const gradients = grad(lgNormal.sum(), nparams, { createGraph: true });
    let result = lgNormal.add(-this._meanCarrierMeasure);
    nparams.forEach((np, i) => {
      result = result.sub(np.mul(gradients[i]!).reshape([...this._batchShape, -1]).sum(-1));
    });
    return result;
  }
}
