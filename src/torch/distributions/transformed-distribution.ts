// A base distribution pushed through transforms (torch/distributions/transformed_distribution.py).
import { Tensor } from "../tensor/tensor.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { Independent } from "./independent.js";
import { ComposeTransform, Transform, type Sign } from "./transforms.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, formatSize, rsub, sameShape, sumRightmost, type CtorArgs, type ValidateArgsOption } from "./utils.js";

export interface TransformedDistributionOptions extends ValidateArgsOption {
  baseDistribution?: Distribution;
  transforms?: Transform | Transform[];
}

/**
 * Extension of the Distribution class applying a sequence of transforms to a base distribution:
 * `X ~ baseDistribution; Y = fN(...f1(X)); logProb(Y) = logProb(X) - sum log|det dfi/dx|`.
 *
 * Example:
 * ```ts
 * // Logistic(a, b) from Uniform(0, 1)
 * const logistic = new TransformedDistribution(new Uniform(0, 1), [new SigmoidTransform().inv, new AffineTransform(a, b)]);
 * ```
 */
export class TransformedDistribution extends Distribution {
  baseDist!: Distribution;
  transforms!: Transform[];

  constructor(
    ...args: CtorArgs<[baseDistribution: Distribution, transforms: Transform | Transform[], validateArgs: boolean | null], TransformedDistributionOptions>
  ) {
    super();
    // Subclasses (Gumbel, LogNormal, ...) run _setup themselves with their own transforms.
    if (new.target !== TransformedDistribution && args.length === 0) return;
    const name = new.target.name;
    const a = bindArgs("torch.distributions.TransformedDistribution", args);
    this._setup(name, a.baseDistribution, a.transforms, a.validateArgs);
  }
  /** @internal Python's `TransformedDistribution.__init__` (subclasses run it with their transforms). */
  _setup(callable: string, baseArg: unknown, transformsArg: unknown, validateArgs: unknown): void {
    if (transformsArg instanceof Transform) this.transforms = [transformsArg];
    else if (Array.isArray(transformsArg)) {
      if (!transformsArg.every((t) => t instanceof Transform)) throw new Error("transforms must be a Transform or a list of Transforms");
      this.transforms = transformsArg as Transform[];
    } else throw new Error(`transforms must be a Transform or list, but was ${String(transformsArg)}`);
    if (!(baseArg instanceof Distribution)) throw new TypeError(`${callable}(): baseDistribution must be a Distribution`);
    let base: Distribution = baseArg;
    const baseShape = [...base.batchShape, ...base.eventShape];
    const baseEventDim = base.eventShape.length;
    const transform = new ComposeTransform(this.transforms);
    const domainEventDim = transform.domain.eventDim;
    if (baseShape.length < domainEventDim) {
      throw new Error(`base_distribution needs to have shape with size at least ${domainEventDim}, but got ${formatSize(baseShape)}.`);
    }
    const shape = transform.forwardShape(baseShape);
    const expandedBaseShape = transform.inverseShape(shape);
    if (!sameShape(baseShape, expandedBaseShape)) {
      base = base.expand(expandedBaseShape.slice(0, expandedBaseShape.length - baseEventDim));
    }
    const reinterpreted = domainEventDim - baseEventDim;
    if (reinterpreted > 0) base = new Independent(base, reinterpreted);
    this.baseDist = base;
    const eventDim = transform.codomain.eventDim + Math.max(baseEventDim - domainEventDim, 0);
    const cut = shape.length - eventDim;
    this._init(shape.slice(0, cut), shape.slice(cut), boolArg(callable, "validateArgs", validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return {};
  }
  override _expand(batchShape: number[]): TransformedDistribution {
    return this._expandInto(this._newInstance(), batchShape);
  }
  /** @internal Python's `TransformedDistribution.expand(batch_shape, _instance=n)`. */
  _expandInto<T extends TransformedDistribution>(n: T, batchShape: number[]): T {
    let shape = [...batchShape, ...this._eventShape];
    for (const t of [...this.transforms].reverse()) shape = t.inverseShape(shape);
    n.baseDist = this.baseDist.expand(shape.slice(0, shape.length - this.baseDist.eventShape.length));
    n.transforms = this.transforms;
    return this._finishExpand(n, batchShape);
  }
  override get support(): constraints.Constraint {
    if (this.transforms.length === 0) return this.baseDist.support;
    let support = this.transforms[this.transforms.length - 1]!.codomain;
    if (this._eventShape.length > support.eventDim) support = constraints.independent(support, this._eventShape.length - support.eventDim);
    return support;
  }
  override get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }
  override _sample(sampleShape: number[]): Tensor {
    let x = this.baseDist.sample(sampleShape);
    for (const t of this.transforms) x = t.call(x);
    return x;
  }
  override _rsample(sampleShape: number[]): Tensor {
    let x = this.baseDist.rsample(sampleShape);
    for (const t of this.transforms) x = t.call(x);
    return x;
  }
  override _logProb(value: Tensor): Tensor {
    this._maybeValidate(value);
    let eventDim = this._eventShape.length;
    let logProb: Tensor | undefined;
    let y = value;
    for (const t of [...this.transforms].reverse()) {
      const x = t.inv.call(y);
      eventDim += t.domain.eventDim - t.codomain.eventDim;
      const term = sumRightmost(t.logAbsDetJacobian(x, y), eventDim - t.domain.eventDim);
      logProb = logProb === undefined ? rsub(term, 0.0) : logProb.sub(term);
      y = x;
    }
    const base = sumRightmost(this.baseDist.logProb(y), eventDim - this.baseDist.eventShape.length);
    return logProb === undefined ? base.add(0.0) : logProb.add(base);
  }
  /** @internal Flips the cdf of a monotone decreasing composition. */
  _monotonizeCdf(value: Tensor): Tensor {
    let sign: Sign = 1;
    for (const t of this.transforms) {
      const s = t.sign;
      sign = typeof sign === "number" && typeof s === "number" ? sign * s : s instanceof Tensor ? s.mul(sign as Tensor) : (sign as Tensor).mul(s);
    }
    if (sign === 1) return value;
    return typeof sign === "number" ? value.sub(0.5).mul(sign).add(0.5) : sign.mul(value.sub(0.5)).add(0.5);
  }
  override _cdf(value: Tensor): Tensor {
    for (const t of [...this.transforms].reverse()) value = t.inv.call(value);
    if (this._validateArgs) this.baseDist._validateSample(value);
    return this._monotonizeCdf(this.baseDist.cdf(value));
  }
  override _icdf(value: Tensor): Tensor {
    value = this.baseDist.icdf(this._monotonizeCdf(value));
    for (const t of this.transforms) value = t.call(value);
    return value;
  }
}
