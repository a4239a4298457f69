// Constraints: the sets parameters and values of distributions live in
// (torch/distributions/constraints.py). `check(value)` gives a bool tensor of shape
// `value.shape[:value.dim() - eventDim]`.
import { Tensor, describe } from "../tensor/tensor.js";
import { full } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import * as linalg from "../generated/linalg.js";
import { bindArgs, type ArgsOf } from "../binding/index.js";
import { bindMethod } from "./method-binding.js";
import { finfo, formatFloat, type CtorArgs } from "./utils.js";

/** A bound of an interval-like constraint: a number or a tensor (broadcast against the value). */
export type Bound = number | Tensor;

function formatBound(b: Bound, integer: boolean): string {
  if (b instanceof Tensor) return b.toString();
  return integer ? String(b) : formatFloat(b);
}
/** `bound <= value` (`value >= bound` for a number, as Python's reflected comparison). */
function boundLe(b: Bound, value: Tensor): Tensor {
  return b instanceof Tensor ? b.le(value) : value.ge(b);
}
function boundLt(b: Bound, value: Tensor): Tensor {
  return b instanceof Tensor ? b.lt(value) : value.gt(b);
}

/**
 * Abstract base class for constraints: a region over which a variable is valid.
 *
 * `isDiscrete` says whether the space is discrete, `eventDim` how many rightmost dims form one
 * event; `check(value)` returns a bool tensor telling, per event, whether the value satisfies it.
 */
export class Constraint {
  get isDiscrete(): boolean {
    return false;
  }
  get eventDim(): number {
    return 0;
  }
  /** A bool tensor: whether each event of `value` satisfies the constraint. */
  check(...args: ArgsOf<"torch.distributions.constraints.Constraint.check">): Tensor {
    const a = bindMethod(this, "torch.distributions.constraints", "check", args);
    const [name, value] = Object.entries(a)[0]!;
    if (!(value instanceof Tensor)) throw new TypeError(`${this.constructor.name}.check(): argument '${name}' must be a Tensor, got ${describe(value)}`);
    return this._check(value);
  }
  /** @internal The check of a Tensor (subclasses implement it). */
  _check(_value: Tensor): Tensor {
    throw new Error(`${this.constructor.name}.check() is not implemented`);
  }
  /** Python's repr: `Real()`, `GreaterThan(lower_bound=0.0)`. */
  toString(): string {
    return `${this.constructor.name}()`;
  }
}

/** A placeholder for variables whose support depends on other variables (cannot be checked). */
export class Dependent extends Constraint {
  readonly _isDiscrete: boolean | undefined;
  readonly _eventDim: number | undefined;
  constructor(options: { isDiscrete?: boolean; eventDim?: number } = {}) {
    super();
    this._isDiscrete = options.isDiscrete;
    this._eventDim = options.eventDim;
  }
  override get isDiscrete(): boolean {
    if (this._isDiscrete === undefined) throw new Error(".is_discrete cannot be determined statically");
    return this._isDiscrete;
  }
  override get eventDim(): number {
    if (this._eventDim === undefined) throw new Error(".event_dim cannot be determined statically");
    return this._eventDim;
  }
  /** A dependent constraint with these static attributes (`constraints.dependent(is_discrete=..., event_dim=...)`). */
  call(options: { isDiscrete?: boolean; eventDim?: number } = {}): Dependent {
    return new Dependent({ isDiscrete: options.isDiscrete ?? this._isDiscrete, eventDim: options.eventDim ?? this._eventDim });
  }
  override _check(_value: Tensor): Tensor {
    throw new Error("Cannot determine validity of dependent constraint");
  }
}

/** Whether `constraint` is a dependent one (its values cannot be checked). */
export function isDependent(...args: CtorArgs<[constraint: Constraint], { constraint?: Constraint }>): boolean {
  return bindArgs("torch.distributions.constraints.is_dependent", args).constraint instanceof Dependent;
}

