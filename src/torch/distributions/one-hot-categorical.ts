// The one-hot categorical distribution (torch/distributions/one_hot_categorical.py).
import { Tensor } from "../tensor/tensor.js";
import { eye } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { Categorical, type CategoricalOptions } from "./categorical.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, rsub, type CtorArgs } from "./utils.js";

/**
 * A one-hot categorical distribution parameterized by `probs` or `logits`: samples are one-hot
 * vectors of size `probs.size(-1)`.
 *
 * Example:
 * ```ts
 * new OneHotCategorical(torch.tensor([0.25, 0.25, 0.25, 0.25])).sample(); // e.g. [0, 0, 1, 0]
 * ```
 */
export class OneHotCategorical extends Distribution {
  /** @internal */ _categorical!: Categorical;

  constructor(...args: CtorArgs<[probs: Tensor | null, logits: Tensor | null, validateArgs: boolean | null], CategoricalOptions>) {
    super();
    const name = new.target.name;
    const qualname = new.target === OneHotCategoricalStraightThrough ? "torch.distributions.OneHotCategoricalStraightThrough" : "torch.distributions.OneHotCategorical";
    const a = bindArgs(qualname, args);
    this._categorical = new Categorical(a.probs as Tensor | null, a.logits as Tensor | null);
    const paramShape = this._categorical.paramShape;
    this._init(this._categorical.batchShape, paramShape.slice(-1), boolArg(name, "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  override get support(): constraints.Constraint {
    return constraints.oneHot;
  }
  override get hasEnumerateSupport(): boolean {
    return true;
  }
  override _paramForValidation(name: string): Tensor | undefined {
    return this._categorical._paramForValidation(name);
  }
  /** @internal Python's repr leaves these out: probs and logits are properties of the inner distribution there. */
  override _reprParam(): undefined {
    return undefined;
  }
  /** @internal */
  get _param(): Tensor {
    return this._categorical._param;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get paramShape(): number[] {
    return this._categorical.paramShape;
  }
  override get mean(): Tensor {
    return this._categorical.probs;
  }
  override get mode(): Tensor {
    const probs = this._categorical.probs;
    const mode = probs.argmax({ dim: -1 });
    return ops.oneHot(mode, { numClasses: probs.shape[probs.dim() - 1]! }).to(probs);
  }
  override get variance(): Tensor {
    return this._categorical.probs.mul(rsub(this._categorical.probs, 1));
  }
  override _expand(batchShape: number[]): OneHotCategorical {
    const n = this._newInstance();
    n._categorical = this._categorical._expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  override _sample(sampleShape: number[]): Tensor {
    const probs = this._categorical.probs;
    const indices = this._categorical._sample(sampleShape);
    return ops.oneHot(indices, this._categorical._numEvents).to(probs);
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const indices = value.max(-1)[1];
    return this._categorical.logProb(indices);
  }
  override _entropy(): Tensor {
    return this._categorical.entropy();
  }
  override _enumerateSupport(expand: boolean): Tensor {
    const n = this._eventShape[0]!;
    let values = eye(n, undefined, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([n, ...this._batchShape.map(() => 1), n]);
    if (expand) values = values.expand([n, ...this._batchShape, n]);
    return values;
  }
}

/**
 * A one-hot categorical distribution whose `rsample` passes gradients straight through the
 * samples (Bengio et al., 2013): `sample + (probs - probs.detach())`.
 */
export class OneHotCategoricalStraightThrough extends OneHotCategorical {
  override get hasRsample(): boolean {
    return true;
  }
  override _rsample(sampleShape: number[]): Tensor {
    const samples = this.sample(sampleShape);
    const probs = this._categorical.probs;
    return samples.add(probs.sub(probs.detach()));
  }
}
