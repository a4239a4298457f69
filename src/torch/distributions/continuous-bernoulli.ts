// The continuous Bernoulli distribution (torch/distributions/continuous_bernoulli.py).
import { Tensor } from "../tensor/tensor.js";
import { onesLike, rand, zerosLike } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { noGrad } from "../tensor/runtime.js";
import * as constraints from "./constraints.js";
import { ExponentialFamily } from "./exp-family.js";
import { bindArgs } from "../binding/index.js";
import {
  boolArg, broadcastAll, clampProbs, lazy, logitsToProbs, probsOrLogits, probsToLogits, rdiv, rsub, tensorLikeArg,
  type CtorArgs, type TensorLike, type ValidateArgsOption,
} from "./utils.js";
import { followsTorch2 } from "./python-version.js";

export interface ContinuousBernoulliOptions extends ValidateArgsOption {
  probs?: TensorLike | null;
  logits?: TensorLike | null;
  lims?: readonly [number, number];
}

const PROBS = Symbol("probs");
const LOGITS = Symbol("logits");

/**
 * A continuous Bernoulli distribution on [0, 1] parameterized by `probs` or `logits` (Loaiza-Ganem
 * & Cunningham, 2019). `lims` is the unstable region around 0.5 where a Taylor expansion is used.
 *
 * Example:
 * ```ts
 * new ContinuousBernoulli(torch.tensor([0.3])).sample(); // in [0, 1]
 * ```
 */
export class ContinuousBernoulli extends ExponentialFamily {
  /** @internal */ [PROBS]?: Tensor;
  /** @internal */ [LOGITS]?: Tensor;
  /** @internal */ _param!: Tensor;
  /** @internal */ _lims!: readonly [number, number];