/** Wraps a constraint, reinterpreting its `reinterpretedBatchNdims` rightmost batch dims as event dims. */
export class IndependentConstraint extends Constraint {
  /** @internal Python's public name of this class (`constraints.independent`). */
  static readonly _pythonName = "independent";
  readonly baseConstraint: Constraint;
  readonly reinterpretedBatchNdims: number;
  constructor(baseConstraint: Constraint, reinterpretedBatchNdims: number) {
    super();
    if (!(baseConstraint instanceof Constraint)) throw new TypeError("constraints.independent(): baseConstraint must be a Constraint");
    if (!Number.isInteger(reinterpretedBatchNdims) || reinterpretedBatchNdims < 0) {
      throw new TypeError("constraints.independent(): reinterpretedBatchNdims must be a non-negative integer");
    }
    this.baseConstraint = baseConstraint;
    this.reinterpretedBatchNdims = reinterpretedBatchNdims;
  }
  override get isDiscrete(): boolean {
    return this.baseConstraint.isDiscrete;
  }
  override get eventDim(): number {
    return this.baseConstraint.eventDim + this.reinterpretedBatchNdims;
  }
  override _check(value: Tensor): Tensor {
    let result = this.baseConstraint.check(value);
    if (result.dim() < this.reinterpretedBatchNdims) {
      const expected = this.baseConstraint.eventDim + this.reinterpretedBatchNdims;
      throw new Error(`Expected value.dim() >= ${expected} but got ${value.dim()}`);
    }
    result = result.reshape([...result.shape.slice(0, result.dim() - this.reinterpretedBatchNdims), -1]);
    return result.all(-1);
  }
  override toString(): string {
    return `IndependentConstraint(${this.baseConstraint.toString()}, ${this.reinterpretedBatchNdims})`;
  }
}

/** {0, 1}. */
export class Boolean extends Constraint {
  override get isDiscrete(): boolean {
    return true;
  }
  override _check(value: Tensor): Tensor {
    return value.eq(0).bitwiseOr(value.eq(1));
  }
}

/** One-hot vectors. */
export class OneHot extends Constraint {
  override get isDiscrete(): boolean {
    return true;
  }
  override get eventDim(): number {
    return 1;
  }
  override _check(value: Tensor): Tensor {
    const isBoolean = value.eq(0).bitwiseOr(value.eq(1));
    const isNormalized = value.sum(-1).eq(1);
    return isBoolean.all(-1).bitwiseAnd(isNormalized);
  }
}

/** Integers in [lowerBound, upperBound]. */
export class IntegerInterval extends Constraint {
  constructor(readonly lowerBound: Bound, readonly upperBound: Bound) {
    super();
  }
  override get isDiscrete(): boolean {
    return true;
  }
  override _check(value: Tensor): Tensor {
    return value.remainder(1).eq(0).bitwiseAnd(boundLe(this.lowerBound, value)).bitwiseAnd(value.le(this.upperBound as Tensor));
  }
  override toString(): string {
    return `IntegerInterval(lower_bound=${formatBound(this.lowerBound, true)}, upper_bound=${formatBound(this.upperBound, true)})`;
  }
}

/** Integers <= upperBound. */
export class IntegerLessThan extends Constraint {
  constructor(readonly upperBound: Bound) {
    super();
  }
  override get isDiscrete(): boolean {
    return true;
  }
  override _check(value: Tensor): Tensor {
    return value.remainder(1).eq(0).bitwiseAnd(value.le(this.upperBound as Tensor));
  }
  override toString(): string {
    return `IntegerLessThan(upper_bound=${formatBound(this.upperBound, true)})`;
  }
}

/** Integers >= lowerBound. */
export class IntegerGreaterThan extends Constraint {
  constructor(readonly lowerBound: Bound) {
    super();
  }
  override get isDiscrete(): boolean {
    return true;
  }
  override _check(value: Tensor): Tensor {
    return value.remainder(1).eq(0).bitwiseAnd(value.ge(this.lowerBound as Tensor));
  }
  override toString(): string {
    return `IntegerGreaterThan(lower_bound=${formatBound(this.lowerBound, true)})`;
  }
}

/** The extended real line (anything but NaN). */
export class Real extends Constraint {
  override _check(value: Tensor): Tensor {
    return value.eq(value);
  }
}

/** (lowerBound, inf). */
export class GreaterThan extends Constraint {
  constructor(readonly lowerBound: Bound) {
    super();
  }
  override _check(value: Tensor): Tensor {
    return boundLt(this.lowerBound, value);
  }
  override toString(): string {
    return `GreaterThan(lower_bound=${formatBound(this.lowerBound, false)})`;
  }
}

/** [lowerBound, inf). */
export class GreaterThanEq extends Constraint {
  constructor(readonly lowerBound: Bound) {
    super();
  }
  override _check(value: Tensor): Tensor {
    return boundLe(this.lowerBound, value);
  }
  override toString(): string {
    return `GreaterThanEq(lower_bound=${formatBound(this.lowerBound, false)})`;
  }
}

