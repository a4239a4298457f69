// Options-object types of the functional layer's earlier API, still valid keyword forms of
// Python's parameters (the nn modules build them).
import type { Tensor } from "../../tensor/tensor.js";
import type { Reduction } from "./reduction.js";

type IntOrTuple = number | readonly number[];

export interface ConvOptions {
  bias?: Tensor | null;
  stride?: IntOrTuple;
  /** Implicit zero padding, or "valid" / "same". */
  padding?: IntOrTuple | string;
  dilation?: IntOrTuple;
  groups?: number;
}
export interface ConvTransposeOptions {
  bias?: Tensor | null;
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  dilation?: IntOrTuple;
}
export interface MaxPoolOptions {
  /** Default: kernelSize. */
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
}
export interface AvgPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}
export interface LossOptions {
  reduction?: Reduction;
}
export interface WeightedLossOptions extends LossOptions {
  /** A manual rescaling weight per class. */
  weight?: Tensor | null;
  /** A target value that is ignored and does not contribute to the gradient. Default: -100. */
  ignoreIndex?: number;
}
/** The keyword parameters of interpolate. */
export interface InterpolateOptions {
  /** Output spatial size (an int for every spatial dim, or one per dim). */
  size?: number | readonly number[];
  /** Multiplier of the spatial size (one, or one per dim). */
  scaleFactor?: number | readonly number[];
  mode?: string;
  /** For the linear modes: align the corner pixels' centres. */
  alignCorners?: boolean;
}
