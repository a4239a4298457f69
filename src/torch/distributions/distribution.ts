// The base class of every distribution (torch/distributions/distribution.py).
import { Tensor, describe } from "../tensor/tensor.js";
import { noGrad } from "../tensor/runtime.js";
import * as ops from "../generated/torch.js";
import { Constraint, Dependent } from "./constraints.js";
import { bindArgs, type ArgsOf, type BoundArgs } from "../binding/index.js";
import { toCamelCase, toSnakeCase } from "../../util/naming.js";
import { bindMethod } from "./method-binding.js";
import { warnOnce } from "./warn-once.js";
import { boolArg, formatFloat, formatSize, formatTuple, intArg, sameShape, shapeArg } from "./utils.js";

let defaultValidateArgs = true;

/** Python's `'{}'.format(t)` of a one-element tensor: the number for a 0-d tensor, else the tensor. */
function formatElement(t: Tensor): string {
  if (t.dim() !== 0) return t.toString();
  const v = t.item<number | boolean>();
  if (typeof v === "boolean") return v ? "True" : "False";
  return t.dtype.startsWith("float") || t.dtype.startsWith("bfloat") ? formatFloat(v) : String(v);
}

/**
 * Distribution is the abstract base class for probability distributions.
 *
 * A subclass sets its parameters, then calls `_init(batchShape, eventShape, validateArgs)`, which
 * checks the parameters against `argConstraints` when validation is on (the default, as Python's
 * `__debug__`).
 *
 * Example:
 * ```ts
 * const d = new Normal(torch.tensor([0, 1]), 1);
 * d.sample([3]).shape; // [3, 2]
 * d.logProb(torch.tensor([0.5, 0.5]));
 * ```
 */
export class Distribution {
  /** @internal */ _batchShape: number[] = [];
  /** @internal */ _eventShape: number[] = [];
  /** @internal Per-instance validation flag; undefined follows the default. */ _validateArgsFlag: boolean | undefined;

  /**
   * Sets whether validation is enabled or disabled by default (Python's
   * `Distribution.set_default_validate_args`).
   *
   * Args:
   *   value: whether to enable validation.
   */
  static setDefaultValidateArgs(value: boolean): void {
    if (typeof value !== "boolean") throw new Error(`Distribution.setDefaultValidateArgs(): value must be a boolean, got ${describe(value)}`);
    defaultValidateArgs = value;
  }

  /**
   * A distribution of the given batch and event shapes (for subclasses that set their own
   * parameters first; they call `_init` instead).
   */
  constructor(
    batchShape?: readonly number[] | { batchShape?: readonly number[]; eventShape?: readonly number[]; validateArgs?: boolean | null },
    eventShape?: readonly number[],
    validateArgs?: boolean | null,
    ...extra: never[]
  ) {
    if (new.target === Distribution || batchShape !== undefined || extra.length > 0) {
      // The abstract bases bind as themselves (errors name the class called); subclasses as Distribution.
      const qualname = Object.prototype.hasOwnProperty.call(new.target, "_bindsAs") ? (new.target as typeof Distribution)._bindsAs : Distribution._bindsAs;
      const a = bindArgs(qualname, [batchShape, eventShape, validateArgs, ...extra]);
      this._init(
        shapeArg("Distribution", "batchShape", a.batchShape),
        shapeArg("Distribution", "eventShape", a.eventShape),
        boolArg("Distribution", "validateArgs", a.validateArgs),
      );
    }
  }

  /** @internal The signature table's name of this class's own constructor. */
  static readonly _bindsAs: string = "torch.distributions.Distribution";