/** (-inf, upperBound). */
export class LessThan extends Constraint {
  constructor(readonly upperBound: Bound) {
    super();
  }
  override _check(value: Tensor): Tensor {
    return value.lt(this.upperBound as Tensor);
  }
  override toString(): string {
    return `LessThan(upper_bound=${formatBound(this.upperBound, false)})`;
  }
}

/** [lowerBound, upperBound]. */
export class Interval extends Constraint {
  constructor(readonly lowerBound: Bound, readonly upperBound: Bound) {
    super();
  }
  override _check(value: Tensor): Tensor {
    return boundLe(this.lowerBound, value).bitwiseAnd(value.le(this.upperBound as Tensor));
  }
  override toString(): string {
    return `Interval(lower_bound=${formatBound(this.lowerBound, false)}, upper_bound=${formatBound(this.upperBound, false)})`;
  }
}

/** [lowerBound, upperBound). */
export class HalfOpenInterval extends Constraint {
  constructor(readonly lowerBound: Bound, readonly upperBound: Bound) {
    super();
  }
  override _check(value: Tensor): Tensor {
    return boundLe(this.lowerBound, value).bitwiseAnd(value.lt(this.upperBound as Tensor));
  }
  override toString(): string {
    return `HalfOpenInterval(lower_bound=${formatBound(this.lowerBound, false)}, upper_bound=${formatBound(this.upperBound, false)})`;
  }
}

/** The unit simplex in the rightmost dimension: `x >= 0` and `x.sum(-1) == 1`. */
export class Simplex extends Constraint {
  override get eventDim(): number {
    return 1;
  }
  override _check(value: Tensor): Tensor {
    return value.ge(0).all(-1).bitwiseAnd(value.sum(-1).sub(1).abs().lt(1e-6));
  }
}

/** Nonnegative integer vectors summing to at most `upperBound` (Multinomial's support). */
export class Multinomial extends Constraint {
  constructor(readonly upperBound: Bound) {
    super();
  }
  override get isDiscrete(): boolean {
    return true;
  }
  override get eventDim(): number {
    return 1;
  }
  /** Whether each vector `x` is a count vector within the bound (Python's parameter name `x`). */
  override check(...args: ArgsOf<"torch.distributions.constraints.multinomial.check">): Tensor {
    return super.check(...(args as unknown as ArgsOf<"torch.distributions.constraints.Constraint.check">));
  }
  override _check(x: Tensor): Tensor {
    return x.ge(0).all(-1).bitwiseAnd(x.sum(-1).le(this.upperBound as Tensor));
  }
}

function isLowerTriangular(value: Tensor): Tensor {
  const tril = value.tril();
  return tril.eq(value).view([...value.shape.slice(0, -2), -1]).min(-1)[0];
}

/** Lower-triangular square matrices. */
export class LowerTriangular extends Constraint {
  override get eventDim(): number {
    return 2;
  }
  override _check(value: Tensor): Tensor {
    return isLowerTriangular(value);
  }
}

/** Lower-triangular square matrices with positive diagonals. */
export class LowerCholesky extends Constraint {
  override get eventDim(): number {
    return 2;
  }
  override _check(value: Tensor): Tensor {
    const positiveDiagonal = value.diagonal({ dim1: -2, dim2: -1 }).gt(0).min(-1)[0];
    return isLowerTriangular(value).bitwiseAnd(positiveDiagonal);
  }
}

/** Lower-triangular square matrices with positive diagonals and rows of unit norm. */
export class CorrCholesky extends Constraint {
  override get eventDim(): number {
    return 2;
  }
  override _check(value: Tensor): Tensor {
    const tol = finfo(value.dtype).eps * value.size(-1) * 10;
    const rowNorm = linalg.norm(value.detach(), { dim: -1 });
    const unitRowNorm = rowNorm.sub(1.0).abs().le(tol).all(-1);
    return new LowerCholesky().check(value).bitwiseAnd(unitRowNorm);
  }
}

/** Square matrices. */
export class Square extends Constraint {
  override get eventDim(): number {
    return 2;
  }
  override _check(value: Tensor): Tensor {
    const n = value.dim();
    return full(value.shape.slice(0, -2), value.shape[n - 2] === value.shape[n - 1], { dtype: "bool", device: value.device });
  }
}

/** Symmetric square matrices. */
export class Symmetric extends Square {
  override _check(value: Tensor): Tensor {
    const square = super._check(value);
    if (!square.all().item<boolean>()) return square;
    return value.isclose(value.mT, { atol: 1e-6 }).all(-2).all(-1);
  }
}

