// Independent: reinterprets batch dims of a distribution as event dims (torch/distributions/independent.py).
import { Tensor } from "../tensor/tensor.js";
import * as constraints from "./constraints.js";
import { Distribution } from "./distribution.js";
import { bindArgs } from "../binding/index.js";
import { boolArg, intArg, sumRightmost, type CtorArgs, type ValidateArgsOption } from "./utils.js";

export interface IndependentOptions extends ValidateArgsOption {
  baseDistribution?: Distribution;
  reinterpretedBatchNdims?: number;
}

/**
 * Reinterprets `reinterpretedBatchNdims` rightmost batch dims of `baseDistribution` as event dims:
 * `logProb` sums over them. E.g. a diagonal normal from a batch of univariate normals.
 *
 * Example:
 * ```ts
 * const normal = new Normal(torch.zeros([3]), torch.ones([3]));  // batchShape [3]
 * const diagn = new Independent(normal, 1);                        // eventShape [3]
 * ```
 */
export class Independent extends Distribution {
  baseDist!: Distribution;
  reinterpretedBatchNdims!: number;

  constructor(
    ...args: CtorArgs<[baseDistribution: Distribution, reinterpretedBatchNdims: number, validateArgs: boolean | null], IndependentOptions>
  ) {
    super();
    const a = bindArgs("torch.distributions.Independent", args);
    const base = a.baseDistribution;
    if (!(base instanceof Distribution)) throw new TypeError("Independent(): baseDistribution must be a Distribution");
    const n = intArg("Independent", "reinterpretedBatchNdims", a.reinterpretedBatchNdims);
    if (n > base.batchShape.length) {
      throw new Error(`Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual ${n} vs ${base.batchShape.length}`);
    }
    const shape = [...base.batchShape, ...base.eventShape];
    const eventDim = n + base.eventShape.length;
    this.baseDist = base;
    this.reinterpretedBatchNdims = n;
    this._init(shape.slice(0, shape.length - eventDim), shape.slice(shape.length - eventDim), boolArg("Independent", "validateArgs", a.validateArgs));
  }
  override get argConstraints(): Record<string, constraints.Constraint> {
    return {};
  }
  override _expand(batchShape: number[]): Independent {
    const n = this._newInstance();
    n.baseDist = this.baseDist._expand([...batchShape, ...this._eventShape.slice(0, this.reinterpretedBatchNdims)]);
    n.reinterpretedBatchNdims = this.reinterpretedBatchNdims;
    return this._finishExpand(n, batchShape);
  }
  override get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }
  override get hasEnumerateSupport(): boolean {
    if (this.reinterpretedBatchNdims > 0) return false;
    return this.baseDist.hasEnumerateSupport;
  }
  override get support(): constraints.Constraint {
    const result = this.baseDist.support;
    return this.reinterpretedBatchNdims ? constraints.independent(result, this.reinterpretedBatchNdims) : result;
  }
  override get mean(): Tensor {
    return this.baseDist.mean;
  }
  override get mode(): Tensor {
    return this.baseDist.mode;
  }
  override get variance(): Tensor {
    return this.baseDist.variance;
  }
  override _sample(sampleShape: number[]): Tensor {
    return this.baseDist.sample(sampleShape);
  }
  override _rsample(sampleShape: number[]): Tensor {
    return this.baseDist.rsample(sampleShape);
  }
  override _logProb(value: Tensor): Tensor {
    return sumRightmost(this.baseDist.logProb(value), this.reinterpretedBatchNdims);
  }
  override _entropy(): Tensor {
    return sumRightmost(this.baseDist.entropy(), this.reinterpretedBatchNdims);
  }
  override _enumerateSupport(expand: boolean): Tensor {
    if (this.reinterpretedBatchNdims > 0) throw new Error("Enumeration over cartesian product is not implemented");
    return this.baseDist.enumerateSupport(expand);
  }
  override toString(): string {
    return `Independent(${this.baseDist.toString()}, ${this.reinterpretedBatchNdims})`;
  }
}
