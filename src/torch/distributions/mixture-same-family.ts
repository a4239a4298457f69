// Mixtures whose components are one batched distribution (torch/distributions/mixture_same_family.py).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { Categorical } from "./categorical.js";
import { Distribution } from "./distribution.js";
import { bindArgs, type ArgsOf } from "../binding/index.js";
import { boolArg, formatSize, type CtorArgs, type ValidateArgsOption } from "./utils.js";
import { followsTorch2 } from "./python-version.js";

export interface MixtureSameFamilyOptions extends ValidateArgsOption {
  mixtureDistribution?: Categorical;
  componentDistribution?: Distribution;
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * A mixture whose components are the rightmost batch dimension of `componentDistribution`,
 * weighted by the Categorical `mixtureDistribution`.
 *
 * Example:
 * ```ts
 * // a mixture of 5 equally weighted univariate normals
 * const mix = new Categorical(torch.ones([5]));
 * const comp = new Normal(torch.randn([5]), torch.rand([5]));
 * const gmm = new MixtureSameFamily(mix, comp);
 * ```
 */
export class MixtureSameFamily extends Distribution {
  /** @internal */ _mixtureDistribution!: Categorical;
  /** @internal */ _componentDistribution!: Distribution;
  /** @internal */ _numComponent!: number;
  /** @internal */ _eventNdims!: number;

  constructor(
    ...args: CtorArgs<[mixtureDistribution: Categorical, componentDistribution: Distribution, validateArgs: boolean | null], MixtureSameFamilyOptions>
  ) {
    super();
    const a = bindArgs("torch.distributions.MixtureSameFamily", args);
    const mixture = a.mixtureDistribution;
    const component = a.componentDistribution;
    if (!(mixture instanceof Categorical)) {
      throw new Error(" The Mixture distribution needs to be an  instance of torch.distribtutions.Categorical");
    }
    if (!(component instanceof Distribution)) {
      throw new Error("The Component distribution need to be an instance of torch.distributions.Distribution");
    }
    this._mixtureDistribution = mixture;
    this._componentDistribution = component;
    const mdbs = mixture.batchShape;
    const cdbs = component.batchShape.slice(0, -1);
    for (let k = 1; k <= Math.min(mdbs.length, cdbs.length); k++) {
      const s1 = mdbs[mdbs.length - k]!;
      const s2 = cdbs[cdbs.length - k]!;
      if (s1 !== 1 && s2 !== 1 && s1 !== s2) {
        throw new Error(
          `\`mixture_distribution.batch_shape\` (${formatSize(mdbs)}) is not compatible with \`component_distribution.batch_shape\`(${formatSize(cdbs)})`,
        );
      }
    }
    const km = mixture.logits.size(-1);
    const kc = component.batchShape[component.batchShape.length - 1];
    if (km !== kc) {
      throw new Error(`\`mixture_distribution component\` (${km}) does not equal \`component_distribution.batch_shape[-1]\` (${kc})`);
    }
    this._numComponent = km;
    const eventShape = component.eventShape;
    this._eventNdims = eventShape.length;
    this._init(cdbs, eventShape, boolArg("MixtureSameFamily", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return {};
  }
  override _expand(batchShape: number[]): MixtureSameFamily {
    const n = this._newInstance();
    n._componentDistribution = this._componentDistribution.expand([...batchShape, this._numComponent]);
    n._mixtureDistribution = this._mixtureDistribution._expand(batchShape);
    n._numComponent = this._numComponent;
    n._eventNdims = this._eventNdims;
    return this._finishExpand(n, batchShape, n._componentDistribution.eventShape);
  }
  override get support(): constraints.Constraint {
    return this._componentDistribution.support;
  }
  get mixtureDistribution(): Categorical {
    return this._mixtureDistribution;
  }
  get componentDistribution(): Distribution {
    return this._componentDistribution;
  }
  override get mean(): Tensor {
    const probs = this._padMixtureDimensions(this.mixtureDistribution.probs);
    return probs.mul(this.componentDistribution.mean).sum(-1 - this._eventNdims);
  }
  override get variance(): Tensor {
    const probs = this._padMixtureDimensions(this.mixtureDistribution.probs);
    const meanCondVar = probs.mul(this.componentDistribution.variance).sum(-1 - this._eventNdims);
    const varCondMean = probs.mul(this.componentDistribution.mean.sub(this._pad(this.mean)).pow(2.0)).sum(-1 - this._eventNdims);
    return meanCondVar.add(varCondMean);
  }
  /** The CDF at `x` (Python's parameter name). */
  override cdf(...args: ArgsOf<"torch.distributions.MixtureSameFamily.cdf">): Tensor {
    return this._cdf(this._valueArg("cdf", args));
  }
  override _cdf(x: Tensor): Tensor {
    const cdfX = this.componentDistribution.cdf(this._pad(x));
    return cdfX.mul(this.mixtureDistribution.probs).sum(-1);
  }
  /** The log density at `x` (Python's parameter name). */
  override logProb(...args: ArgsOf<"torch.distributions.MixtureSameFamily.log_prob">): Tensor {
    return this._logProb(this._valueArg("log_prob", args));
  }
  override _logProb(x: Tensor): Tensor {
    this._maybeValidate(x);
    const logProbX = this.componentDistribution.logProb(this._pad(x));
    const logMixProb = ops.logSoftmax(this.mixtureDistribution.logits, -1);
    return ops.logsumexp(logProbX.add(logMixProb), -1);
  }
  override _sample(sampleShape: number[]): Tensor {
    return noGrad(() => {
      const gatherDim = sampleShape.length + this._batchShape.length;
      const es = this._eventShape;
      const mixSample = this.mixtureDistribution.sample(sampleShape);
      const mixShape = mixSample.shape;
      const compSamples = this.componentDistribution.sample(sampleShape);
      let mixSampleR = mixSample.reshape([...mixShape, ...es.map(() => 1), 1]);
      mixSampleR = mixSampleR.repeat([...mixShape.map(() => 1), 1, ...es]);
      return ops.gather(compSamples, gatherDim, mixSampleR).squeeze(gatherDim);
    });
  }
  /** @internal */
  _pad(x: Tensor): Tensor {
    return x.unsqueeze(-1 - this._eventNdims);
  }
  /** @internal Reshapes mixture weights to broadcast with the component parameters. */
  _padMixtureDimensions(x: Tensor): Tensor {
    // torch 2.x counts the batch dims; 1.13 compared numel() of the batch shapes (a bug kept there for equal results).
    const count = followsTorch2() ? (shape: readonly number[]) => shape.length : numel;
    const distBatchNdims = count(this._batchShape);
    const catBatchNdims = count(this.mixtureDistribution.batchShape);
    const padNdims = catBatchNdims === 1 ? 0 : distBatchNdims - catBatchNdims;
    const xs = x.shape;
    return x.reshape([...xs.slice(0, -1), ...new Array<number>(padNdims).fill(1), ...xs.slice(-1), ...new Array<number>(this._eventNdims).fill(1)]);
  }
  override toString(): string {
    return `MixtureSameFamily(\n  ${this.mixtureDistribution.toString()},\n  ${this.componentDistribution.toString()})`;
  }
}
