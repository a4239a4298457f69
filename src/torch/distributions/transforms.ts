// Transforms: invertible maps between constrained spaces with their log-det-Jacobians
// (torch/distributions/transforms.py). Python calls a transform as `t(x)`; here `t.call(x)`.
import { Tensor, describe } from "../tensor/tensor.js";
import { eye, fullLike, zerosLike } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as linalg from "../generated/linalg.js";
import * as constraints from "./constraints.js";
import type { Distribution } from "./distribution.js";
import { bindArgs, type ArgsOf, type BoundArgs } from "../binding/index.js";
import { bindMethod } from "./method-binding.js";
import { followsTorch2, requireTorch2 } from "./python-version.js";
import {
  broadcastAll, broadcastShapes, finfo, formatSize, intArg, rsub, sameShape, shapeArg, sumRightmost, tensorArg, trilMatrixToVec,
  vecToTrilMatrix, type CtorArgs, type TensorLike,
} from "./utils.js";

/** `sign` of a monotone transform: +1/-1 for a number scale, a tensor for a tensor scale. */
export type Sign = number | Tensor;

function cacheSizeArg(callable: string, value: unknown): 0 | 1 {
  const n = intArg(callable, "cacheSize", value, 0);
  if (n !== 0 && n !== 1) throw new Error("cache_size must be 0 or 1");
  return n;
}

/**
 * Abstract class for invertible transformations with computable log det jacobians.
 *
 * `call(x)` computes the forward map, `inv.call(y)` the inverse, `logAbsDetJacobian(x, y)` the
 * log of the absolute determinant of the Jacobian. With `cacheSize: 1` the latest (x, y) pair is
 * cached, so `inv.call(t.call(x))` returns `x` itself (useful for transforms whose inverse is
 * expensive or unstable).
 *
 * Example:
 * ```ts
 * const t = new ExpTransform();
 * const y = t.call(torch.tensor([0.0, 1.0])); // [1, e]
 * t.inv.call(y); // [0, 1]
 * ```
 */
export class Transform {
  /** @internal */ _cacheSize: 0 | 1;
  /** @internal */ _inv: Transform | undefined;
  /** @internal */ _cachedX: Tensor | undefined;
  /** @internal */ _cachedY: Tensor | undefined;

