// torch.autograd: grad, custom Functions, anomaly detection; Tensor.registerHook and
// Tensor.registerPostAccumulateGradHook.
import "./hooks.js";
import "./post-accumulate-grad-hook.js";

export {
  grad,
  backward,
  setDetectAnomaly,
  isAnomalyEnabled,
  detectAnomaly,
  type GradOptions,
  type BackwardOptions,
} from "./grad.js";
export { AutogradFunction as Function, FunctionCtx } from "./function.js";
export type { RemovableHandle } from "./hooks.js";
export { noGrad, enableGrad, inferenceMode, setGradEnabled, isGradEnabled } from "../tensor/runtime.js";