  /** @internal Python's `Distribution.__init__`: sets the shapes and validates the parameters. */
  _init(batchShape: readonly number[] = [], eventShape: readonly number[] = [], validateArgs?: boolean | null): void {
    this._batchShape = [...batchShape];
    this._eventShape = [...eventShape];
    if (validateArgs !== undefined && validateArgs !== null) this._validateArgsFlag = validateArgs;
    if (this._validateArgs) {
      const constraints = this.argConstraints;
      for (const [param, constraint] of Object.entries(constraints)) {
        if (constraint instanceof Dependent) continue;
        const value = this._paramForValidation(param);
        if (value === undefined) continue; // a lazily computed parameter
        const valid = constraint.check(value);
        if (!valid.all().item<boolean>()) {
          throw new Error(
            `Expected parameter ${toSnakeCase(param)} (Tensor of shape ${formatTuple(value.shape)}) of distribution ${this.toString()} ` +
              `to satisfy the constraint ${constraint.toString()}, but found invalid values:\n${value.toString()}`,
          );
        }
      }
    }
  }

  /** @internal The value of a parameter as set (undefined for a lazy one not computed yet). */
  _paramForValidation(name: string): Tensor | undefined {
    const v = (this as unknown as Record<string, unknown>)[name];
    return v instanceof Tensor ? v : undefined;
  }

  /** @internal Whether this instance validates its arguments and values. */
  get _validateArgs(): boolean {
    return this._validateArgsFlag ?? defaultValidateArgs;
  }

  /** Whether `rsample` is implemented (reparameterized samples). */
  get hasRsample(): boolean {
    return false;
  }
  /** Whether `enumerateSupport` is implemented. */
  get hasEnumerateSupport(): boolean {
    return false;
  }
  /** The shape over which parameters are batched. */
  get batchShape(): number[] {
    return [...this._batchShape];
  }
  /** The shape of a single sample (without batching). */
  get eventShape(): number[] {
    return [...this._eventShape];
  }
  /** The constraint each tensor parameter must satisfy, by parameter name. */
  get argConstraints(): Record<string, Constraint> {
    throw new Error(`${this.constructor.name} does not define argConstraints`);
  }
  /** The constraint a value of this distribution satisfies. */
  get support(): Constraint {
    throw new Error(`${this.constructor.name} does not define support`);
  }
  /** The mean of the distribution. */
  get mean(): Tensor {
    throw new Error(`${this.constructor.name} does not implement mean`);
  }
  /** The mode of the distribution. */
  get mode(): Tensor {
    throw new Error(`${this.constructor.name} does not implement mode`);
  }
  /** The variance of the distribution. */
  get variance(): Tensor {
    throw new Error(`${this.constructor.name} does not implement variance`);
  }
  /** The standard deviation of the distribution. */
  get stddev(): Tensor {
    return this.variance.sqrt();
  }

  /**
   * A new distribution with batch dimensions expanded to `batchShape` (parameters are expanded
   * views; no argument checking is repeated).
   */
  expand(...args: ArgsOf<"torch.distributions.Distribution.expand">): Distribution {
    const a = this._bind("expand", args);
    return this._expand(shapeArg(this._callable("expand"), "batchShape", a.batchShape));
  }
  /** @internal Subclasses implement expand here with a checked shape. */
  _expand(_batchShape: number[]): Distribution {
    throw new Error(`${this.constructor.name} does not implement expand`);
  }
  /** @internal A new instance of this class without running its constructor (Python's `__new__`). */
  _newInstance<T extends Distribution>(this: T): T {
    return Object.create(Object.getPrototypeOf(this) as object) as T;
  }
  /** @internal Copies the validation flag onto an expanded instance. */
  _finishExpand<T extends Distribution>(instance: T, batchShape: readonly number[], eventShape: readonly number[] = this._eventShape): T {
    instance._init(batchShape, eventShape, false);
    instance._validateArgsFlag = this._validateArgsFlag;
    return instance;
  }