  constructor(
    ...args: CtorArgs<
      [probs: TensorLike | null, logits: TensorLike | null, lims: readonly [number, number], validateArgs: boolean | null],
      ContinuousBernoulliOptions
    >
  ) {
    super();
    const a = bindArgs("torch.distributions.ContinuousBernoulli", args);
    probsOrLogits("ContinuousBernoulli", a.probs, a.logits);
    const validateArgs = boolArg("ContinuousBernoulli", "validateArgs", a.validateArgs);
    const given = a.probs !== undefined && a.probs !== null;
    const p = tensorLikeArg("ContinuousBernoulli", given ? "probs" : "logits", given ? a.probs : a.logits)!;
    let [t] = broadcastAll(p) as [Tensor];
    if (given) {
      if (validateArgs !== undefined && !constraints.unitInterval.check(t).all().item<boolean>()) {
        throw new Error("The parameter probs has invalid values");
      }
      t = clampProbs(t);
      this[PROBS] = t;
    } else this[LOGITS] = t;
    this._param = t;
    const lims = a.lims ?? [0.499, 0.501];
    if (!Array.isArray(lims) || lims.length !== 2 || !lims.every((x) => typeof x === "number")) {
      throw new TypeError("ContinuousBernoulli(): lims must be a pair of numbers");
    }
    this._lims = lims as [number, number];
    this._init(typeof p === "number" ? [] : t.shape, [], validateArgs);
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }
  override get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  override get hasRsample(): boolean {
    return true;
  }
  override get _meanCarrierMeasure(): number {
    return 0;
  }
  override _paramForValidation(name: string): Tensor | undefined {
    return name === "probs" ? this[PROBS] : name === "logits" ? this[LOGITS] : super._paramForValidation(name);
  }
  get probs(): Tensor {
    return lazy(this, PROBS, () => clampProbs(logitsToProbs(this[LOGITS]!, true)));
  }
  get logits(): Tensor {
    return lazy(this, LOGITS, () => probsToLogits(this[PROBS]!, true));
  }
  get paramShape(): number[] {
    return this._param.shape;
  }
  override _expand(batchShape: number[]): ContinuousBernoulli {
    const n = this._newInstance();
    n._lims = this._lims;
    if (this[PROBS]) n._param = n[PROBS] = this[PROBS].expand(batchShape);
    if (this[LOGITS]) n._param = n[LOGITS] = this[LOGITS].expand(batchShape);
    return this._finishExpand(n, batchShape);
  }
  /** @internal */
  _outsideUnstableRegion(): Tensor {
    return ops.maximum(ops.le(this.probs, this._lims[0]), ops.gt(this.probs, this._lims[1]));
  }
  /** @internal */
  _cutProbs(): Tensor {
    return ops.where(this._outsideUnstableRegion(), this.probs, onesLike(this.probs).mul(this._lims[0]));
  }
  /** @internal The log normalizing constant, with a Taylor expansion near 0.5. */
  _contBernLogNorm(): Tensor {
    const cut = this._cutProbs();
    const belowHalf = ops.where(ops.le(cut, 0.5), cut, zerosLike(cut));
    const aboveHalf = ops.where(ops.ge(cut, 0.5), cut, onesLike(cut));
    const logNorm = ops
      .log(ops.abs(ops.log1p(cut.neg()).sub(ops.log(cut))))
      .sub(ops.where(ops.le(cut, 0.5), ops.log1p(belowHalf.mul(-2.0)), ops.log(aboveHalf.mul(2.0).sub(1.0))));
    const x = ops.pow(this.probs.sub(0.5), 2);
    const taylor = x.mul(104.0 / 45.0).add(4.0 / 3.0).mul(x).add(Math.log(2.0));
    return ops.where(this._outsideUnstableRegion(), logNorm, taylor);
  }
  override get mean(): Tensor {
    const cut = this._cutProbs();
    const mus = cut.div(cut.mul(2.0).sub(1.0)).add(rdiv(ops.log1p(cut.neg()).sub(ops.log(cut)), 1.0));
    const x = this.probs.sub(0.5);
    const taylor = ops.pow(x, 2).mul(16.0 / 45.0).add(1.0 / 3.0).mul(x).add(0.5);
    return ops.where(this._outsideUnstableRegion(), mus, taylor);
  }
  override get stddev(): Tensor {
    return ops.sqrt(this.variance);
  }
  override get variance(): Tensor {
    const cut = this._cutProbs();
    const vars = cut
      .mul(cut.sub(1.0))
      .div(ops.pow(rsub(cut.mul(2.0), 1.0), 2))
      .add(rdiv(ops.pow(ops.log1p(cut.neg()).sub(ops.log(cut)), 2), 1.0));
    const x = ops.pow(this.probs.sub(0.5), 2);
    const taylor = rsub(rsub(x.mul(128.0 / 945.0), 1.0 / 15.0).mul(x), 1.0 / 12.0);
    return ops.where(this._outsideUnstableRegion(), vars, taylor);
  }
  override _sample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const u = rand(shape, { dtype: this.probs.dtype, device: this.probs.device });
    return noGrad(() => this.icdf(u));
  }
  override _rsample(sampleShape: number[]): Tensor {
    const shape = this._extendedShape(sampleShape);
    const u = rand(shape, { dtype: this.probs.dtype, device: this.probs.device });
    return this.icdf(u);
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    const [logits, v] = broadcastAll(this.logits, value) as [Tensor, Tensor];
    return ops.binaryCrossEntropyWithLogits(logits, v, { reduction: 0 }).neg().add(this._contBernLogNorm());
  }
  override _cdf(value: Tensor): Tensor {
    this._maybeValidate(value);
    const cut = this._cutProbs();
    const cdfs = ops
      .pow(cut, value)
      .mul(ops.pow(rsub(cut, 1.0), rsub(value, 1.0)))
      .add(cut)
      .sub(1.0)
      .div(cut.mul(2.0).sub(1.0));
    const unbounded = ops.where(this._outsideUnstableRegion(), cdfs, value);
    return ops.where(ops.le(value, 0.0), zerosLike(value), ops.where(ops.ge(value, 1.0), onesLike(value), unbounded));
  }
  override _icdf(value: Tensor): Tensor {
    const cut = this._cutProbs();
    const inside = ops
      .log1p(cut.neg().add(value.mul(cut.mul(2.0).sub(1.0))))
      .sub(ops.log1p(cut.neg()))
      .div(ops.log(cut).sub(ops.log1p(cut.neg())));
    return ops.where(this._outsideUnstableRegion(), inside, value);
  }
  override _entropy(): Tensor {
    const logProbs0 = ops.log1p(this.probs.neg());
    const logProbs1 = ops.log(this.probs);
    return this.mean.mul(logProbs0.sub(logProbs1)).sub(this._contBernLogNorm()).sub(logProbs0);
  }
  override get _naturalParams(): Tensor[] {
    return [this.logits];
  }
  override _logNormalizer(...p: Tensor[]): Tensor {
    const x = p[0]!;
    const out = ops.maximum(ops.le(x, this._lims[0] - 0.5), ops.gt(x, this._lims[1] - 0.5));
    const cut = ops.where(out, x, onesLike(x).mul(this._lims[0] - 0.5));
    // torch 2.x: expm1 (1.13: exp(x) - 1), as Python of the running version.
    const logNorm = ops.log(ops.abs(followsTorch2() ? ops.expm1(cut) : ops.exp(cut).sub(1.0))).sub(ops.log(ops.abs(cut)));
    const taylor = x.mul(0.5).add(ops.pow(x, 2).div(24.0)).sub(ops.pow(x, 4).div(2880.0));
    return ops.where(out, logNorm, taylor);
  }
}
