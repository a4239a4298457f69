// torch.autograd: grad, custom Functions, anomaly detection; Tensor.registerHook.
import "./hooks.js";

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
