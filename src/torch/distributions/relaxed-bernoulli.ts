// Relaxed Bernoulli distributions (torch/distributions/relaxed_bernoulli.py).
import { Tensor } from "../tensor/tensor.js";
import { rand, tensor } from "../tensor/creation.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { SigmoidTransform } from "./transforms.js";
import { bindArgs } from "../binding/index.js";
import {
  boolArg, broadcastAll, clampProbs, lazy, logitsToProbs, probsOrLogits, probsToLogits, tensorLikeArg,
  type CtorArgs, type TensorLike, type ValidateArgsOption,
} from "./utils.js";

export interface RelaxedBernoulliOptions extends ValidateArgsOption {
  temperature?: TensorLike;
  probs?: TensorLike | null;
  logits?: TensorLike | null;
}

const PROBS = Symbol("probs");
const LOGITS = Symbol("logits");

/** A temperature: a tensor, or a number made a tensor of the parameters' dtype. */
export function temperatureTensor(callable: string, value: unknown, like: Tensor): Tensor {
  const t = tensorLikeArg(callable, "temperature", value)!;
  return t instanceof Tensor ? t : tensor(t, { dtype: like.dtype, device: like.device });
}

/**
 * The logit of a RelaxedBernoulli sample: `logit(X)` for `X ~ RelaxedBernoulli(temperature, probs)`
 * (Maddison et al., 2017).
 */
export class LogitRelaxedBernoulli extends Distribution {
  temperature!: Tensor;
  /** @internal */ [PROBS]?: Tensor;
  /** @internal */ [LOGITS]?: Tensor;
  /** @internal */ _param!: Tensor;

  constructor(
    ...args: CtorArgs<[temperature: TensorLike, probs: TensorLike | null, logits: TensorLike | null, validateArgs: boolean | null], RelaxedBernoulliOptions>
  ) {
    super();
    const a = bindArgs("torch.distributions.RelaxedBernoulli", args);
    probsOrLogits("LogitRelaxedBernoulli", a.probs, a.logits);
    const given = a.probs !== undefined && a.probs !== null;
    const p = tensorLikeArg("LogitRelaxedBernoulli", given ? "probs" : "logits", given ? a.probs : a.logits)!;
    const [t] = broadcastAll(p) as [Tensor];
    if (given) this[PROBS] = t;
    else this[LOGITS] = t;
    this._param = t;
    this.temperature = temperatureTensor("LogitRelaxedBernoulli", a.temperature, t);
    this._init(typeof p === "number" ? [] : t.shape, [], boolArg("LogitRelaxedBernoulli", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }
  override get support(): constraints.Constraint {
    return constraints.real;
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
  override _expand(batchShape: number[]): LogitRelaxedBernoulli {
    const n = this._newInstance();
    n.temperature = this.temperature;
    if (this[PROBS]) n._param = n[PROBS] = this[PROBS].expand(batchShape);
    if (this[LOGITS]) n._param = n[LOGITS] = this[LOGITS].expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const probs = clampProbs(this.probs.expand(shape));
    const uniforms = clampProbs(rand(shape, { dtype: probs.dtype, device: probs.device }));
    return uniforms.log().sub(uniforms.neg().log1p()).add(probs.log()).sub(probs.neg().log1p()).div(this.temperature);
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const [logits, v] = broadcastAll(this.logits, value) as [Tensor, Tensor];
    const diff = logits.sub(v.mul(this.temperature));
    return this.temperature.log().add(diff).sub(diff.exp().log1p().mul(2));
  }
}

/**
 * A RelaxedBernoulli (binary Concrete) distribution on (0, 1): a reparameterizable relaxation of
 * Bernoulli at `temperature`, parameterized by `probs` or `logits`.
 *
 * Example:
 * ```ts
 * new RelaxedBernoulli(torch.tensor([2.2]), torch.tensor([0.1, 0.2, 0.3, 0.99])).sample();
 * ```
 */
export class RelaxedBernoulli extends TransformedDistribution {
  declare baseDist: LogitRelaxedBernoulli;

  constructor(
    ...args: CtorArgs<[temperature: TensorLike, probs: TensorLike | null, logits: TensorLike | null, validateArgs: boolean | null], RelaxedBernoulliOptions>
  ) {
    super();
    const a = bindArgs("torch.distributions.RelaxedBernoulli", args);
    const base = new LogitRelaxedBernoulli({ temperature: a.temperature as TensorLike, probs: a.probs as TensorLike | null, logits: a.logits as TensorLike | null });
    this._setup("RelaxedBernoulli", base, new SigmoidTransform(), a.validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }
  override _paramForValidation(name: string): Tensor | undefined {
    return this.baseDist._paramForValidation(name);
  }
  /** @internal Python's repr leaves these out: probs and logits are properties of the inner distribution there. */
  override _reprParam(): undefined {
    return undefined;
  }
  override get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): RelaxedBernoulli {
    return this._expandInto(this._newInstance(), batchShape);
  }
  get temperature(): Tensor {
    return this.baseDist.temperature;
  }
  get logits(): Tensor {
    return this.baseDist.logits;
  }
  get probs(): Tensor {
    return this.baseDist.probs;
  }
}
