// The geometric distribution (torch/distributions/geometric.py).
import { Tensor } from "../tensor/tensor.js";
import { zerosLike } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import {
  boolArg, broadcastAll, finfo, formatTuple, lazy, logitsToProbs, probsOrLogits, probsToLogits, rdiv, tensorLikeArg,
  type CtorArgs, type TensorLike, type ValidateArgsOption,
} from "./utils.js";

export interface GeometricOptions extends ValidateArgsOption {
  probs?: TensorLike | null;
  logits?: TensorLike | null;
}

const PROBS = Symbol("probs");
const LOGITS = Symbol("logits");

/**
 * A geometric distribution: the number of failures before the first success in Bernoulli trials
 * of success probability `probs` (or log-odds `logits`); support `{0, 1, 2, ...}`.
 *
 * Example:
 * ```ts
 * new Geometric(torch.tensor([0.3])).sample(); // underlying Bernoulli has a 30% chance of 1
 * ```
 */
export class Geometric extends Distribution {
  /** @internal */ [PROBS]?: Tensor;
  /** @internal */ [LOGITS]?: Tensor;

  constructor(...args: CtorArgs<[probs: TensorLike | null, logits: TensorLike | null, validateArgs: boolean | null], GeometricOptions>) {
    super();
    const a = bindArgs("torch.distributions.Geometric", args);
    probsOrLogits("Geometric", a.probs, a.logits);
    const given = a.probs !== undefined && a.probs !== null;
    const p = tensorLikeArg("Geometric", given ? "probs" : "logits", given ? a.probs : a.logits)!;
    const [t] = broadcastAll(p) as [Tensor];
    if (given) this[PROBS] = t;
    else this[LOGITS] = t;
    this._init(typeof p === "number" ? [] : p.shape, [], boolArg("Geometric", "validateArgs", a.validateArgs));
    if (this._validateArgs && given) {
      const valid = t.gt(0);
      if (!valid.all().item<boolean>()) {
        throw new Error(
          `Expected parameter probs (Tensor of shape ${formatTuple(t.shape)}) of distribution ${this.toString()} ` +
            `to be positive but found invalid values:\n${t.detach().idx(valid.logicalNot()).toString()}`,
        );
      }
    }
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.unitInterval, logits: constraints.real };
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
  override get mean(): Tensor {
    return rdiv(this.probs, 1.0).sub(1.0);
  }
  override get mode(): Tensor {
    return zerosLike(this.probs);
  }
  override get variance(): Tensor {
    return rdiv(this.probs, 1.0).sub(1.0).div(this.probs);
  }
  override _expand(batchShape: number[]): Geometric {
    const n = this._newInstance();
    if (this[PROBS]) n[PROBS] = this[PROBS].expand(batchShape);
    if (this[LOGITS]) n[LOGITS] = this[LOGITS].expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _sample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const tiny = finfo(this.probs.dtype).tiny;
    return noGrad(() => {
      const u = this.probs.newEmpty(shape).uniform_(tiny, 1);
      return u.log().div(this.probs.neg().log1p()).floor();
    });
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const [v, p] = broadcastAll(value, this.probs) as [Tensor, Tensor];
    const probs = p.clone();
    probs.idxPut_(probs.eq(1).bitwiseAnd(v.eq(0)), 0);
    return v.mul(probs.neg().log1p()).add(this.probs.log());
  }
  override _entropy(): Tensor {
    return ops.binaryCrossEntropyWithLogits(this.logits, this.probs, { reduction: 0 }).div(this.probs);
  }
}