  constructor(...args: CtorArgs<[cacheSize: number], { cacheSize?: number }>) {
    // A built-in transform whose only parameter is cache_size binds as itself (errors name it).
    const qualname = new.target !== undefined && cacheSizeOnly.has(new.target) ? `torch.distributions.${new.target.name}` : "torch.distributions.Transform";
    const a = bindArgs(qualname, args);
    this._cacheSize = cacheSizeArg(this.constructor.name, a.cacheSize);
  }
  /** Whether the transform is bijective (`t.inv.call(t.call(x)) == x`). */
  get bijective(): boolean {
    return false;
  }
  /** The constraint the inputs satisfy. */
  get domain(): constraints.Constraint {
    throw new Error(`${this.constructor.name} does not define domain`);
  }
  /** The constraint the outputs satisfy. */
  get codomain(): constraints.Constraint {
    throw new Error(`${this.constructor.name} does not define codomain`);
  }
  /** The event dim shared by domain and codomain (an error when they differ). */
  get eventDim(): number {
    if (this.domain.eventDim === this.codomain.eventDim) return this.domain.eventDim;
    throw new Error("Please use either .domain.event_dim or .codomain.event_dim");
  }
  /** The inverse transform (`t.inv.inv === t`). */
  get inv(): Transform {
    this._inv ??= new InverseTransform(this);
    return this._inv;
  }
  /** The sign of the Jacobian determinant, for monotone univariate transforms. */
  get sign(): Sign {
    throw new Error(`${this.constructor.name} does not implement sign`);
  }
  /** This transform with `cacheSize` (0 or 1). */
  withCache(...args: ArgsOf<"torch.distributions.transforms.Transform.with_cache">): Transform {
    const a = this._bind("with_cache", args);
    const n = cacheSizeArg(`${this.constructor.name}.withCache`, a.cacheSize ?? 1);
    if (this._cacheSize === n) return this;
    return this._withCache(n);
  }
  /** @internal A copy with another cache size (transforms without parameters need not override). */
  _withCache(cacheSize: 0 | 1): Transform {
    const ctor = this.constructor as new (options: { cacheSize: number }) => Transform;
    return new ctor({ cacheSize });
  }
  /** Whether `other` is the same transform (Python's `==`). */
  equals(other: Transform): boolean {
    return this === other;
  }
  /** Applies the transform (Python's `t(x)`). */
  call(...args: ArgsOf<"torch.distributions.transforms.Transform.__call__">): Tensor {
    const a = this._bind("__call__", args);
    return this._cachedCall(tensorArg(`${this.constructor.name}.call`, "x", a.x)!);
  }
  /** @internal Python's `__call__`: the forward map through the cache. */
  _cachedCall(x: Tensor): Tensor {
    if (this._cacheSize === 0) return this._call(x);
    if (x === this._cachedX) return this._cachedY!;
    const y = this._call(x);
    this._cachedX = x;
    this._cachedY = y;
    return y;
  }
  /** @internal The inverse with the cache. */
  _invCall(y: Tensor): Tensor {
    if (this._cacheSize === 0) return this._inverse(y);
    if (y === this._cachedY) return this._cachedX!;
    const x = this._inverse(y);
    this._cachedX = x;
    this._cachedY = y;
    return x;
  }
  /** @internal */
  _call(_x: Tensor): Tensor {
    throw new Error(`${this.constructor.name} does not implement the forward map`);
  }
  /** @internal */
  _inverse(_y: Tensor): Tensor {
    throw new Error(`${this.constructor.name} does not implement the inverse`);
  }
  /** `log |dy/dx|` given input and output. */
  logAbsDetJacobian(...args: ArgsOf<"torch.distributions.transforms.Transform.log_abs_det_jacobian">): Tensor {
    const a = this._bind("log_abs_det_jacobian", args);
    const callable = `${this.constructor.name}.logAbsDetJacobian`;
    return this._logAbsDetJacobian(tensorArg(callable, "x", a.x)!, tensorArg(callable, "y", a.y)!);
  }
  /** @internal */
  _logAbsDetJacobian(_x: Tensor, _y: Tensor): Tensor {
    throw new Error(`${this.constructor.name} does not implement logAbsDetJacobian`);
  }
  /** The output shape for an input shape. */
  forwardShape(...args: ArgsOf<"torch.distributions.transforms.Transform.forward_shape">): number[] {
    const a = this._bind("forward_shape", args);
    return this._forwardShape(shapeArg(`${this.constructor.name}.forwardShape`, "shape", a.shape));
  }
  /** @internal */
  _forwardShape(shape: readonly number[]): number[] {
    return [...shape];
  }
  /** The input shape for an output shape. */
  inverseShape(...args: ArgsOf<"torch.distributions.transforms.Transform.inverse_shape">): number[] {
    const a = this._bind("inverse_shape", args);
    return this._inverseShape(shapeArg(`${this.constructor.name}.inverseShape`, "shape", a.shape));
  }
  /** @internal */
  _inverseShape(shape: readonly number[]): number[] {
    return [...shape];
  }
  /** @internal Binds a method's arguments to Python's signature of it for this class. */
  _bind(pythonMethod: string, args: ArrayLike<unknown>): BoundArgs {
    return bindMethod(this, "torch.distributions.transforms", pythonMethod, args);
  }
  toString(): string {
    return `${this.constructor.name}()`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** The inverse of a transform (Python's `_InverseTransform`), as `t.inv` returns. */
export class InverseTransform extends Transform {
  /** @internal */ override _inv: Transform;
  constructor(transform: Transform) {
    super({ cacheSize: transform._cacheSize });
    this._inv = transform;
  }
  override get domain(): constraints.Constraint {
    return this._inv.codomain;
  }
  override get codomain(): constraints.Constraint {
    return this._inv.domain;
  }
  override get bijective(): boolean {
    return this._inv.bijective;
  }
  override get sign(): Sign {
    return this._inv.sign;
  }
  override get inv(): Transform {
    return this._inv;
  }
  override _withCache(cacheSize: 0 | 1): Transform {
    return this._inv.withCache(cacheSize).inv;
  }
  override equals(other: Transform): boolean {
    return other instanceof InverseTransform && this._inv.equals(other._inv);
  }
  override _cachedCall(x: Tensor): Tensor {
    return this._inv._invCall(x);
  }
  override _logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    return this._inv.logAbsDetJacobian(y, x).neg();
  }
  override _forwardShape(shape: readonly number[]): number[] {
    return this._inv.inverseShape(shape);
  }
  override _inverseShape(shape: readonly number[]): number[] {
    return this._inv.forwardShape(shape);
  }
  override toString(): string {
    return `_InverseTransform(${this._inv.toString()})`;
  }
}

/**
 * Composes transforms in a chain: `parts[0]` first.
 *
 * Args:
 *   parts: the transforms to compose.
 *   cacheSize: 0 or 1.
 */
export class ComposeTransform extends Transform {
  readonly parts: Transform[];
  constructor(parts: readonly Transform[] | { parts: readonly Transform[]; cacheSize?: number }, options: { cacheSize?: number } = {}, ...extra: never[]) {
    const a = bindArgs("torch.distributions.ComposeTransform", [parts, options, ...extra]);
    const cacheSize = cacheSizeArg("ComposeTransform", a.cacheSize);
    super({ cacheSize });
    if (!Array.isArray(a.parts) || !a.parts.every((p) => p instanceof Transform)) {
      throw new TypeError("ComposeTransform(): parts must be an array of Transforms");
    }
    this.parts = cacheSize ? (a.parts as Transform[]).map((p) => p.withCache(cacheSize)) : [...(a.parts as Transform[])];
  }
  override equals(other: Transform): boolean {
    return other instanceof ComposeTransform && other.parts.length === this.parts.length && this.parts.every((p, i) => p.equals(other.parts[i]!));
  }
  override get domain(): constraints.Constraint {
    if (this.parts.length === 0) return constraints.real;
    let domain = this.parts[0]!.domain;
    let eventDim = this.parts[this.parts.length - 1]!.codomain.eventDim;
    for (const part of [...this.parts].reverse()) {
      eventDim += part.domain.eventDim - part.codomain.eventDim;
      eventDim = Math.max(eventDim, part.domain.eventDim);
    }
    if (eventDim > domain.eventDim) domain = constraints.independent(domain, eventDim - domain.eventDim);
    return domain;
  }
  override get codomain(): constraints.Constraint {
    if (this.parts.length === 0) return constraints.real;
    let codomain = this.parts[this.parts.length - 1]!.codomain;
    let eventDim = this.parts[0]!.domain.eventDim;
    for (const part of this.parts) {
      eventDim += part.codomain.eventDim - part.domain.eventDim;
      eventDim = Math.max(eventDim, part.codomain.eventDim);
    }
    if (eventDim > codomain.eventDim) codomain = constraints.independent(codomain, eventDim - codomain.eventDim);
    return codomain;
  }
  override get bijective(): boolean {
    return this.parts.every((p) => p.bijective);
  }
  override get sign(): Sign {
    let sign: Sign = 1;
    for (const p of this.parts) {
      const s = p.sign;
      sign = typeof sign === "number" && typeof s === "number" ? sign * s : s instanceof Tensor ? s.mul(sign as Tensor) : (sign as Tensor).mul(s);
    }
    return sign;
  }
  override get inv(): Transform {
    if (!this._inv) {
      const inv = new ComposeTransform([...this.parts].reverse().map((p) => p.inv));
      this._inv = inv;
      inv._inv = this;
    }
    return this._inv;
  }
  override _withCache(cacheSize: 0 | 1): Transform {
    return new ComposeTransform(this.parts, { cacheSize });
  }
  override _cachedCall(x: Tensor): Tensor {
    for (const part of this.parts) x = part.call(x);
    return x;
  }
  override _logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    if (this.parts.length === 0) return zerosLike(x);
    const xs = [x];
    for (const part of this.parts.slice(0, -1)) xs.push(part.call(xs[xs.length - 1]!));
    xs.push(y);
    const terms: Tensor[] = [];
    let eventDim = this.domain.eventDim;
    this.parts.forEach((part, i) => {
      terms.push(sumRightmost(part.logAbsDetJacobian(xs[i]!, xs[i + 1]!), eventDim - part.domain.eventDim));
      eventDim += part.codomain.eventDim - part.domain.eventDim;
    });
    return terms.reduce((a, b) => a.add(b));
  }
  override _forwardShape(shape: readonly number[]): number[] {
    let s = [...shape];
    for (const part of this.parts) s = part.forwardShape(s);
    return s;
  }
  override _inverseShape(shape: readonly number[]): number[] {
    let s = [...shape];
    for (const part of [...this.parts].reverse()) s = part.inverseShape(s);
    return s;
  }
  override toString(): string {
    return `ComposeTransform(\n    ${this.parts.map((p) => p.toString()).join(",\n    ")}\n)`;
  }
}

/** The identity: a composition of no transforms. */
export const identityTransform: ComposeTransform = emptyComposition();

// Built without the constructor: binding arguments reads the running libtorch's version, and
// importing torch must not load libtorch.
function emptyComposition(): ComposeTransform {
  const t = Object.create(ComposeTransform.prototype) as ComposeTransform;
  Object.assign(t, { _cacheSize: 0, _inv: undefined, _cachedX: undefined, _cachedY: undefined, parts: [] });
  return t;
}

/**
 * Wraps a transform to treat `reinterpretedBatchNdims` extra rightmost dims as dependent: the
 * forward and inverse maps are unchanged, `logAbsDetJacobian` sums out those dims.
 */
export class IndependentTransform extends Transform {
  readonly baseTransform: Transform;
  readonly reinterpretedBatchNdims: number;
  constructor(
    baseTransform: Transform | { baseTransform: Transform; reinterpretedBatchNdims: number; cacheSize?: number },
    reinterpretedBatchNdims?: number | { reinterpretedBatchNdims?: number; cacheSize?: number },
    options?: { cacheSize?: number },
    ...extra: never[]
  ) {
    const a = bindArgs("torch.distributions.IndependentTransform", [baseTransform, reinterpretedBatchNdims, options, ...extra]);
    const cacheSize = cacheSizeArg("IndependentTransform", a.cacheSize);
    super({ cacheSize });
    if (!(a.baseTransform instanceof Transform)) throw new TypeError("IndependentTransform(): baseTransform must be a Transform");
    this.baseTransform = a.baseTransform.withCache(cacheSize);
    this.reinterpretedBatchNdims = intArg("IndependentTransform", "reinterpretedBatchNdims", a.reinterpretedBatchNdims);
  }
  override _withCache(cacheSize: 0 | 1): Transform {
    return new IndependentTransform(this.baseTransform, this.reinterpretedBatchNdims, { cacheSize });
  }
  override get domain(): constraints.Constraint {
    return constraints.independent(this.baseTransform.domain, this.reinterpretedBatchNdims);
  }
  override get codomain(): constraints.Constraint {
    return constraints.independent(this.baseTransform.codomain, this.reinterpretedBatchNdims);
  }
  override get bijective(): boolean {
    return this.baseTransform.bijective;
  }
  override get sign(): Sign {
    return this.baseTransform.sign;
  }
  override _call(x: Tensor): Tensor {
    if (x.dim() < this.domain.eventDim) throw new Error("Too few dimensions on input");
    return this.baseTransform.call(x);
  }
  override _inverse(y: Tensor): Tensor {
    if (y.dim() < this.codomain.eventDim) throw new Error("Too few dimensions on input");
    return this.baseTransform.inv.call(y);
  }
  override _logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    return sumRightmost(this.baseTransform.logAbsDetJacobian(x, y), this.reinterpretedBatchNdims);
  }
  override _forwardShape(shape: readonly number[]): number[] {
    return this.baseTransform.forwardShape(shape);
  }
  override _inverseShape(shape: readonly number[]): number[] {
    return this.baseTransform.inverseShape(shape);
  }
  override toString(): string {
    return `IndependentTransform(${this.baseTransform.toString()}, ${this.reinterpretedBatchNdims})`;
  }
}

