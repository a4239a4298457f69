// Tensor.registerHook: a JS function called with the gradient of a tensor during backward.
import { native, Tensor } from "../tensor/tensor.js";

export interface RemovableHandle {
  remove(): void;
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * Calls `hook(grad)` each time a gradient for this tensor is computed, synchronously during
     * backward (torch.Tensor.register_hook). Returning a Tensor replaces the gradient.
     */
    registerHook(hook: (grad: Tensor) => Tensor | void | undefined): RemovableHandle;
  }
}

(Tensor.prototype as unknown as Record<string, unknown>).registerHook = function registerHook(
  this: Tensor,
  hook: (grad: Tensor) => Tensor | void | undefined,
): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("registerHook(): the hook must be a function");
  const N = native();
  const self = this;
  const id = N.registerHook(this._h, (g) => {
    const r = hook(new Tensor(g));
    if (r === undefined || r === null) return undefined;
    if (!(r instanceof Tensor)) throw new TypeError("registerHook(): a hook must return a Tensor or nothing");
    return r._h;
  });
  let removed = false;
  return {
    remove(): void {
      // By the tensor, not a saved handle: a freed tensor's handle may be reused by another.
      if (!removed && !self.isDisposed) N.removeHook(self._h, id);
      removed = true;
    },
  };
};
