// nn.Parameter: a Tensor that a Module registers as a learnable parameter when assigned to one
// of its properties.
import { Tensor, native } from "../tensor/tensor.js";
import { empty } from "../tensor/creation.js";
import { untrack } from "../tensor/scope.js";
import { parameterMarker } from "../serialization/torch-io.js";
import { bindArgs, type Param, type PyArgs } from "../binding/index.js";

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
  /**
   * @param data - the tensor to wrap (detached; default an empty tensor)
   * @param requiresGrad - whether the parameter records gradients (default true)
   */
  constructor(...args: PyArgs<[Param<"data", Tensor | null, true>, Param<"requiresGrad", boolean, true>]>) {
    const { data, requiresGrad } = bindArgs<{ data: Tensor | null | undefined; requiresGrad: boolean }>("torch.nn.Parameter", args);
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