/** Reshapes the rightmost part of a tensor from `inShape` to `outShape` (unit Jacobian). */
export class ReshapeTransform extends Transform {
  readonly inShape: number[];
  readonly outShape: number[];
  constructor(
    inShape: readonly number[] | { inShape: readonly number[]; outShape: readonly number[]; cacheSize?: number },
    outShape?: readonly number[] | { outShape?: readonly number[]; cacheSize?: number },
    options?: { cacheSize?: number },
    ...extra: never[]
  ) {
    const a = bindArgs("torch.distributions.ReshapeTransform", [inShape, outShape, options, ...extra]);
    const inS = shapeArg("ReshapeTransform", "inShape", a.inShape);
    const outS = shapeArg("ReshapeTransform", "outShape", a.outShape);
    if (inS.reduce((x, y) => x * y, 1) !== outS.reduce((x, y) => x * y, 1)) {
      throw new Error("in_shape, out_shape have different numbers of elements");
    }
    super({ cacheSize: cacheSizeArg("ReshapeTransform", a.cacheSize) });
    this.inShape = inS;
    this.outShape = outS;
  }
  override get bijective(): boolean {
    return true;
  }
  override get domain(): constraints.Constraint {
    return constraints.independent(constraints.real, this.inShape.length);
  }
  override get codomain(): constraints.Constraint {
    return constraints.independent(constraints.real, this.outShape.length);
  }
  override _withCache(cacheSize: 0 | 1): Transform {
    return new ReshapeTransform(this.inShape, this.outShape, { cacheSize });
  }
  override _call(x: Tensor): Tensor {
    return x.reshape([...x.shape.slice(0, x.dim() - this.inShape.length), ...this.outShape]);
  }
  override _inverse(y: Tensor): Tensor {
    return y.reshape([...y.shape.slice(0, y.dim() - this.outShape.length), ...this.inShape]);
  }
  override _logAbsDetJacobian(x: Tensor, _y: Tensor): Tensor {
    return x.newZeros(x.shape.slice(0, x.dim() - this.inShape.length));
  }
  override _forwardShape(shape: readonly number[]): number[] {
    if (shape.length < this.inShape.length) throw new Error("Too few dimensions on input");
    const cut = shape.length - this.inShape.length;
    if (!sameShape(shape.slice(cut), this.inShape)) {
      throw new Error(`Shape mismatch: expected ${formatSize(shape.slice(cut))} but got ${formatSize(this.inShape)}`);
    }
    return [...shape.slice(0, cut), ...this.outShape];
  }
  override _inverseShape(shape: readonly number[]): number[] {
    if (shape.length < this.outShape.length) throw new Error("Too few dimensions on input");
    const cut = shape.length - this.outShape.length;
    if (!sameShape(shape.slice(cut), this.outShape)) {
      throw new Error(`Shape mismatch: expected ${formatSize(shape.slice(cut))} but got ${formatSize(this.outShape)}`);
    }
    return [...shape.slice(0, cut), ...this.inShape];
  }
}

