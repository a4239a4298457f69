// The Bernoulli distribution (torch/distributions/bernoulli.py).
import { Tensor } from "../tensor/tensor.js";
import { arange } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { bindArgs } from "../binding/index.js";
import {
  boolArg, broadcastAll, lazy, logitsToProbs, probsOrLogits, probsToLogits, rsub, tensorLikeArg,
  type CtorArgs, type TensorLike, type ValidateArgsOption,
} from "./utils.js";
import { followsTorch2 } from "./python-version.js";

export interface BernoulliOptions extends ValidateArgsOption {
  probs?: TensorLike | null;
  logits?: TensorLike | null;
}

const PROBS = Symbol("probs");
const LOGITS = Symbol("logits");

/**
 * A Bernoulli distribution parameterized by `probs` or `logits` (but not both): samples are 1 with
 * probability `p` and 0 with probability `1 - p`.
 *
 * Example:
 * ```ts
 * new Bernoulli(torch.tensor([0.3])).sample(); // 30% chance 1; 70% chance 0
 * new Bernoulli({ logits: torch.tensor([0.0]) });
 * ```
 */
export class Bernoulli extends ExponentialFamily {
  /** @internal */ [PROBS]?: Tensor;
  /** @internal */ [LOGITS]?: Tensor;
  /** @internal The parameter given (probs or logits). */ _param!: Tensor;

  constructor(...args: CtorArgs<[probs: TensorLike | null, logits: TensorLike | null, validateArgs: boolean | null], BernoulliOptions>) {
    super();
    const a = bindArgs("torch.distributions.Bernoulli", args);
    probsOrLogits("Bernoulli", a.probs, a.logits);
    const given = a.probs !== undefined && a.probs !== null;
    const p = tensorLikeArg("Bernoulli", given ? "probs" : "logits", given ? a.probs : a.logits)!;
    const [t] = broadcastAll(p) as [Tensor];
    if (given) this[PROBS] = t;
    else this[LOGITS] = t;
    this._param = t;
    this._init(typeof p === "number" ? [] : t.shape, [], boolArg("Bernoulli", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }
  override get support(): constraints.Constraint {
    return constraints.boolean;
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  override get _meanCarrierMeasure(): number {
    return 0;
  }
  override _paramForValidation(name: string): Tensor | undefined {
    return name === "probs" ? this[PROBS] : name === "logits" ? this[LOGITS] : super._paramForValidation(name);
  }
  /** The probability of 1. */
  get probs(): Tensor {
    return lazy(this, PROBS, () => logitsToProbs(this[LOGITS]!, true));
  }
  /** The log-odds of 1. */
  get logits(): Tensor {
    return lazy(this, LOGITS, () => probsToLogits(this[PROBS]!, true));
  }
  get paramShape(): number[] {
    return this._param.shape;
  }
  override get mean(): Tensor {
    return this.probs;
  }
  override get mode(): Tensor {
    const mode = this.probs.ge(0.5).to(this.probs);
    mode.idxPut_(this.probs.eq(0.5), NaN);
    return mode;
  }
  override get variance(): Tensor {
    return this.probs.mul(rsub(this.probs, 1));
  }
  override _expand(batchShape: number[]): Bernoulli {
    const n = this._newInstance();
    if (this[PROBS]) n._param = n[PROBS] = this[PROBS].expand(batchShape);
    if (this[LOGITS]) n._param = n[LOGITS] = this[LOGITS].expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _sample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    return noGrad(() => ops.bernoulli(this.probs.expand(shape)));
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const [logits, v] = broadcastAll(this.logits, value) as [Tensor, Tensor];
    return ops.binaryCrossEntropyWithLogits(logits, v, { reduction: 0 }).neg();
  }
  override _entropy(): Tensor {
    return ops.binaryCrossEntropyWithLogits(this.logits, this.probs, { reduction: 0 });
  }
  override _enumerateSupport(expand: boolean): Tensor {
    let values = arange(2, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([-1, ...this._batchShape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batchShape]);
    return values;
  }
  override get _naturalParams(): Tensor[] {
    // torch 2.x: logit and log1p (1.13: log(p / (1 - p)) and log(1 + exp(x))), as Python of the running version.
    return [followsTorch2() ? ops.logit(this.probs) : ops.log(this.probs.div(rsub(this.probs, 1)))];
  }
  override _logNormalizer(...p: Tensor[]): Tensor {
    return followsTorch2() ? ops.log1p(ops.exp(p[0]!)) : ops.log(ops.exp(p[0]!).add(1));
  }
}