  /**
   * A sample of shape `sampleShape + batchShape + eventShape`, without gradients.
   *
   * Args:
   *   sampleShape: the leading shape of independent draws (default `[]`).
   */
  sample(...args: ArgsOf<"torch.distributions.Distribution.sample">): Tensor {
    const a = this._bind("sample", args);
    const shape = shapeArg(this._callable("sample"), "sampleShape", a.sampleShape);
    return noGrad(() => this._sample(shape));
  }
  /** @internal The sample itself (subclasses with a non-reparameterized sampler override). */
  _sample(sampleShape: number[]): Tensor {
    return this._rsample(sampleShape);
  }
  /**
   * A reparameterized sample of shape `sampleShape + batchShape + eventShape`: gradients flow to
   * the parameters.
   */
  rsample(...args: ArgsOf<"torch.distributions.Distribution.rsample">): Tensor {
    const a = this._bind("rsample", args);
    return this._rsample(shapeArg(this._callable("rsample"), "sampleShape", a.sampleShape), a);
  }
  /** @internal The sample; `bound` holds the arguments of a subclass's wider signature (Wishart's maxTryCorrection). */
  _rsample(_sampleShape: number[], _bound?: BoundArgs): Tensor {
    throw new Error(`${this.constructor.name} does not implement rsample`);
  }
  /**
   * `n` samples (`sample([n])`); deprecated in Python, which warns once, as here.
   *
   * Args:
   *   n: the number of samples.
   */
  sampleN(...args: ArgsOf<"torch.distributions.Distribution.sample_n">): Tensor {
    const a = this._bind("sample_n", args);
    const n = intArg(this._callable("sampleN"), "n", a.n);
    warnOnce("sample_n will be deprecated. Use .sample((n,)) instead");
    return this.sample([n]);
  }

  /** The log of the probability density/mass function at `value`. */
  logProb(...args: ArgsOf<"torch.distributions.Distribution.log_prob">): Tensor {
    return this._logProb(this._valueArg("log_prob", args));
  }
  /** @internal */
  _logProb(_value: Tensor): Tensor {
    throw new Error(`${this.constructor.name} does not implement logProb`);
  }
  /** The cumulative density/mass function at `value`. */
  cdf(...args: ArgsOf<"torch.distributions.Distribution.cdf">): Tensor {
    return this._cdf(this._valueArg("cdf", args));
  }
  /** @internal */
  _cdf(_value: Tensor): Tensor {
    throw new Error(`${this.constructor.name} does not implement cdf`);
  }
  /** The inverse cumulative density/mass function at `value`. */
  icdf(...args: ArgsOf<"torch.distributions.Distribution.icdf">): Tensor {
    return this._icdf(this._valueArg("icdf", args));
  }
  /** @internal */
  _icdf(_value: Tensor): Tensor {
    throw new Error(`${this.constructor.name} does not implement icdf`);
  }
  /**
   * All values of a discrete distribution's support, enumerated over dimension 0: shape
   * `[cardinality] + batchShape + eventShape` (with `expand: false`, singleton batch dims).
   */
  enumerateSupport(...args: ArgsOf<"torch.distributions.Distribution.enumerate_support">): Tensor {
    const a = this._bind("enumerate_support", args);
    return this._enumerateSupport(boolArg(this._callable("enumerateSupport"), "expand", a.expand) ?? true);
  }
  /** @internal */
  _enumerateSupport(_expand: boolean): Tensor {
    throw new Error(`${this.constructor.name} does not implement enumerateSupport`);
  }
  /** The entropy, batched over `batchShape`. */
  entropy(...args: ArgsOf<"torch.distributions.Distribution.entropy">): Tensor {
    this._bind("entropy", args);
    return this._entropy();
  }
  /** @internal */
  _entropy(): Tensor {
    throw new Error(`${this.constructor.name} does not implement entropy`);
  }
  /** `exp(entropy())`, batched over `batchShape`. */
  perplexity(...args: ArgsOf<"torch.distributions.Distribution.perplexity">): Tensor {
    this._bind("perplexity", args);
    return ops.exp(this.entropy());
  }

