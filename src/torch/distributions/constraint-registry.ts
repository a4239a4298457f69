// biject_to / transform_to: transforms from unconstrained space onto a constraint's set
// (torch/distributions/constraint_registry.py).
import { bindArgs } from "../binding/index.js";
import * as constraints from "./constraints.js";
import { followsTorch2 } from "./python-version.js";
import {
  AffineTransform, CatTransform, ComposeTransform, CorrCholeskyTransform, ExpTransform, IndependentTransform, LowerCholeskyTransform,
  PositiveDefiniteTransform, SigmoidTransform, SoftmaxTransform, StackTransform, StickBreakingTransform, Transform, identityTransform,
} from "./transforms.js";

type ConstraintClass = abstract new (...args: never[]) => constraints.Constraint;
/** A function from a constraint to a transform onto it. */
export type TransformFactory<C extends constraints.Constraint = constraints.Constraint> = (constraint: C) => Transform;

/**
 * A registry linking constraints to transforms. `bijectTo(c)` gives a bijective transform from
 * the reals onto `c` (for HMC-style samplers); `transformTo(c)` one that need not be bijective
 * (for optimizing constrained parameters).
 *
 * Example:
 * ```ts
 * const unconstrained = torch.zeros([3], { requiresGrad: true });
 * const scale = transformTo(constraints.positive).call(unconstrained);
 * ```
 */
export class ConstraintRegistry {
  /** @internal */ readonly _registry = new Map<ConstraintClass, TransformFactory>();

  /**
   * Registers `factory` for a constraint class (or an instance's class).
   *
   * Args:
   *   constraint: a Constraint subclass, or an instance of the class to register.
   *   factory: a function from a constraint to a Transform.
   */
  register<C extends constraints.Constraint>(constraint: ConstraintClass | C, factory: TransformFactory<C>): TransformFactory<C> {
    const cls = constraint instanceof constraints.Constraint ? (constraint.constructor as ConstraintClass) : constraint;
    if (typeof cls !== "function" || !(cls.prototype instanceof constraints.Constraint || cls === constraints.Constraint)) {
      throw new TypeError(`Expected constraint to be either a Constraint subclass or instance, but got ${String(constraint)}`);
    }
    if (typeof factory !== "function") throw new TypeError("ConstraintRegistry.register(): factory must be a function");
    this._registry.set(cls, factory as TransformFactory);
    return factory;
  }

  /** The transform onto `constraint` (Python's `registry(constraint)`). */
  call(constraint: constraints.Constraint): Transform {
    const factory = this._registry.get(constraint.constructor as ConstraintClass);
    if (!factory) throw new Error(`Cannot transform ${constraint.constructor.name} constraints`);
    return factory(constraint);
  }
}

const bijectRegistry = new ConstraintRegistry();
const transformRegistry = new ConstraintRegistry();

/** A bijective transform from the reals onto `constraint`'s set (Python's `biject_to(constraint)`). */
export function bijectTo(constraint: constraints.Constraint | { constraint: constraints.Constraint }): Transform {
  return bijectRegistry.call(constraintArg("torch.distributions.biject_to", constraint));
}
/** A transform from the reals onto `constraint`'s set (Python's `transform_to(constraint)`). */
export function transformTo(constraint: constraints.Constraint | { constraint: constraints.Constraint }): Transform {
  return transformRegistry.call(constraintArg("torch.distributions.transform_to", constraint));
}

function constraintArg(qualname: string, arg: unknown): constraints.Constraint {
  const { constraint } = bindArgs(qualname, [arg]) as { constraint: unknown };
  if (!(constraint instanceof constraints.Constraint)) throw new TypeError(`${qualname.replace(/^torch\./, "")}(): constraint must be a Constraint`);
  return constraint;
}
/** Registers a factory: `bijectTo.register(MyConstraint, (c) => new MyTransform(c))`. */
bijectTo.register = <C extends constraints.Constraint>(c: ConstraintClass | C, f: TransformFactory<C>) => bijectRegistry.register(c, f);
transformTo.register = <C extends constraints.Constraint>(c: ConstraintClass | C, f: TransformFactory<C>) => transformRegistry.register(c, f);

function both(cls: ConstraintClass, factory: TransformFactory<never>): void {
  bijectRegistry.register(cls, factory);
  transformRegistry.register(cls, factory);
}

both(constraints.Real, () => identityTransform);
bijectRegistry.register(constraints.IndependentConstraint, (c: constraints.IndependentConstraint) =>
  new IndependentTransform(bijectTo(c.baseConstraint), c.reinterpretedBatchNdims));
transformRegistry.register(constraints.IndependentConstraint, (c: constraints.IndependentConstraint) =>
  new IndependentTransform(transformTo(c.baseConstraint), c.reinterpretedBatchNdims));
// positive and nonnegative are GreaterThan(0) / GreaterThanEq(0): Python's ExpTransform entry for
// them is overwritten by the greater_than one (same classes), so exp then shift by the bound.
for (const cls of [constraints.GreaterThan, constraints.GreaterThanEq]) {
  both(cls, (c: constraints.GreaterThan | constraints.GreaterThanEq) => new ComposeTransform([new ExpTransform(), new AffineTransform(c.lowerBound, 1)]));
}
both(constraints.LessThan, (c: constraints.LessThan) => new ComposeTransform([new ExpTransform(), new AffineTransform(c.upperBound, -1)]));
for (const cls of [constraints.Interval, constraints.HalfOpenInterval]) {
  both(cls, (c: constraints.Interval | constraints.HalfOpenInterval) => {
    if (c.lowerBound === 0 && c.upperBound === 1) return new SigmoidTransform();
    const scale = typeof c.upperBound === "number" && typeof c.lowerBound === "number" ? c.upperBound - c.lowerBound : subBounds(c.upperBound, c.lowerBound);
    return new ComposeTransform([new SigmoidTransform(), new AffineTransform(c.lowerBound, scale)]);
  });
}
bijectRegistry.register(constraints.Simplex, () => new StickBreakingTransform());
transformRegistry.register(constraints.Simplex, () => new SoftmaxTransform());
transformRegistry.register(constraints.LowerCholesky, () => new LowerCholeskyTransform());
both(constraints.CorrCholesky, () => new CorrCholeskyTransform());
// torch 2.x's entries; on 1.13 these constraints have no transform, as there.
for (const cls of [constraints.PositiveDefinite, constraints.PositiveSemidefinite]) {
  transformRegistry.register(cls, (c: constraints.Constraint) => {
    if (!followsTorch2()) throw new Error(`Cannot transform ${c.constructor.name} constraints`);
    return new PositiveDefiniteTransform();
  });
}
bijectRegistry.register(constraints.Cat, (c: constraints.Cat) => new CatTransform(c.cseq.map(bijectTo), c.dim, c.lengths));
transformRegistry.register(constraints.Cat, (c: constraints.Cat) => new CatTransform(c.cseq.map(transformTo), c.dim, c.lengths));
bijectRegistry.register(constraints.Stack, (c: constraints.Stack) => new StackTransform(c.cseq.map(bijectTo), c.dim));
transformRegistry.register(constraints.Stack, (c: constraints.Stack) => new StackTransform(c.cseq.map(transformTo), c.dim));

function subBounds(a: constraints.Bound, b: constraints.Bound): constraints.Bound {
  // Python: constraint.upper_bound - constraint.lower_bound (a tensor when either bound is one).
  if (typeof a === "number") return (b as Exclude<constraints.Bound, number>).neg().add(a);
  return a.sub(b);
}
