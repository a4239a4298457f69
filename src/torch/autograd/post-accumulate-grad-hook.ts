// Tensor.registerPostAccumulateGradHook (torch/_tensor.py register_post_accumulate_grad_hook, 2.x):
// a JS function called with the leaf after backward accumulated its `.grad`, e.g. to step an
// optimizer per parameter while backward still runs.
import { native, Tensor } from "../tensor/tensor.js";
import { bind, type ArgsOf } from "../binding/index.js";
import { requireTorch2 } from "../since-version.js";
import type { RemovableHandle } from "./hooks.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * Calls `hook(tensor)` each time backward has accumulated a gradient into this leaf's `.grad`
     * (torch.Tensor.register_post_accumulate_grad_hook, PyTorch 2.x). The hook returns nothing;
     * it may read and change `tensor.grad`. Only on a leaf that requires grad.
     *
     * @example
     * const handle = w.registerPostAccumulateGradHook((p) => p.grad!.clamp_(-1, 1));
     */
    registerPostAccumulateGradHook(...args: ArgsOf<"torch.Tensor.register_post_accumulate_grad_hook">): RemovableHandle;
  }
}

(Tensor.prototype as unknown as Record<string, unknown>).registerPostAccumulateGradHook = function registerPostAccumulateGradHook(
  this: Tensor,
  ...args: unknown[]
): RemovableHandle {
  requireTorch2("Tensor.registerPostAccumulateGradHook");
  const { hook } = bind("torch.Tensor.register_post_accumulate_grad_hook", args);
  if (typeof hook !== "function") throw new TypeError("Tensor.registerPostAccumulateGradHook(): the hook must be a function");
  if (!this.requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  if (!this.isLeaf) throw new Error("post accumulate grad hooks cannot be registered on non-leaf tensors");
  const N = native();
  const self = this;
  const id = N.registerPostAccumulateGradHook(this._h, () => {
    const result: unknown = (hook as (tensor: Tensor) => unknown)(self);
    if (result !== undefined && result !== null) throw new Error("Tensor post accumulate grad hooks should return None.");
  });
  let removed = false;
  return {
    remove(): void {
      if (!removed && !self.isDisposed) N.removePostAccumulateGradHook(self._h, id);
      removed = true;
    },
  };
};
