// The binomial distribution (torch/distributions/binomial.py).
import { Tensor } from "../tensor/tensor.js";
import { arange } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import {
  boolArg, broadcastAll, lazy, logitsToProbs, probsOrLogits, probsToLogits, rsub, tensorLikeArg,
  type CtorArgs, type TensorLike, type ValidateArgsOption,
} from "./utils.js";

export interface BinomialOptions extends ValidateArgsOption {
  totalCount?: TensorLike;
  probs?: TensorLike | null;
  logits?: TensorLike | null;
}

const PROBS = Symbol("probs");
const LOGITS = Symbol("logits");

function clampByZero(x: Tensor): Tensor {
  return x.clamp({ min: 0 }).add(x).sub(x.clamp({ max: 0 })).div(2);
}

/**
 * A binomial distribution of `totalCount` Bernoulli trials of probability `probs` (or log-odds
 * `logits`); `totalCount` broadcasts with `probs`/`logits`.
 *
 * Example:
 * ```ts
 * new Binomial(100, torch.tensor([0, 0.2, 0.8, 1])).sample(); // e.g. [0, 22, 71, 100]
 * ```
 */
export class Binomial extends Distribution {
  totalCount!: Tensor;
  /** @internal */ [PROBS]?: Tensor;
  /** @internal */ [LOGITS]?: Tensor;
  /** @internal */ _param!: Tensor;

  constructor(
    ...args: CtorArgs<[totalCount: TensorLike, probs: TensorLike | null, logits: TensorLike | null, validateArgs: boolean | null], BinomialOptions>
  ) {
    super();
    const a = bindArgs("torch.distributions.Binomial", args);
    probsOrLogits("Binomial", a.probs, a.logits);
    const totalCount = tensorLikeArg("Binomial", "totalCount", a.totalCount)!;
    const given = a.probs !== undefined && a.probs !== null;
    const p = tensorLikeArg("Binomial", given ? "probs" : "logits", given ? a.probs : a.logits)!;
    const [n, t] = broadcastAll(totalCount, p) as [Tensor, Tensor];
    this.totalCount = n.typeAs(t);
    if (given) this[PROBS] = t;
    else this[LOGITS] = t;
    this._param = t;
    this._init(t.shape, [], boolArg("Binomial", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { totalCount: constraints.nonnegativeInteger, probs: constraints.unitInterval, logits: constraints.real };
  }
  override get support(): constraints.Constraint {
    return constraints.integerInterval(0, this.totalCount);
  }
  override get hasEnumerateSupport(): boolean {
    return true;
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
  override get mean(): Tensor {
    return this.totalCount.mul(this.probs);
  }
  override get mode(): Tensor {
    return this.totalCount.add(1).mul(this.probs).floor().clamp({ max: this.totalCount });
  }
  override get variance(): Tensor {
    return this.totalCount.mul(this.probs).mul(rsub(this.probs, 1));
  }
  override _expand(batchShape: number[]): Binomial {
    const n = this._newInstance();
    n.totalCount = this.totalCount.expand(batchShape);
    if (this[PROBS]) n._param = n[PROBS] = this[PROBS].expand(batchShape);
    if (this[LOGITS]) n._param = n[LOGITS] = this[LOGITS].expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _sample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    return noGrad(() => ops.binomial(this.totalCount.expand(shape), this.probs.expand(shape)));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const logFactorialN = ops.lgamma(this.totalCount.add(1));
    const logFactorialK = ops.lgamma(value.add(1));
    const logFactorialNmk = ops.lgamma(this.totalCount.sub(value).add(1));
    const normalizeTerm = this.totalCount
      .mul(clampByZero(this.logits))
      .add(this.totalCount.mul(ops.log1p(ops.exp(ops.abs(this.logits).neg()))))
      .sub(logFactorialN);
    return value.mul(this.logits).sub(logFactorialK).sub(logFactorialNmk).sub(normalizeTerm);
  }
  /** @internal The common total count, or an error when it varies. */
  _homogeneousTotalCount(what: string): number {
    const total = Math.trunc(this.totalCount.max().item());
    if (this.totalCount.min().item() !== total) throw new Error(`Inhomogeneous total count not supported by \`${what}\`.`);
    return total;
  }
  override _entropy(): Tensor {
    this._homogeneousTotalCount("entropy");
    const logProb = this.logProb(this._enumerateSupport(false));
    return ops.exp(logProb).mul(logProb).sum(0).neg();
  }
  override _enumerateSupport(expand: boolean): Tensor {
    const total = this._homogeneousTotalCount("enumerate_support");
    let values = arange(1 + total, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([-1, ...this._batchShape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batchShape]);
    return values;
  }
}