/** Positive semidefinite matrices. */
export class PositiveSemidefinite extends Symmetric {
  override _check(value: Tensor): Tensor {
    const sym = super._check(value);
    if (!sym.all().item<boolean>()) return sym;
    return linalg.eigvalsh(value).ge(0).all(-1);
  }
}

/** Positive definite matrices. */
export class PositiveDefinite extends Symmetric {
  override _check(value: Tensor): Tensor {
    const sym = super._check(value);
    if (!sym.all().item<boolean>()) return sym;
    return linalg.choleskyEx(value).info.eq(0);
  }
}

/** Applies a sequence of constraints to slices of `dim` of lengths `lengths` (as torch.cat). */
export class Cat extends Constraint {
  readonly cseq: Constraint[];
  readonly lengths: number[];
  readonly dim: number;
  constructor(cseq: readonly Constraint[], dim = 0, lengths?: readonly number[] | null) {
    super();
    if (!Array.isArray(cseq) || !cseq.every((c) => c instanceof Constraint)) throw new TypeError("constraints.cat(): cseq must hold Constraints");
    this.cseq = [...cseq];
    this.lengths = lengths ? [...lengths] : this.cseq.map(() => 1);
    if (this.lengths.length !== this.cseq.length) throw new Error("constraints.cat(): lengths must match cseq");
    this.dim = dim;
  }
  override get isDiscrete(): boolean {
    return this.cseq.some((c) => c.isDiscrete);
  }
  override get eventDim(): number {
    return Math.max(...this.cseq.map((c) => c.eventDim));
  }
  override _check(value: Tensor): Tensor {
    if (!(-value.dim() <= this.dim && this.dim < value.dim())) throw new Error("constraints.cat(): dim out of range");
    const checks: Tensor[] = [];
    let start = 0;
    this.cseq.forEach((c, i) => {
      checks.push(c.check(value.narrow(this.dim, start, this.lengths[i]!)));
      start += this.lengths[i]!;
    });
    return ops.cat(checks, this.dim);
  }
}

/** Applies a sequence of constraints to the slices of `dim` (as torch.stack). */
export class Stack extends Constraint {
  readonly cseq: Constraint[];
  readonly dim: number;
  constructor(cseq: readonly Constraint[], dim = 0) {
    super();
    if (!Array.isArray(cseq) || !cseq.every((c) => c instanceof Constraint)) throw new TypeError("constraints.stack(): cseq must hold Constraints");
    this.cseq = [...cseq];
    this.dim = dim;
  }
  override get isDiscrete(): boolean {
    return this.cseq.some((c) => c.isDiscrete);
  }
  override get eventDim(): number {
    let dim = Math.max(...this.cseq.map((c) => c.eventDim));
    if (this.dim + dim < 0) dim += 1;
    return dim;
  }
  override _check(value: Tensor): Tensor {
    if (!(-value.dim() <= this.dim && this.dim < value.dim())) throw new Error("constraints.stack(): dim out of range");
    const n = value.size(this.dim);
    const checks: Tensor[] = [];
    for (let i = 0; i < n; i++) checks.push(this.cseq[i]!.check(value.select(this.dim, i)));
    return ops.stack(checks, this.dim);
  }
}

