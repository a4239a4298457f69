// Lazy modules (torch/nn/modules/lazy.py and the Lazy* classes of linear.py, conv.py,
// batchnorm.py, instancenorm.py): the input size is inferred from the first call. Until then the
// parameters are UninitializedParameters; the first call materialises them in place (the same
// objects, so an optimizer built before sees them) and the module becomes its non-lazy class, as
// Python's `cls_to_become`.
import { Tensor } from "../tensor/tensor.js";
import { getRngState, setRngState } from "../ops/generator.js";
import { scalarTensor } from "../tensor/creation.js";
import { noGrad } from "../tensor/runtime.js";
import { Module } from "./module.js";
import { UninitializedParameter, UninitializedBuffer, isLazy } from "./parameter.js";
import { Linear, factoryOf } from "./linear.js";
import { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from "./conv.js";
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from "./batchnorm.js";
import { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from "./normalization.js";
import { bind, type ArgsOf, type BoundOf } from "../binding/index.js";

/**
 * The common part of the lazy modules (Python's LazyModuleMixin): `initializeParameters(input)`
 * runs on the first call, builds the module the input implies, moves its values into this
 * module's placeholders and makes this module an instance of that class.
 */
export abstract class LazyModule<Real extends Module> extends Module {
  /** The module this one becomes for `input` (its parameters freshly initialised, as Python's reset_parameters). */
  protected abstract build(input: Tensor): Real;

  /** Whether a parameter or buffer is still uninitialised (Python's has_uninitialized_params). */
  hasUninitializedParams(): boolean {
    const slots = this as unknown as Record<string, unknown>;
    return Object.keys(slots).some((k) => isLazy(slots[k]));
  }

  /**
   * Infers the shapes from `input`, materialises the parameters and becomes the non-lazy class.
   * Parameters already materialised (by `loadStateDict`) keep their values, and then the RNG is
   * left as it was, as Python's initialize_parameters skips them.
   */
  initializeParameters(input: Tensor): void {
    const fresh = this.hasUninitializedParams();
    const rng = fresh ? undefined : getRngState();
    const real = this.build(input);
    if (rng !== undefined) setRngState(rng);
    const mine = this as unknown as Record<string, unknown>;
    noGrad(() => {
      for (const [key, value] of Object.entries(real as unknown as Record<string, unknown>)) {
        if (key === "training") continue;
        const own = mine[key];
        if (own instanceof Tensor && value instanceof Tensor) {
          if (isLazy(own)) {
            own.materialize(value.shape, value.device, value.dtype);
            own.copy_(value);
          }
        } else {
          mine[key] = value;
        }
      }
    });
    Object.setPrototypeOf(this, Object.getPrototypeOf(real) as object);
  }

  /** The first call: initialise from the input, then run the non-lazy class's forward. */
  override forward(input: Tensor, ...rest: unknown[]): Tensor {
    this.initializeParameters(input);
    return (this.forward as (...a: unknown[]) => Tensor)(input, ...rest);
  }
}

/** A placeholder parameter with the module's factory options (device, dtype). */
function placeholder(a: { device: BoundOf<"torch.nn.LazyLinear">["device"]; dtype: BoundOf<"torch.nn.LazyLinear">["dtype"] }): UninitializedParameter {
  return new UninitializedParameter(true, a.device, a.dtype);
}

/**
 * A Linear whose inFeatures is inferred from the last dimension of the first input
 * (torch.nn.LazyLinear); it then becomes a Linear.
 *
 * Args (positionally or by name, as Python's): outFeatures, bias (true), device, dtype.
 */
export class LazyLinear extends LazyModule<Linear> {
  readonly inFeatures = 0;
  readonly outFeatures: number;
  weight: UninitializedParameter;
  bias: UninitializedParameter | null;
  protected readonly args: BoundOf<"torch.nn.LazyLinear">;

  constructor(...args: ArgsOf<"torch.nn.LazyLinear">) {
    super();
    const a = (this.args = bind("torch.nn.LazyLinear", args));
    this.outFeatures = a.outFeatures;
    this.weight = placeholder(a);
    this.bias = a.bias ? placeholder(a) : null;
  }

  protected build(input: Tensor): Linear {
    const a = this.args;
    return new Linear(input.shape[input.dim() - 1]!, a.outFeatures, { bias: a.bias, ...factoryOf(a) });
  }
}

type ConvBound = BoundOf<"torch.nn.LazyConv1d"> | BoundOf<"torch.nn.LazyConv2d"> | BoundOf<"torch.nn.LazyConv3d">;
type ConvTransposeBound = BoundOf<"torch.nn.LazyConvTranspose1d"> | BoundOf<"torch.nn.LazyConvTranspose2d"> | BoundOf<"torch.nn.LazyConvTranspose3d">;

/** The common part of the lazy convolutions: inChannels from the first input's channel dimension. */
abstract class LazyConvNd<Real extends Module> extends LazyModule<Real> {
  readonly inChannels = 0;
  readonly outChannels: number;
  weight: UninitializedParameter;
  bias: UninitializedParameter | null;
  protected readonly args: ConvBound | ConvTransposeBound;
  protected abstract readonly spatialDims: number;

  protected constructor(args: ConvBound | ConvTransposeBound) {
    super();
    this.args = args;
    this.outChannels = args.outChannels;
    this.weight = placeholder(args);
    this.bias = args.bias ? placeholder(args) : null;
  }

  /** Python's _get_in_channels: dim 1 of a batched input, dim 0 of an unbatched one. */
  protected inChannelsOf(input: Tensor): number {
    const unbatched = this.spatialDims + 1;
    const d = input.dim();
    if (d !== unbatched && d !== unbatched + 1) {
      throw new Error(`Expected ${unbatched}D (unbatched) or ${unbatched + 1}D (batched) input to ${this.constructor.name}, but got input of size: [${input.shape.join(", ")}]`);
    }
    const inChannels = d === unbatched + 1 ? input.shape[1]! : input.shape[0]!;
    if (inChannels % this.args.groups !== 0) throw new Error("in_channels must be divisible by groups");
    return inChannels;
  }
}

/** A Conv1d whose inChannels is inferred from the first input (torch.nn.LazyConv1d). Args: Conv1d's without inChannels. */
export class LazyConv1d extends LazyConvNd<Conv1d> {
  protected readonly spatialDims = 1;
  constructor(...args: ArgsOf<"torch.nn.LazyConv1d">) {
    super(bind("torch.nn.LazyConv1d", args));
  }
  protected build(input: Tensor): Conv1d {
    return new Conv1d({ ...(this.args as BoundOf<"torch.nn.LazyConv1d">), inChannels: this.inChannelsOf(input) });
  }
}
/** A Conv2d whose inChannels is inferred from the first input (torch.nn.LazyConv2d). Args: Conv2d's without inChannels. */
export class LazyConv2d extends LazyConvNd<Conv2d> {
  protected readonly spatialDims = 2;
  constructor(...args: ArgsOf<"torch.nn.LazyConv2d">) {
    super(bind("torch.nn.LazyConv2d", args));
  }
  protected build(input: Tensor): Conv2d {
    return new Conv2d({ ...(this.args as BoundOf<"torch.nn.LazyConv2d">), inChannels: this.inChannelsOf(input) });
  }
}
/** A Conv3d whose inChannels is inferred from the first input (torch.nn.LazyConv3d). Args: Conv3d's without inChannels. */
export class LazyConv3d extends LazyConvNd<Conv3d> {
  protected readonly spatialDims = 3;
  constructor(...args: ArgsOf<"torch.nn.LazyConv3d">) {
    super(bind("torch.nn.LazyConv3d", args));
  }
  protected build(input: Tensor): Conv3d {
    return new Conv3d({ ...(this.args as BoundOf<"torch.nn.LazyConv3d">), inChannels: this.inChannelsOf(input) });
  }
}
/** A ConvTranspose1d whose inChannels is inferred from the first input (torch.nn.LazyConvTranspose1d). */
export class LazyConvTranspose1d extends LazyConvNd<ConvTranspose1d> {
  protected readonly spatialDims = 1;
  constructor(...args: ArgsOf<"torch.nn.LazyConvTranspose1d">) {
    super(bind("torch.nn.LazyConvTranspose1d", args));
  }
  protected build(input: Tensor): ConvTranspose1d {
    return new ConvTranspose1d({ ...(this.args as BoundOf<"torch.nn.LazyConvTranspose1d">), inChannels: this.inChannelsOf(input) });
  }
}
/** A ConvTranspose2d whose inChannels is inferred from the first input (torch.nn.LazyConvTranspose2d). */
export class LazyConvTranspose2d extends LazyConvNd<ConvTranspose2d> {
  protected readonly spatialDims = 2;
  constructor(...args: ArgsOf<"torch.nn.LazyConvTranspose2d">) {
    super(bind("torch.nn.LazyConvTranspose2d", args));
  }
  protected build(input: Tensor): ConvTranspose2d {
    return new ConvTranspose2d({ ...(this.args as BoundOf<"torch.nn.LazyConvTranspose2d">), inChannels: this.inChannelsOf(input) });
  }
}
/** A ConvTranspose3d whose inChannels is inferred from the first input (torch.nn.LazyConvTranspose3d). */
export class LazyConvTranspose3d extends LazyConvNd<ConvTranspose3d> {
  protected readonly spatialDims = 3;
  constructor(...args: ArgsOf<"torch.nn.LazyConvTranspose3d">) {
    super(bind("torch.nn.LazyConvTranspose3d", args));
  }
  protected build(input: Tensor): ConvTranspose3d {
    return new ConvTranspose3d({ ...(this.args as BoundOf<"torch.nn.LazyConvTranspose3d">), inChannels: this.inChannelsOf(input) });
  }
}

type NormBound = BoundOf<"torch.nn.LazyBatchNorm1d"> | BoundOf<"torch.nn.LazyInstanceNorm1d">;

/** The common part of the lazy norms (Python's _LazyNormBase): numFeatures is dim 1 of the first input. */
abstract class LazyNormNd<Real extends Module> extends LazyModule<Real> {
  readonly numFeatures = 0;
  weight: UninitializedParameter | null;
  bias: UninitializedParameter | null;
  declare runningMean: UninitializedBuffer | null;
  declare runningVar: UninitializedBuffer | null;
  declare numBatchesTracked: Tensor | null;
  protected readonly args: NormBound;

  protected constructor(args: NormBound) {
    super();
    this.args = args;
    this.weight = args.affine ? placeholder(args) : null;
    this.bias = args.affine ? placeholder(args) : null;
    this.stateKeys({ runningMean: "running_mean", runningVar: "running_var", numBatchesTracked: "num_batches_tracked" });
    const track = args.trackRunningStats;
    this.registerBuffer("runningMean", track ? new UninitializedBuffer(false, args.device, args.dtype) : null);
    this.registerBuffer("runningVar", track ? new UninitializedBuffer(false, args.device, args.dtype) : null);
    this.registerBuffer("numBatchesTracked", track ? scalarTensor(0, { dtype: "int64", device: args.device ?? undefined }) : null);
  }

  /** The real norm's bound arguments with numFeatures from `input` (Python takes its dim 1). */
  protected realArgs(input: Tensor): NormBound & { numFeatures: number } {
    if (input.dim() < 2) throw new Error(`${this.constructor.name}: expected an input with a channel dimension (got ${input.dim()}D input)`);
    return { ...this.args, numFeatures: input.shape[1]! };
  }
}

/** A BatchNorm1d whose numFeatures is inferred from the first input (torch.nn.LazyBatchNorm1d). Args: BatchNorm1d's without numFeatures. */
export class LazyBatchNorm1d extends LazyNormNd<BatchNorm1d> {
  constructor(...args: ArgsOf<"torch.nn.LazyBatchNorm1d">) {
    super(bind("torch.nn.LazyBatchNorm1d", args));
  }
  protected build(input: Tensor): BatchNorm1d {
    return new BatchNorm1d(this.realArgs(input));
  }
}
/** A BatchNorm2d whose numFeatures is inferred from the first input (torch.nn.LazyBatchNorm2d). */
export class LazyBatchNorm2d extends LazyNormNd<BatchNorm2d> {
  constructor(...args: ArgsOf<"torch.nn.LazyBatchNorm2d">) {
    super(bind("torch.nn.LazyBatchNorm2d", args));
  }
  protected build(input: Tensor): BatchNorm2d {
    return new BatchNorm2d(this.realArgs(input));
  }
}
/** A BatchNorm3d whose numFeatures is inferred from the first input (torch.nn.LazyBatchNorm3d). */
export class LazyBatchNorm3d extends LazyNormNd<BatchNorm3d> {
  constructor(...args: ArgsOf<"torch.nn.LazyBatchNorm3d">) {
    super(bind("torch.nn.LazyBatchNorm3d", args));
  }
  protected build(input: Tensor): BatchNorm3d {
    return new BatchNorm3d(this.realArgs(input));
  }
}
/** An InstanceNorm1d whose numFeatures is inferred from the first input (torch.nn.LazyInstanceNorm1d); affine and trackRunningStats default to true. */
export class LazyInstanceNorm1d extends LazyNormNd<InstanceNorm1d> {
  constructor(...args: ArgsOf<"torch.nn.LazyInstanceNorm1d">) {
    super(bind("torch.nn.LazyInstanceNorm1d", args));
  }
  protected build(input: Tensor): InstanceNorm1d {
    return new InstanceNorm1d(this.realArgs(input) as BoundOf<"torch.nn.InstanceNorm1d">);
  }
}
/** An InstanceNorm2d whose numFeatures is inferred from the first input (torch.nn.LazyInstanceNorm2d). */
export class LazyInstanceNorm2d extends LazyNormNd<InstanceNorm2d> {
  constructor(...args: ArgsOf<"torch.nn.LazyInstanceNorm2d">) {
    super(bind("torch.nn.LazyInstanceNorm2d", args));
  }
  protected build(input: Tensor): InstanceNorm2d {
    return new InstanceNorm2d(this.realArgs(input) as BoundOf<"torch.nn.InstanceNorm2d">);
  }
}
/** An InstanceNorm3d whose numFeatures is inferred from the first input (torch.nn.LazyInstanceNorm3d). */
export class LazyInstanceNorm3d extends LazyNormNd<InstanceNorm3d> {
  constructor(...args: ArgsOf<"torch.nn.LazyInstanceNorm3d">) {
    super(bind("torch.nn.LazyInstanceNorm3d", args));
  }
  protected build(input: Tensor): InstanceNorm3d {
    return new InstanceNorm3d(this.realArgs(input) as BoundOf<"torch.nn.InstanceNorm3d">);
  }
}