/** y = exp(x). */
export class ExpTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  override get bijective(): boolean {
    return true;
  }
  override get sign(): Sign {
    return 1;
  }
  override equals(other: Transform): boolean {
    return other instanceof ExpTransform;
  }
  override _call(x: Tensor): Tensor {
    return x.exp();
  }
  override _inverse(y: Tensor): Tensor {
    return y.log();
  }
  override _logAbsDetJacobian(x: Tensor, _y: Tensor): Tensor {
    return x;
  }
}

/** y = x^exponent. */
export class PowerTransform extends Transform {
  readonly exponent: Tensor;
  constructor(exponent: TensorLike | { exponent: TensorLike; cacheSize?: number }, options?: { cacheSize?: number }, ...extra: never[]) {
    const a = bindArgs("torch.distributions.PowerTransform", [exponent, options, ...extra]);
    super({ cacheSize: cacheSizeArg("PowerTransform", a.cacheSize) });
    if (!(a.exponent instanceof Tensor) && typeof a.exponent !== "number") throw new TypeError("PowerTransform(): exponent must be a Tensor or a number");
    [this.exponent] = broadcastAll(a.exponent) as [Tensor];
  }
  override get domain(): constraints.Constraint {
    return constraints.positive;
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  override get bijective(): boolean {
    return true;
  }
  /** torch 2.x: the exponent's sign; 1.13 says +1 whatever the exponent. */
  override get sign(): Sign {
    return followsTorch2() ? this.exponent.sign() : 1;
  }
  override _withCache(cacheSize: 0 | 1): Transform {
    return new PowerTransform(this.exponent, { cacheSize });
  }
  override equals(other: Transform): boolean {
    return other instanceof PowerTransform && this.exponent.eq(other.exponent).all().item<boolean>();
  }
  override _call(x: Tensor): Tensor {
    return x.pow(this.exponent);
  }
  override _inverse(y: Tensor): Tensor {
    return y.pow(this.exponent.reciprocal());
  }
  override _logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    return this.exponent.mul(y).div(x).abs().log();
  }
  override _forwardShape(shape: readonly number[]): number[] {
    return broadcastShapes(shape, this.exponent.shape);
  }
  override _inverseShape(shape: readonly number[]): number[] {
    return broadcastShapes(shape, this.exponent.shape);
  }
}

function clippedSigmoid(x: Tensor): Tensor {
  const f = finfo(x.dtype);
  return ops.sigmoid(x).clamp({ min: f.tiny, max: 1.0 - f.eps });
}

/** y = 1 / (1 + exp(-x)). */
export class SigmoidTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.unitInterval;
  }
  override get bijective(): boolean {
    return true;
  }
  override get sign(): Sign {
    return 1;
  }
  override equals(other: Transform): boolean {
    return other instanceof SigmoidTransform;
  }
  override _call(x: Tensor): Tensor {
    return clippedSigmoid(x);
  }
  override _inverse(y: Tensor): Tensor {
    const f = finfo(y.dtype);
    const c = y.clamp({ min: f.tiny, max: 1.0 - f.eps });
    return c.log().sub(c.neg().log1p());
  }
  override _logAbsDetJacobian(x: Tensor, _y: Tensor): Tensor {
    return ops.softplus(x.neg()).neg().sub(ops.softplus(x));
  }
}