  /** @internal Binds a method's arguments to Python's signature of it for this class. */
  _bind(pythonMethod: string, args: ArrayLike<unknown>): BoundArgs {
    return bindMethod(this, "torch.distributions", pythonMethod, args);
  }
  /** @internal How errors name a method of this instance: `Normal.logProb`. */
  _callable(method: string): string {
    return `${this.constructor.name}.${method}`;
  }
  /** @internal The one Tensor argument of log_prob/cdf/icdf (`value`; `x` or `prob` in some classes). */
  _valueArg(pythonMethod: string, args: ArrayLike<unknown>): Tensor {
    const a = this._bind(pythonMethod, args);
    const [name, value] = Object.entries(a)[0]!;
    if (!(value instanceof Tensor)) {
      throw new TypeError(`${this._callable(toCamelCase(pythonMethod))}(): argument '${name}' must be a Tensor, got ${describe(value)}`);
    }
    return value;
  }

  /** @internal `sampleShape + batchShape + eventShape`. */
  _extendedShape(sampleShape: readonly number[] = []): number[] {
    return [...sampleShape, ...this._batchShape, ...this._eventShape];
  }

  /** @internal Checks a value's shape and support before scoring it (Python's `_validate_sample`). */
  _validateSample(value: Tensor): void {
    if (!(value instanceof Tensor)) throw new Error("The value argument to log_prob must be a Tensor");
    const size = value.shape;
    const eventDimStart = size.length - this._eventShape.length;
    if (!sameShape(size.slice(Math.max(0, eventDimStart)), this._eventShape) || eventDimStart < 0) {
      throw new Error(`The right-most size of value must match event_shape: ${formatSize(size)} vs ${formatSize(this._eventShape)}.`);
    }
    const expected = [...this._batchShape, ...this._eventShape];
    for (let k = 1; k <= Math.min(size.length, expected.length); k++) {
      const i = size[size.length - k]!;
      const j = expected[expected.length - k]!;
      if (i !== 1 && j !== 1 && i !== j) {
        throw new Error(`Value is not broadcastable with batch_shape+event_shape: ${formatSize(size)} vs ${formatSize(expected)}.`);
      }
    }
    const support = this.support;
    const valid = support.check(value);
    if (!valid.all().item<boolean>()) {
      throw new Error(
        `Expected value argument (Tensor of shape ${formatTuple(size)}) to be within the support (${support.toString()}) ` +
          `of the distribution ${this.toString()}, but found invalid values:\n${value.toString()}`,
      );
    }
  }

  /** @internal Checks `value` when validation is on. */
  _maybeValidate(value: Tensor): void {
    if (!(value instanceof Tensor)) throw new TypeError(`${this.constructor.name}: value must be a Tensor, got ${describe(value)}`);
    if (this._validateArgs) this._validateSample(value);
  }

  /** Python's repr: `Normal(loc: tensor(0.), scale: tensor(1.))`. */
  toString(): string {
    let names: string[] = [];
    try {
      names = Object.keys(this.argConstraints);
    } catch {
      names = [];
    }
    const parts: string[] = [];
    for (const p of names) {
      const v = this._reprParam(p);
      if (v === undefined) continue;
      parts.push(`${toSnakeCase(p)}: ${v.numel() === 1 ? formatElement(v) : formatSize(v.shape)}`);
    }
    return `${this.constructor.name}(${parts.join(", ")})`;
  }
  /**
   * @internal A parameter as Python's repr lists it: only one in the instance's `__dict__` (set by
   * the constructor, or a lazy one already computed), not a property read from another object.
   */
  _reprParam(name: string): Tensor | undefined {
    if (Object.prototype.hasOwnProperty.call(this, name)) return this._paramForValidation(name);
    // Lazy parameters (probs/logits, scale_tril, ...) are kept aside by the class's own lookup.
    return this._paramForValidation === Distribution.prototype._paramForValidation ? undefined : this._paramForValidation(name);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
