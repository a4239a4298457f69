// The categorical distribution (torch/distributions/categorical.py).
import { Tensor } from "../tensor/tensor.js";
import { arange, full } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { broadcastTensors } from "../functional/broadcast.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import {
  boolArg, finfo, lazy, logitsToProbs, probsOrLogits, probsToLogits, tensorArg,
  type CtorArgs, type ValidateArgsOption,
} from "./utils.js";

export interface CategoricalOptions extends ValidateArgsOption {
  probs?: Tensor | null;
  logits?: Tensor | null;
}

const PROBS = Symbol("probs");
const LOGITS = Symbol("logits");

/**
 * A categorical distribution over `{0, ..., K-1}` parameterized by `probs` or `logits` (but not
 * both), the last dimension indexing the categories. `probs` are normalized to sum to 1 and
 * `logits` to log-probabilities.
 *
 * Example:
 * ```ts
 * const m = new Categorical(torch.tensor([0.25, 0.25, 0.25, 0.25]));
 * m.sample(); // equal probability of 0, 1, 2, 3
 * new Categorical({ logits });
 * ```
 */
export class Categorical extends Distribution {
  /** @internal */ [PROBS]?: Tensor;
  /** @internal */ [LOGITS]?: Tensor;
  /** @internal */ _param!: Tensor;
  /** @internal */ _numEvents!: number;

  constructor(...args: CtorArgs<[probs: Tensor | null, logits: Tensor | null, validateArgs: boolean | null], CategoricalOptions>) {
    super();
    const a = bindArgs("torch.distributions.Categorical", args);
    probsOrLogits("Categorical", a.probs, a.logits);
    if (a.probs !== undefined && a.probs !== null) {
      const probs = tensorArg("Categorical", "probs", a.probs)!;
      if (probs.dim() < 1) throw new Error("`probs` parameter must be at least one-dimensional.");
      this._param = this[PROBS] = probs.div(probs.sum(-1, { keepdim: true }));
    } else {
      const logits = tensorArg("Categorical", "logits", a.logits)!;
      if (logits.dim() < 1) throw new Error("`logits` parameter must be at least one-dimensional.");
      this._param = this[LOGITS] = logits.sub(logits.logsumexp(-1, { keepdim: true }));
    }
    const shape = this._param.shape;
    this._numEvents = shape[shape.length - 1]!;
    this._init(shape.length > 1 ? shape.slice(0, -1) : [], [], boolArg("Categorical", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  override get support(): constraints.Constraint {
    return constraints.integerInterval(0, this._numEvents - 1);
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  override _paramForValidation(name: string): Tensor | undefined {
    return name === "probs" ? this[PROBS] : name === "logits" ? this[LOGITS] : super._paramForValidation(name);
  }
  /** Event probabilities (normalized). */
  get probs(): Tensor {
    return lazy(this, PROBS, () => logitsToProbs(this[LOGITS]!));
  }
  /** Event log-probabilities (normalized). */
  get logits(): Tensor {
    return lazy(this, LOGITS, () => probsToLogits(this[PROBS]!));
  }
  get paramShape(): number[] {
    return this._param.shape;
  }
  override get mean(): Tensor {
    return full(this._extendedShape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }
  override get mode(): Tensor {
    return this.probs.argmax({ dim: -1 });
  }
  override get variance(): Tensor {
    return full(this._extendedShape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }
  override _expand(batchShape: number[]): Categorical {
    const n = this._newInstance();
    const paramShape = [...batchShape, this._numEvents];
    if (this[PROBS]) n._param = n[PROBS] = this[PROBS].expand(paramShape);
    if (this[LOGITS]) n._param = n[LOGITS] = this[LOGITS].expand(paramShape);
    n._numEvents = this._numEvents;
    return this._finishExpand(n, batchShape);
  }
  override _sample(sampleShape: number[]): Tensor {
    return noGrad(() => {
      const probs2d = this.probs.reshape(-1, this._numEvents);
      const numel = sampleShape.reduce((x, y) => x * y, 1);
      const samples2d = ops.multinomial(probs2d, numel, true).t();
      return samples2d.reshape(this._extendedShape(sampleShape));
    });
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const v = value.long().unsqueeze(-1);
    const [vb, logPmf] = broadcastTensors([v, this.logits]) as [Tensor, Tensor];
    return logPmf.gather(-1, vb.idx(["...", ":1"])).squeeze(-1);
  }
  override _entropy(): Tensor {
    const minReal = finfo(this.logits.dtype).min;
    const logits = this.logits.clamp({ min: minReal });
    return logits.mul(this.probs).sum(-1).neg();
  }
  override _enumerateSupport(expand: boolean): Tensor {
    let values = arange(this._numEvents, { dtype: "int64", device: this._param.device });
    values = values.view([-1, ...this._batchShape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batchShape]);
    return values;
  }
}