/** y = log(1 + exp(x)); reverts to linear when x > 20. */
export class SoftplusTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  override get bijective(): boolean {
    return true;
  }
  override get sign(): Sign {
    return 1;
  }
  override equals(other: Transform): boolean {
    return other instanceof SoftplusTransform;
  }
  override _call(x: Tensor): Tensor {
    return ops.softplus(x);
  }
  override _inverse(y: Tensor): Tensor {
    return y.neg().expm1().neg().log().add(y);
  }
  override _logAbsDetJacobian(x: Tensor, _y: Tensor): Tensor {
    return ops.softplus(x.neg()).neg();
  }
}

/** y = tanh(x). */
export class TanhTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.interval(-1.0, 1.0);
  }
  override get bijective(): boolean {
    return true;
  }
  override get sign(): Sign {
    return 1;
  }
  override equals(other: Transform): boolean {
    return other instanceof TanhTransform;
  }
  override _call(x: Tensor): Tensor {
    return x.tanh();
  }
  override _inverse(y: Tensor): Tensor {
    return ops.atanh(y);
  }
  override _logAbsDetJacobian(x: Tensor, _y: Tensor): Tensor {
    // Python: 2.0 * (math.log(2.0) - x - softplus(-2.0 * x))
    return rsub(x, Math.log(2.0)).sub(ops.softplus(x.mul(-2.0))).mul(2.0);
  }
}

/** y = |x| (not bijective; the inverse returns y). */
export class AbsTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.real;
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  override equals(other: Transform): boolean {
    return other instanceof AbsTransform;
  }
  override _call(x: Tensor): Tensor {
    return x.abs();
  }
  override _inverse(y: Tensor): Tensor {
    return y;
  }
}

/**
 * y = loc + scale * x, pointwise.
 *
 * Args:
 *   loc: location (tensor or number).
 *   scale: scale (tensor or number).
 *   eventDim: the size of the event (1 for vectors, 2 for matrices, ...).
 *   cacheSize: 0 or 1.
 */
export class AffineTransform extends Transform {
  readonly loc: TensorLike;
  readonly scale: TensorLike;
  /** @internal */ readonly _eventDim: number;
  constructor(
    loc: TensorLike | { loc: TensorLike; scale: TensorLike; eventDim?: number; cacheSize?: number },
    scale?: TensorLike | { scale?: TensorLike; eventDim?: number; cacheSize?: number },
    eventDim?: number | { eventDim?: number; cacheSize?: number },
    options?: { cacheSize?: number },
    ...extra: never[]
  ) {
    const a = bindArgs("torch.distributions.AffineTransform", [loc, scale, eventDim, options, ...extra]);
    super({ cacheSize: cacheSizeArg("AffineTransform", a.cacheSize) });
    for (const k of ["loc", "scale"]) {
      if (!(a[k] instanceof Tensor) && typeof a[k] !== "number") throw new TypeError(`AffineTransform(): ${k} must be a Tensor or a number`);
    }
    this.loc = a.loc as TensorLike;
    this.scale = a.scale as TensorLike;
    this._eventDim = intArg("AffineTransform", "eventDim", a.eventDim, 0);
  }
  override get eventDim(): number {
    return this._eventDim;
  }
  override get domain(): constraints.Constraint {
    return this._eventDim === 0 ? constraints.real : constraints.independent(constraints.real, this._eventDim);
  }
  override get codomain(): constraints.Constraint {
    return this.domain;
  }
  override get bijective(): boolean {
    return true;
  }
  override _withCache(cacheSize: 0 | 1): Transform {
    return new AffineTransform(this.loc, this.scale, this._eventDim, { cacheSize });
  }
  override equals(other: Transform): boolean {
    if (!(other instanceof AffineTransform)) return false;
    const same = (a: TensorLike, b: TensorLike) =>
      typeof a === "number" && typeof b === "number" ? a === b : (a instanceof Tensor ? a.eq(b as Tensor) : (b as Tensor).eq(a)).all().item<boolean>();
    return same(this.loc, other.loc) && same(this.scale, other.scale);
  }
  override get sign(): Sign {
    if (typeof this.scale === "number") return this.scale > 0 ? 1 : this.scale < 0 ? -1 : 0;
    return this.scale.sign();
  }
  override _call(x: Tensor): Tensor {
    // Python: self.loc + self.scale * x
    const sx = typeof this.scale === "number" ? x.mul(this.scale) : this.scale.mul(x);
    return typeof this.loc === "number" ? sx.add(this.loc) : this.loc.add(sx);
  }
  override _inverse(y: Tensor): Tensor {
    return y.sub(this.loc).div(this.scale);
  }
  override _logAbsDetJacobian(x: Tensor, _y: Tensor): Tensor {
    let shape = x.shape;
    let result = typeof this.scale === "number" ? fullLike(x, Math.log(Math.abs(this.scale))) : ops.abs(this.scale).log();
    if (this._eventDim) {
      result = result.view([...result.shape.slice(0, result.dim() - this._eventDim), -1]).sum(-1);
      shape = shape.slice(0, shape.length - this._eventDim);
    }
    return result.expand(shape);
  }
  override _forwardShape(shape: readonly number[]): number[] {
    const s = (v: TensorLike) => (v instanceof Tensor ? v.shape : []);
    return broadcastShapes(shape, s(this.loc), s(this.scale));
  }
  override _inverseShape(shape: readonly number[]): number[] {
    return this.forwardShape(shape);
  }
}

