// The multinomial distribution (torch/distributions/multinomial.py).
import { Tensor } from "../tensor/tensor.js";
import { onesLike, tensor } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Binomial } from "./binomial.js";
import { Categorical } from "./categorical.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, rsub, type CtorArgs, type ValidateArgsOption } from "./utils.js";

export interface MultinomialOptions extends ValidateArgsOption {
  totalCount?: number;
  probs?: Tensor | null;
  logits?: Tensor | null;
}

/**
 * A multinomial distribution: counts of `totalCount` draws from a categorical distribution of
 * `probs` (or `logits`). `sample` needs one `totalCount` for the whole batch (an integer).
 *
 * Example:
 * ```ts
 * new Multinomial(100, torch.tensor([1.0, 1.0, 1.0, 1.0])).sample(); // e.g. [21, 24, 30, 25]
 * ```
 */
export class Multinomial extends Distribution {
  totalCount!: number;
  /** @internal */ _categorical!: Categorical;
  /** @internal */ _binomial!: Binomial;

  constructor(
    ...args: CtorArgs<[totalCount: number, probs: Tensor | null, logits: Tensor | null, validateArgs: boolean | null], MultinomialOptions>
  ) {
    super();
    const a = bindArgs("torch.distributions.Multinomial", args);
    const totalCount = a.totalCount ?? 1;
    if (typeof totalCount !== "number" || !Number.isInteger(totalCount)) throw new Error("inhomogeneous total_count is not supported");
    this.totalCount = totalCount;
    this._categorical = new Categorical({ probs: a.probs as Tensor | null, logits: a.logits as Tensor | null });
    this._binomial = new Binomial({ totalCount, probs: this.probs });
    this._init(this._categorical.batchShape, this._categorical.paramShape.slice(-1), boolArg("Multinomial", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  override _paramForValidation(name: string): Tensor | undefined {
    return this._categorical._paramForValidation(name);
  }
  /** @internal Python's repr leaves these out: probs and logits are properties of the inner distribution there. */
  override _reprParam(): undefined {
    return undefined;
  }
  override get support(): constraints.Constraint {
    return constraints.multinomial(this.totalCount);
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }
  get paramShape(): number[] {
    return this._categorical.paramShape;
  }
  override get mean(): Tensor {
    return this.probs.mul(this.totalCount);
  }
  override get variance(): Tensor {
    return this.probs.mul(this.totalCount).mul(rsub(this.probs, 1));
  }
  override _expand(batchShape: number[]): Multinomial {
    const n = this._newInstance();
    n.totalCount = this.totalCount;
    n._categorical = this._categorical._expand(batchShape);
    n._binomial = this._binomial._expand([...batchShape, ...this._eventShape]);
    return this._finishExpand(n, batchShape);
  }
  override _sample(sampleShape: number[]): Tensor {
    let samples = this._categorical._sample([this.totalCount, ...sampleShape]);
    const order = Array.from({ length: samples.dim() }, (_, i) => i);
    order.push(order.shift()!);
    samples = samples.permute(order);
    const counts = samples.newZeros(this._extendedShape(sampleShape));
    counts.scatterAdd_(-1, samples, onesLike(samples));
    return counts.typeAs(this.probs);
  }
  override _entropy(): Tensor {
    const n = tensor(this.totalCount);
    const catEntropy = this._categorical.entropy();
    const term1 = n.mul(catEntropy).sub(ops.lgamma(n.add(1)));
    const support = this._binomial.enumerateSupport(false).idx("1:");
    const binomialProbs = ops.exp(this._binomial.logProb(support));
    const weights = ops.lgamma(support.add(1));
    const term2 = binomialProbs.mul(weights).sum([0, -1]);
    return term1.add(term2);
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const [l, v] = broadcastAll(this.logits, value) as [Tensor, Tensor];
    const logits = l.clone();
    const logFactorialN = ops.lgamma(v.sum(-1).add(1));
    const logFactorialXs = ops.lgamma(v.add(1)).sum(-1);
    logits.idxPut_(v.eq(0).bitwiseAnd(logits.eq(-Infinity)), 0);
    const logPowers = logits.mul(v).sum(-1);
    return logFactorialN.sub(logFactorialXs).add(logPowers);
  }
}
