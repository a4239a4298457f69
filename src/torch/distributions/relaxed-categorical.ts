// Relaxed one-hot categorical distributions (torch/distributions/relaxed_categorical.py).
import { Tensor } from "../tensor/tensor.js";
import { fullLike, rand } from "../tensor/creation.js";
import * as constraints from "./constraints.js";
import { Categorical } from "./categorical.js";
import { Distribution } from "./distribution.js";
import { temperatureTensor } from "./relaxed-bernoulli.js";
import { TransformedDistribution } from "./transformed-distribution.js";
import { ExpTransform } from "./transforms.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, broadcastAll, clampProbs, type CtorArgs, type TensorLike, type ValidateArgsOption } from "./utils.js";

export interface RelaxedOneHotCategoricalOptions extends ValidateArgsOption {
  temperature?: TensorLike;
  probs?: Tensor | null;
  logits?: Tensor | null;
}

/**
 * The log of a RelaxedOneHotCategorical sample: `log(X)` for
 * `X ~ RelaxedOneHotCategorical(temperature, probs)` (Maddison et al., 2017).
 */
export class ExpRelaxedCategorical extends Distribution {
  temperature!: Tensor;
  /** @internal */ _categorical!: Categorical;

  constructor(
    ...args: CtorArgs<[temperature: TensorLike, probs: Tensor | null, logits: Tensor | null, validateArgs: boolean | null], RelaxedOneHotCategoricalOptions>
  ) {
    super();
    const a = bindArgs("torch.distributions.RelaxedOneHotCategorical", args);
    this._categorical = new Categorical(a.probs as Tensor | null, a.logits as Tensor | null);
    this.temperature = temperatureTensor("ExpRelaxedCategorical", a.temperature, this._categorical._param);
    this._init(this._categorical.batchShape, this._categorical.paramShape.slice(-1), boolArg("ExpRelaxedCategorical", "validateArgs", a.validateArgs));
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
    return constraints.realVector;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): ExpRelaxedCategorical {
    const n = this._newInstance();
    n.temperature = this.temperature;
    n._categorical = this._categorical._expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  get paramShape(): number[] {
    return this._categorical.paramShape;
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const uniforms = clampProbs(rand(shape, { dtype: this.logits.dtype, device: this.logits.device }));
    const gumbels = uniforms.log().neg().log().neg();
    const scores = this.logits.add(gumbels).div(this.temperature);
    return scores.sub(scores.logsumexp(-1, { keepdim: true }));
  }
  override _logProb(value: Tensor): Tensor {
    const k = this._categorical._numEvents;
    this._maybeValidate(value);
    const [logits, v] = broadcastAll(this.logits, value) as [Tensor, Tensor];
    const logScale = fullLike(this.temperature, k).lgamma().sub(this.temperature.log().mul(-(k - 1)));
    let score = logits.sub(v.mul(this.temperature));
    score = score.sub(score.logsumexp(-1, { keepdim: true })).sum(-1);
    return score.add(logScale);
  }
}

/**
 * A RelaxedOneHotCategorical (Concrete / Gumbel-softmax) distribution on the simplex: a
 * reparameterizable relaxation of OneHotCategorical at `temperature`.
 *
 * Example:
 * ```ts
 * new RelaxedOneHotCategorical(torch.tensor([2.2]), torch.tensor([0.1, 0.2, 0.3, 0.4])).sample();
 * ```
 */
export class RelaxedOneHotCategorical extends TransformedDistribution {
  declare baseDist: ExpRelaxedCategorical;

  constructor(
    ...args: CtorArgs<[temperature: TensorLike, probs: Tensor | null, logits: Tensor | null, validateArgs: boolean | null], RelaxedOneHotCategoricalOptions>
  ) {
    super();
    const a = bindArgs("torch.distributions.RelaxedOneHotCategorical", args);
    const validateArgs = a.validateArgs as boolean | null | undefined;
    const base = new ExpRelaxedCategorical({
      temperature: a.temperature as TensorLike,
      probs: a.probs as Tensor | null,
      logits: a.logits as Tensor | null,
      validateArgs,
    });
    this._setup("RelaxedOneHotCategorical", base, new ExpTransform(), validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  override _paramForValidation(name: string): Tensor | undefined {
    return this.baseDist._paramForValidation(name);
  }
  /** @internal Python's repr leaves these out: probs and logits are properties of the inner distribution there. */
  override _reprParam(): undefined {
    return undefined;
  }
  override get support(): constraints.Constraint {
    return constraints.simplex;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override _expand(batchShape: number[]): RelaxedOneHotCategorical {
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
