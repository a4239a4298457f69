// nn.Parameter: a Tensor that a Module registers as a learnable parameter when assigned to one
// of its properties; Buffer, a buffer so; UninitializedParameter/UninitializedBuffer: the Lazy*
// modules' placeholders.
import { Tensor, native, describe, type Device } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { empty } from "../tensor/creation.js";
import { untrack } from "../tensor/scope.js";
import { noGrad } from "../tensor/runtime.js";
import { bind, type ArgsOf } from "../binding/index.js";
import { parameterMarker } from "../serialization/torch-io.js";

/**
 * A kind of Tensor that is a module parameter (torch.nn.Parameter).
 *
 * Assigning a Parameter to a property of a Module registers it: it then appears in
 * `parameters()`, `namedParameters()` and `stateDict()`.
 *
 * Args:
 *   data: the tensor to wrap; the parameter shares its storage but not its autograd history.
 *     Default: an empty tensor.
 *   requiresGrad: whether the parameter requires gradient. Default: true.
 */
export class Parameter extends Tensor {
  constructor(data?: Tensor, requiresGrad = true) {
    super(native().detach((data ?? empty([0]))._h));
    this.requiresGrad = requiresGrad;
    // A parameter lives as long as its module, even when the module is built inside tidy().
    untrack(this);
  }

  /** torch.save writes Parameters as torch.nn.Parameter, as Python does. */
  get [parameterMarker](): boolean {
    return true;
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/** Python's materialize(): gives a lazy tensor its shape in place, then its class becomes `becomes`. */
function materializeInPlace(t: Tensor, becomes: object, shape: readonly number[], device?: Device | null, dtype?: DType | null): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`materialize(): argument 'shape' must be a list of non-negative integers, not ${describe(shape)}`);
  }
  const data = empty(shape, { device: device ?? t.device, dtype: dtype ?? t.dtype });
  noGrad(() => t.setData(data));
  // The same object stays registered in its module and in any optimizer built before, as Python's
  // `self.__class__ = self.cls_to_become`.
  Object.setPrototypeOf(t, becomes);
}

/**
 * A parameter whose shape is not known yet (torch.nn.UninitializedParameter): what the Lazy*
 * modules hold until their first call. `materialize(shape)` gives it its shape in place, and it
 * becomes a plain Parameter, the same object (an optimizer built before sees it).
 *
 * Args (positionally or by name, as Python's): requiresGrad (true), device, dtype.
 */
export class UninitializedParameter extends Parameter {
  constructor(...args: ArgsOf<"torch.nn.UninitializedParameter">) {
    const { requiresGrad, device, dtype } = bind("torch.nn.UninitializedParameter", args);
    super(empty([0], { device: device ?? undefined, dtype: dtype ?? undefined }), requiresGrad);
  }

  /** Allocates the data (uninitialised values) with `shape`; device and dtype default to its own. */
  materialize(shape: readonly number[], device?: Device | null, dtype?: DType | null): void {
    materializeInPlace(this, Parameter.prototype, shape, device, dtype);
  }

  override toString(): string {
    return "<UninitializedParameter>";
  }
}

/**
 * A buffer whose shape is not known yet (torch.nn.UninitializedBuffer): the Lazy* norms' running
 * statistics until their first call; `materialize(shape)` makes it a plain Tensor in place.
 *
 * Args (positionally or by name, as Python's): requiresGrad (false), device, dtype.
 */
export class UninitializedBuffer extends Tensor {
  constructor(...args: ArgsOf<"torch.nn.UninitializedBuffer">) {
    const { requiresGrad, device, dtype } = bind("torch.nn.UninitializedBuffer", args);
    super(native().detach(empty([0], { device: device ?? undefined, dtype: dtype ?? undefined })._h));
    this.requiresGrad = requiresGrad;
    untrack(this);
  }

  /** Allocates the data (uninitialised values) with `shape`; device and dtype default to its own. */
  materialize(shape: readonly number[], device?: Device | null, dtype?: DType | null): void {
    materializeInPlace(this, Tensor.prototype, shape, device, dtype);
  }

  override toString(): string {
    return "<UninitializedBuffer>";
  }
}

/** Whether `t` is a lazy parameter or buffer not materialised yet (torch.nn.parameter.is_lazy). */
export function isLazy(t: unknown): t is UninitializedParameter | UninitializedBuffer {
  return t instanceof UninitializedParameter || t instanceof UninitializedBuffer;
}

/**
 * A tensor that a Module registers as a buffer when assigned to one of its properties
 * (torch.nn.Buffer, PyTorch 2.x; here on every version): state that is not a parameter, in the
 * state dict unless `persistent` is false. Same as `module.registerBuffer(name, tensor)`.
 *
 * Args: data (a tensor; default an empty one), persistent (true, by name).
 *
 * Example:
 *   class Net extends nn.Module { step = new nn.Buffer(torch.tensor(0)); } // state dict key "step"
 */
export class Buffer extends Tensor {
  readonly persistent: boolean;
  constructor(...args: ArgsOf<"torch.nn.Buffer">) {
    const { data, persistent } = bind("torch.nn.Buffer", args);
    const source = data ?? empty([0]);
    super(native().detach(source._h));
    this.requiresGrad = source.requiresGrad;
    this.persistent = persistent;
    // A buffer lives as long as its module, even when the module is built inside tidy().
    untrack(this);
  }
}