/**
 * Maps unconstrained vectors of length `D(D-1)/2` to Cholesky factors of `D`-dimensional
 * correlation matrices (lower triangular, positive diagonal, unit-norm rows).
 */
export class CorrCholeskyTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  override get codomain(): constraints.Constraint {
    return constraints.corrCholesky;
  }
  override get bijective(): boolean {
    return true;
  }
  override _call(x: Tensor): Tensor {
    let t = ops.tanh(x);
    const eps = finfo(t.dtype).eps;
    t = t.clamp({ min: -1 + eps, max: 1 - eps });
    let r = vecToTrilMatrix(t, -1);
    const z = r.pow(2);
    const z1mCumprodSqrt = rsub(z, 1).sqrt().cumprod(-1);
    r = r.add(eye(r.shape[r.dim() - 1]!, undefined, { dtype: r.dtype, device: r.device }));
    return r.mul(ops.constantPadNd(z1mCumprodSqrt.idx(["...", ":-1"]), [1, 0], 1));
  }
  override _inverse(y: Tensor): Tensor {
    const yCumsum = rsub(ops.cumsum(y.mul(y), -1), 1);
    const yCumsumShifted = ops.constantPadNd(yCumsum.idx(["...", ":-1"]), [1, 0], 1);
    const yVec = trilMatrixToVec(y, -1);
    const yCumsumVec = trilMatrixToVec(yCumsumShifted, -1);
    const t = yVec.div(yCumsumVec.sqrt());
    // torch 2.x: (log1p(t) - log1p(-t)) / 2 (1.13: log((1 + t) / (1 - t)) / 2), as Python of the running version.
    return followsTorch2() ? t.log1p().sub(t.neg().log1p()).div(2) : t.add(1).div(rsub(t, 1)).log().div(2);
  }
  /** `log |dy/dx|`; Python's `intermediates` argument is accepted and unused, as in Python. */
  override logAbsDetJacobian(...args: ArgsOf<"torch.distributions.transforms.CorrCholeskyTransform.log_abs_det_jacobian">): Tensor {
    const a = this._bind("log_abs_det_jacobian", args);
    return this._logAbsDetJacobian(tensorArg("CorrCholeskyTransform.logAbsDetJacobian", "x", a.x)!, tensorArg("CorrCholeskyTransform.logAbsDetJacobian", "y", a.y)!);
  }
  override _logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const y1mCumsum = rsub(y.mul(y).cumsum(-1), 1);
    const y1mCumsumTril = trilMatrixToVec(y1mCumsum, -2);
    const stickBreakingLogdet = y1mCumsumTril.log().sum(-1).mul(0.5);
    const tanhLogdet = x.add(ops.softplus(x.mul(-2))).sub(Math.log(2.0)).sum(-1).mul(-2);
    return stickBreakingLogdet.add(tanhLogdet);
  }
  override _forwardShape(shape: readonly number[]): number[] {
    if (shape.length < 1) throw new Error("Too few dimensions on input");
    const n = shape[shape.length - 1]!;
    const d = Math.round((0.25 + 2 * n) ** 0.5 + 0.5);
    if ((d * (d - 1)) / 2 !== n) throw new Error("Input is not a flattend lower-diagonal number");
    return [...shape.slice(0, -1), d, d];
  }
  override _inverseShape(shape: readonly number[]): number[] {
    if (shape.length < 2) throw new Error("Too few dimensions on input");
    if (shape[shape.length - 2] !== shape[shape.length - 1]) throw new Error("Input is not square");
    const d = shape[shape.length - 1]!;
    return [...shape.slice(0, -2), (d * (d - 1)) / 2];
  }
}

/** Unconstrained vectors to the simplex by `exp` and normalizing (not bijective). */
export class SoftmaxTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  override get codomain(): constraints.Constraint {
    return constraints.simplex;
  }
  override equals(other: Transform): boolean {
    return other instanceof SoftmaxTransform;
  }
  override _call(x: Tensor): Tensor {
    const probs = x.sub(x.max(-1, true)[0]).exp();
    return probs.div(probs.sum(-1, true));
  }
  override _inverse(y: Tensor): Tensor {
    return y.log();
  }
  override _forwardShape(shape: readonly number[]): number[] {
    if (shape.length < 1) throw new Error("Too few dimensions on input");
    return [...shape];
  }
  override _inverseShape(shape: readonly number[]): number[] {
    return this.forwardShape(shape);
  }
}

/** Unconstrained vectors of length K-1 to the K-simplex by a stick-breaking process (bijective). */
export class StickBreakingTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  override get codomain(): constraints.Constraint {
    return constraints.simplex;
  }
  override get bijective(): boolean {
    return true;
  }
  override equals(other: Transform): boolean {
    return other instanceof StickBreakingTransform;
  }
  override _call(x: Tensor): Tensor {
    const k = x.shape[x.dim() - 1]!;
    const offset = rsub(x.newOnes([k]).cumsum(-1), k + 1);
    const z = clippedSigmoid(x.sub(offset.log()));
    const zCumprod = rsub(z, 1).cumprod(-1);
    return ops.constantPadNd(z, [0, 1], 1).mul(ops.constantPadNd(zCumprod, [1, 0], 1));
  }
  override _inverse(y: Tensor): Tensor {
    const yCrop = y.idx(["...", ":-1"]);
    const offset = rsub(y.newOnes([yCrop.shape[yCrop.dim() - 1]!]).cumsum(-1), y.shape[y.dim() - 1]!);
    const sf = rsub(yCrop.cumsum(-1), 1).clamp({ min: finfo(y.dtype).tiny });
    return yCrop.log().sub(sf.log()).add(offset.log());
  }
  override _logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const k = x.shape[x.dim() - 1]!;
    const offset = rsub(x.newOnes([k]).cumsum(-1), k + 1);
    const z = x.sub(offset.log());
    return z.neg().add(ops.logSigmoid(z)).add(y.idx(["...", ":-1"]).log()).sum(-1);
  }
  override _forwardShape(shape: readonly number[]): number[] {
    if (shape.length < 1) throw new Error("Too few dimensions on input");
    return [...shape.slice(0, -1), shape[shape.length - 1]! + 1];
  }
  override _inverseShape(shape: readonly number[]): number[] {
    if (shape.length < 1) throw new Error("Too few dimensions on input");
    return [...shape.slice(0, -1), shape[shape.length - 1]! - 1];
  }
}

