// The negative binomial distribution (torch/distributions/negative_binomial.py).
import { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { Gamma } from "./gamma.js";
import { bindArgs } from "../binding/index.js";
import {
  boolArg, broadcastAll, lazy, logitsToProbs, probsOrLogits, probsToLogits, tensorLikeArg,
  type CtorArgs, type TensorLike, type ValidateArgsOption,
} from "./utils.js";

export interface NegativeBinomialOptions extends ValidateArgsOption {
  totalCount?: TensorLike;
  probs?: TensorLike | null;
  logits?: TensorLike | null;
}

const PROBS = Symbol("probs");
const LOGITS = Symbol("logits");
const GAMMA = Symbol("gamma");

/**
 * A negative binomial distribution: the number of successful Bernoulli trials (probability
 * `probs`) before `totalCount` failures.
 *
 * Example:
 * ```ts
 * new NegativeBinomial(5, torch.tensor([0.3])).sample();
 * ```
 */
export class NegativeBinomial extends Distribution {
  totalCount!: Tensor;
  /** @internal */ [PROBS]?: Tensor;
  /** @internal */ [LOGITS]?: Tensor;
  /** @internal */ [GAMMA]?: Gamma;
  /** @internal */ _param!: Tensor;

  constructor(
    ...args: CtorArgs<[totalCount: TensorLike, probs: TensorLike | null, logits: TensorLike | null, validateArgs: boolean | null], NegativeBinomialOptions>
  ) {
    super();
    const a = bindArgs("torch.distributions.NegativeBinomial", args);
    probsOrLogits("NegativeBinomial", a.probs, a.logits);
    const totalCount = tensorLikeArg("NegativeBinomial", "totalCount", a.totalCount)!;
    const given = a.probs !== undefined && a.probs !== null;
    const p = tensorLikeArg("NegativeBinomial", given ? "probs" : "logits", given ? a.probs : a.logits)!;
    const [n, t] = broadcastAll(totalCount, p) as [Tensor, Tensor];
    this.totalCount = n.typeAs(t);
    if (given) this[PROBS] = t;
    else this[LOGITS] = t;
    this._param = t;
    this._init(t.shape, [], boolArg("NegativeBinomial", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { totalCount: constraints.greaterThanEq(0), probs: constraints.halfOpenInterval(0.0, 1.0), logits: constraints.real };
  }
  override get support(): constraints.Constraint {
    return constraints.nonnegativeInteger;
  }
  override _paramForValidation(name: string): Tensor | undefined {
    return name === "probs" ? this[PROBS] : name === "logits" ? this[LOGITS] : super._paramForValidation(name);
  }
  get probs(): Tensor {
    return lazy(this, PROBS, () => logitsToProbs(this[LOGITS]!, true));
  }
  get logits(): Tensor {
    return lazy(this, LOGITS, () => probsToLogits(this[PROBS]!, true));
  }
  get paramShape(): number[] {
    return this._param.shape;
  }
  override _expand(batchShape: number[]): NegativeBinomial {
    const n = this._newInstance();
    n.totalCount = this.totalCount.expand(batchShape);
    if (this[PROBS]) n._param = n[PROBS] = this[PROBS].expand(batchShape);
    if (this[LOGITS]) n._param = n[LOGITS] = this[LOGITS].expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override get mean(): Tensor {
    return this.totalCount.mul(ops.exp(this.logits));
  }
  override get mode(): Tensor {
    return this.totalCount.sub(1).mul(this.logits.exp()).floor().clamp({ min: 0.0 });
  }
  override get variance(): Tensor {
    return this.mean.div(ops.sigmoid(this.logits.neg()));
  }
  /** @internal The gamma mixing distribution of the Poisson rate. */
  get _gamma(): Gamma {
    return lazy(this, GAMMA, () => new Gamma({ concentration: this.totalCount, rate: ops.exp(this.logits.neg()), validateArgs: false }));
  }
  override _sample(sampleShape: number[]): Tensor {
    return noGrad(() => ops.poisson(this._gamma.sample(sampleShape)));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const logUnnormalizedProb = this.totalCount.mul(ops.logSigmoid(this.logits.neg())).add(value.mul(ops.logSigmoid(this.logits)));
    const logNormalization = ops.lgamma(this.totalCount.add(value)).neg().add(ops.lgamma(value.add(1.0))).add(ops.lgamma(this.totalCount));
    logNormalization.idxPut_(this.totalCount.add(value).eq(0.0), 0.0);
    return logUnnormalizedProb.sub(logNormalization);
  }
}
