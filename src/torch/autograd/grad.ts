// torch.autograd.grad and anomaly detection.
import { native, Tensor } from "../tensor/tensor.js";

export interface GradOptions {
  /** The vector of the vector-Jacobian product, one per output (undefined: ones for a scalar). */
  gradOutputs?: readonly (Tensor | undefined | null)[] | Tensor;
  /** Keep the graph for another backward pass (default: createGraph). */
  retainGraph?: boolean;
  /** Record the gradient computation, for higher-order derivatives. */
  createGraph?: boolean;
  /** Give undefined for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

const list = (x: Tensor | readonly Tensor[]): readonly Tensor[] => (x instanceof Tensor ? [x] : x);

/**
 * The gradients of `outputs` with respect to `inputs` (torch.autograd.grad), one per input,
 * without touching `.grad`. Undefined for an unused input when `allowUnused`.
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | undefined)[] {
  const go = options.gradOutputs;
  const gradOutputs = go === undefined ? undefined : go instanceof Tensor ? [go._h] : go.map((g) => g?._h);
  return native()
    .autogradGrad(
      list(outputs).map((t) => t._h),
      list(inputs).map((t) => t._h),
      gradOutputs,
      options.retainGraph,
      options.createGraph,
      options.allowUnused,
    )
    .map((h) => (h === undefined ? undefined : new Tensor(h)));
}

export interface BackwardOptions {
  /** One gradient per tensor (undefined: ones, for scalar tensors). */
  gradTensors?: readonly (Tensor | undefined | null)[] | Tensor;
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Accumulate into these leaves' `.grad` only. */
  inputs?: Tensor | readonly Tensor[];
}

/**
 * Accumulates into the leaves' `.grad` the gradients of `tensors` (torch.autograd.backward):
 * `backward()` for several outputs at once.
 */
export function backward(tensors: Tensor | readonly Tensor[], options: BackwardOptions = {}): void {
  const g = options.gradTensors;
  native().autogradBackward(
    list(tensors).map((t) => t._h),
    g === undefined ? undefined : g instanceof Tensor ? [g._h] : g.map((x) => x?._h),
    options.retainGraph,
    options.createGraph,
    options.inputs === undefined ? undefined : list(options.inputs).map((t) => t._h),
  );
}

/** Turns anomaly detection on or off (torch.autograd.set_detect_anomaly). */
export function setDetectAnomaly(enabled: boolean): void {
  native().setAnomalyEnabled(enabled);
}
export function isAnomalyEnabled(): boolean {
  return native().isAnomalyEnabled();
}
/**
 * Runs `fn` with anomaly detection on (torch.autograd.detect_anomaly): backward errors name
 * the forward op that made the failing node, and NaN gradients throw.
 */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = native().setAnomalyEnabled(true);
  try {
    return fn();
  } finally {
    native().setAnomalyEnabled(previous);
  }
}