/** Unconstrained matrices to lower-triangular matrices with positive diagonals. */
export class LowerCholeskyTransform extends Transform {
  override get domain(): constraints.Constraint {
    return constraints.independent(constraints.real, 2);
  }
  override get codomain(): constraints.Constraint {
    return constraints.lowerCholesky;
  }
  override equals(other: Transform): boolean {
    return other instanceof LowerCholeskyTransform;
  }
  override _call(x: Tensor): Tensor {
    return x.tril(-1).add(x.diagonal({ dim1: -2, dim2: -1 }).exp().diagEmbed());
  }
  override _inverse(y: Tensor): Tensor {
    return y.tril(-1).add(y.diagonal({ dim1: -2, dim2: -1 }).log().diagEmbed());
  }
}

/**
 * Maps unconstrained matrices onto positive-definite ones: `L L^T` with `L` from
 * `LowerCholeskyTransform` (torch 2.x; absent from 1.13, where constructing it throws).
 *
 * Example:
 * ```ts
 * new PositiveDefiniteTransform().call(torch.tensor([[0.3, -1.2], [0.5, 2.0]]));
 * ```
 */
export class PositiveDefiniteTransform extends Transform {
  constructor(...args: CtorArgs<[cacheSize: number], { cacheSize?: number }>) {
    requireTorch2("torch.distributions.PositiveDefiniteTransform");
    super(...args);
  }
  override get domain(): constraints.Constraint {
    return constraints.independent(constraints.real, 2);
  }
  override get codomain(): constraints.Constraint {
    return constraints.positiveDefinite;
  }
  override equals(other: Transform): boolean {
    return other instanceof PositiveDefiniteTransform;
  }
  override _call(x: Tensor): Tensor {
    const l = new LowerCholeskyTransform().call(x);
    return ops.matmul(l, l.mT);
  }
  override _inverse(y: Tensor): Tensor {
    return new LowerCholeskyTransform().inv.call(linalg.cholesky(y));
  }
}

function transformsArg(callable: string, value: unknown): Transform[] {
  if (!Array.isArray(value) || !value.every((t) => t instanceof Transform)) throw new TypeError(`${callable}(): tseq must be an array of Transforms`);
  return value as Transform[];
}

/**
 * Applies a sequence of transforms to slices of `dim` of lengths `lengths`, as `torch.cat`.
 *
 * Example:
 * ```ts
 * const t = new CatTransform([new ExpTransform(), new AffineTransform(1, 3)], 1, [1, 2]);
 * ```
 */
export class CatTransform extends Transform {
  readonly transforms: Transform[];
  readonly lengths: number[];
  readonly dim: number;
  constructor(
    tseq: readonly Transform[] | { tseq: readonly Transform[]; dim?: number; lengths?: readonly number[] | null; cacheSize?: number },
    dim?: number | { dim?: number; lengths?: readonly number[] | null; cacheSize?: number },
    lengths?: readonly number[] | null | { lengths?: readonly number[] | null; cacheSize?: number },
    cacheSize?: number | { cacheSize?: number },
    ...extra: never[]
  ) {
    const a = bindArgs("torch.distributions.CatTransform", [tseq, dim, lengths, cacheSize, ...extra]);
    const n = cacheSizeArg("CatTransform", a.cacheSize);
    super({ cacheSize: n });
    let ts = transformsArg("CatTransform", a.tseq);
    if (n) ts = ts.map((t) => t.withCache(n));
    this.transforms = [...ts];
    this.lengths = a.lengths ? shapeArg("CatTransform", "lengths", a.lengths) : this.transforms.map(() => 1);
    if (this.lengths.length !== this.transforms.length) throw new Error("CatTransform(): lengths must match tseq");
    this.dim = intArg("CatTransform", "dim", a.dim, 0);
  }
  override get eventDim(): number {
    return Math.max(...this.transforms.map((t) => t.eventDim));
  }
  /** The total length along `dim`. */
  get length(): number {
    return this.lengths.reduce((x, y) => x + y, 0);
  }
  override _withCache(cacheSize: 0 | 1): Transform {
    return new CatTransform(this.transforms, this.dim, this.lengths, cacheSize);
  }
  /** @internal */
  _check(z: Tensor): void {
    if (!(-z.dim() <= this.dim && this.dim < z.dim()) || z.size(this.dim) !== this.length) {
      throw new Error(`CatTransform: expected size ${this.length} along dim ${this.dim}, got shape ${formatSize(z.shape)}`);
    }
  }
  override _call(x: Tensor): Tensor {
    this._check(x);
    let start = 0;
    const ys = this.transforms.map((t, i) => {
      const y = t.call(x.narrow(this.dim, start, this.lengths[i]!));
      start += this.lengths[i]!;
      return y;
    });
    return ops.cat(ys, this.dim);
  }
  override _inverse(y: Tensor): Tensor {
    this._check(y);
    let start = 0;
    const xs = this.transforms.map((t, i) => {
      const x = t.inv.call(y.narrow(this.dim, start, this.lengths[i]!));
      start += this.lengths[i]!;
      return x;
    });
    return ops.cat(xs, this.dim);
  }
  override _logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    this._check(x);
    this._check(y);
    const eventDim = this.eventDim;
    let start = 0;
    const terms = this.transforms.map((t, i) => {
      const len = this.lengths[i]!;
      let l = t.logAbsDetJacobian(x.narrow(this.dim, start, len), y.narrow(this.dim, start, len));
      if (t.eventDim < eventDim) l = sumRightmost(l, eventDim - t.eventDim);
      start += len;
      return l;
    });
    let dim = this.dim;
    if (dim >= 0) dim = dim - x.dim();
    dim = dim + eventDim;
    if (dim < 0) return ops.cat(terms, dim);
    return terms.reduce((p, q) => p.add(q));
  }
  override get bijective(): boolean {
    return this.transforms.every((t) => t.bijective);
  }
  override get domain(): constraints.Constraint {
    return constraints.cat(this.transforms.map((t) => t.domain), this.dim, this.lengths);
  }
  override get codomain(): constraints.Constraint {
    return constraints.cat(this.transforms.map((t) => t.codomain), this.dim, this.lengths);
  }
}