// Python's public names: instances for fixed sets, functions for parametrized ones.
export const dependent = new Dependent();
/** A dependent constraint with static attributes (Python's `constraints.dependent_property`). */
export function dependentProperty(...args: CtorArgs<[fn: null], { fn?: null; isDiscrete?: boolean; eventDim?: number }>): Dependent {
  const a = bindArgs("torch.distributions.constraints.dependent_property", args);
  // Python's form decorates a property; here the constraint is made by itself, from its options.
  if (a.fn !== null && a.fn !== undefined) throw new TypeError("constraints.dependentProperty(): fn is not supported (no property decorators here); give only isDiscrete and eventDim");
  const given = (v: unknown) => (v === null || v === undefined ? undefined : v);
  return new Dependent({ isDiscrete: given(a.isDiscrete) as boolean | undefined, eventDim: given(a.eventDim) as number | undefined });
}
/** `baseConstraint` with its `reinterpretedBatchNdims` rightmost batch dims read as event dims. */
export function independent(
  ...args: CtorArgs<[baseConstraint: Constraint, reinterpretedBatchNdims: number], { baseConstraint?: Constraint; reinterpretedBatchNdims?: number }>
): IndependentConstraint {
  const a = bindArgs("torch.distributions.constraints.independent", args);
  return new IndependentConstraint(a.baseConstraint as Constraint, a.reinterpretedBatchNdims as number);
}
export const boolean = new Boolean();
export const oneHot = new OneHot();
export const nonnegativeInteger = new IntegerGreaterThan(0);
export const positiveInteger = new IntegerGreaterThan(1);
/** Integers in `[lowerBound, upperBound]`. */
export function integerInterval(...args: CtorArgs<[lowerBound: Bound, upperBound: Bound], { lowerBound?: Bound; upperBound?: Bound }>): IntegerInterval {
  const [lower, upper] = bounds("integer_interval", args, "lowerBound", "upperBound");
  return new IntegerInterval(lower!, upper!);
}
export const real = new Real();
// Built without the binder: binding reads the running libtorch's version, and importing must not load it.
export const realVector = new IndependentConstraint(real, 1);
export const positive = new GreaterThan(0.0);
export const nonnegative = new GreaterThanEq(0.0);
/** Reals above `lowerBound`. */
export function greaterThan(...args: CtorArgs<[lowerBound: Bound], { lowerBound?: Bound }>): GreaterThan {
  return new GreaterThan(bounds("greater_than", args, "lowerBound")[0]!);
}
/** Reals at or above `lowerBound`. */
export function greaterThanEq(...args: CtorArgs<[lowerBound: Bound], { lowerBound?: Bound }>): GreaterThanEq {
  return new GreaterThanEq(bounds("greater_than_eq", args, "lowerBound")[0]!);
}
/** Reals below `upperBound`. */
export function lessThan(...args: CtorArgs<[upperBound: Bound], { upperBound?: Bound }>): LessThan {
  return new LessThan(bounds("less_than", args, "upperBound")[0]!);
}
/** Non-negative integer vectors summing to at most `upperBound`. */
export function multinomial(...args: CtorArgs<[upperBound: Bound], { upperBound?: Bound }>): Multinomial {
  return new Multinomial(bounds("multinomial", args, "upperBound")[0]!);
}
export const unitInterval = new Interval(0.0, 1.0);
/** Reals in `[lowerBound, upperBound]`. */
export function interval(...args: CtorArgs<[lowerBound: Bound, upperBound: Bound], { lowerBound?: Bound; upperBound?: Bound }>): Interval {
  const [lower, upper] = bounds("interval", args, "lowerBound", "upperBound");
  return new Interval(lower!, upper!);
}
/** Reals in `[lowerBound, upperBound)`. */
export function halfOpenInterval(...args: CtorArgs<[lowerBound: Bound, upperBound: Bound], { lowerBound?: Bound; upperBound?: Bound }>): HalfOpenInterval {
  const [lower, upper] = bounds("half_open_interval", args, "lowerBound", "upperBound");
  return new HalfOpenInterval(lower!, upper!);
}
export const simplex = new Simplex();
export const lowerTriangular = new LowerTriangular();
export const lowerCholesky = new LowerCholesky();
export const corrCholesky = new CorrCholesky();
export const square = new Square();
export const symmetric = new Symmetric();
export const positiveSemidefinite = new PositiveSemidefinite();
export const positiveDefinite = new PositiveDefinite();
/** `cseq[i]` on the slices of `dim` of lengths `lengths`, as `torch.cat`. */
export function cat(
  ...args: CtorArgs<[cseq: readonly Constraint[], dim: number, lengths: readonly number[] | null], { cseq?: readonly Constraint[]; dim?: number; lengths?: readonly number[] | null }>
): Cat {
  const a = bindArgs("torch.distributions.constraints.cat", args);
  return new Cat(a.cseq as readonly Constraint[], a.dim as number, a.lengths as readonly number[] | null);
}
/** `cseq[i]` on the slices of `dim`, as `torch.stack`. */
export function stack(...args: CtorArgs<[cseq: readonly Constraint[], dim: number], { cseq?: readonly Constraint[]; dim?: number }>): Stack {
  const a = bindArgs("torch.distributions.constraints.stack", args);
  return new Stack(a.cseq as readonly Constraint[], a.dim as number);
}

/** Binds a parametrized constraint's bounds (each a number or a Tensor) through the shared binder. */
function bounds(pythonName: string, args: readonly unknown[], ...names: string[]): Bound[] {
  const a = bindArgs(`torch.distributions.constraints.${pythonName}`, args);
  return names.map((name) => {
    const value = a[name];
    if (typeof value === "number" || value instanceof Tensor) return value;
    throw new TypeError(`constraints.${pythonName.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())}(): argument '${name}' must be a number or a Tensor, got ${describe(value)}`);
  });
}