/** Applies a sequence of transforms to the slices of `dim`, as `torch.stack`. */
export class StackTransform extends Transform {
  readonly transforms: Transform[];
  readonly dim: number;
  constructor(
    tseq: readonly Transform[] | { tseq: readonly Transform[]; dim?: number; cacheSize?: number },
    dim?: number | { dim?: number; cacheSize?: number },
    cacheSize?: number | { cacheSize?: number },
    ...extra: never[]
  ) {
    const a = bindArgs("torch.distributions.StackTransform", [tseq, dim, cacheSize, ...extra]);
    const n = cacheSizeArg("StackTransform", a.cacheSize);
    super({ cacheSize: n });
    let ts = transformsArg("StackTransform", a.tseq);
    if (n) ts = ts.map((t) => t.withCache(n));
    this.transforms = [...ts];
    this.dim = intArg("StackTransform", "dim", a.dim, 0);
  }
  override _withCache(cacheSize: 0 | 1): Transform {
    return new StackTransform(this.transforms, this.dim, cacheSize);
  }
  /** @internal */
  _slice(z: Tensor): Tensor[] {
    if (!(-z.dim() <= this.dim && this.dim < z.dim()) || z.size(this.dim) !== this.transforms.length) {
      throw new Error(`StackTransform: expected size ${this.transforms.length} along dim ${this.dim}, got shape ${formatSize(z.shape)}`);
    }
    return Array.from({ length: z.size(this.dim) }, (_, i) => z.select(this.dim, i));
  }
  override _call(x: Tensor): Tensor {
    return ops.stack(this._slice(x).map((s, i) => this.transforms[i]!.call(s)), this.dim);
  }
  override _inverse(y: Tensor): Tensor {
    return ops.stack(this._slice(y).map((s, i) => this.transforms[i]!.inv.call(s)), this.dim);
  }
  override _logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const ys = this._slice(y);
    return ops.stack(this._slice(x).map((s, i) => this.transforms[i]!.logAbsDetJacobian(s, ys[i]!)), this.dim);
  }
  override get bijective(): boolean {
    return this.transforms.every((t) => t.bijective);
  }
  override get domain(): constraints.Constraint {
    return constraints.stack(this.transforms.map((t) => t.domain), this.dim);
  }
  override get codomain(): constraints.Constraint {
    return constraints.stack(this.transforms.map((t) => t.codomain), this.dim);
  }
}

/**
 * The cumulative distribution function of a distribution as a transform: maps its support to
 * the unit interval (useful for copulas).
 */
export class CumulativeDistributionTransform extends Transform {
  readonly distribution: Distribution;
  constructor(distribution: Distribution | { distribution: Distribution; cacheSize?: number }, options?: { cacheSize?: number }, ...extra: never[]) {
    const a = bindArgs("torch.distributions.CumulativeDistributionTransform", [distribution, options, ...extra]);
    super({ cacheSize: cacheSizeArg("CumulativeDistributionTransform", a.cacheSize) });
    if (typeof a.distribution !== "object" || a.distribution === null || typeof (a.distribution as Distribution).cdf !== "function") {
      throw new TypeError("CumulativeDistributionTransform(): distribution must be a Distribution");
    }
    this.distribution = a.distribution as Distribution;
  }
  override get bijective(): boolean {
    return true;
  }
  override get codomain(): constraints.Constraint {
    return constraints.unitInterval;
  }
  override get sign(): Sign {
    return 1;
  }
  override get domain(): constraints.Constraint {
    return this.distribution.support;
  }
  override _call(x: Tensor): Tensor {
    return this.distribution.cdf(x);
  }
  override _inverse(y: Tensor): Tensor {
    return this.distribution.icdf(y);
  }
  override _logAbsDetJacobian(x: Tensor, _y: Tensor): Tensor {
    return this.distribution.logProb(x);
  }
  override _withCache(cacheSize: 0 | 1): Transform {
    return new CumulativeDistributionTransform(this.distribution, { cacheSize });
  }
}

// The built-in transforms whose only parameter is cache_size (the base constructor binds them).
const cacheSizeOnly: ReadonlySet<unknown> = new Set<unknown>([
  AbsTransform, ExpTransform, SigmoidTransform, SoftmaxTransform, SoftplusTransform, StickBreakingTransform, TanhTransform,
  LowerCholeskyTransform, CorrCholeskyTransform, PositiveDefiniteTransform,
]);
