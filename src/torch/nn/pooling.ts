// Pooling layers: MaxPool, AvgPool, AdaptiveAvgPool, AdaptiveMaxPool (1-d, 2-d, 3-d); Upsample.
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import * as F from "./functional.js";

type IntOrTuple = number | readonly number[];

function show(v: IntOrTuple | null | undefined): string {
  if (v === null || v === undefined) return "None";
  return typeof v === "number" ? String(v) : `(${v.join(", ")})`;
}

/** Max pooling options: stride defaults to kernelSize. */
export interface MaxPoolLayerOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
}

abstract class MaxPoolNd extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly dilation: IntOrTuple;
  readonly ceilMode: boolean;
  constructor(kernelSize: IntOrTuple, options: MaxPoolLayerOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
  }
  protected options(): F.MaxPoolOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceil_mode=${this.ceilMode ? "True" : "False"}`;
  }
}

/** 1-d max pooling (torch.nn.MaxPool1d). Shape: (N, C, L_in) -> (N, C, L_out). */
export class MaxPool1d extends MaxPoolNd {
  override forward(input: Tensor): Tensor {
    return F.maxPool1d(input, this.kernelSize, this.options());
  }
}
/**
 * 2-d max pooling (torch.nn.MaxPool2d).
 *
 * Args: kernelSize; options stride (default kernelSize), padding (0), dilation (1), ceilMode.
 *
 * Shape: (N, C, H_in, W_in) -> (N, C, H_out, W_out),
 * H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride + 1⌋.
 */
export class MaxPool2d extends MaxPoolNd {
  override forward(input: Tensor): Tensor {
    return F.maxPool2d(input, this.kernelSize, this.options());
  }
}
/** 3-d max pooling (torch.nn.MaxPool3d). Shape: (N, C, D, H, W) -> (N, C, D_out, H_out, W_out). */
export class MaxPool3d extends MaxPoolNd {
  override forward(input: Tensor): Tensor {
    return F.maxPool3d(input, this.kernelSize, this.options());
  }
}

export interface AvgPoolLayerOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

abstract class AvgPoolNd extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  constructor(kernelSize: IntOrTuple, options: AvgPoolLayerOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = options.divisorOverride ?? null;
  }
  protected options(): F.AvgPoolOptions {
    return {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    };
  }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

/** 1-d average pooling (torch.nn.AvgPool1d). Shape: (N, C, L_in) -> (N, C, L_out). */
export class AvgPool1d extends AvgPoolNd {
  override forward(input: Tensor): Tensor {
    const { divisorOverride: _unused, ...options } = this.options(); // avg_pool1d has no divisor_override
    return F.avgPool1d(input, this.kernelSize, options);
  }
}
/**
 * 2-d average pooling (torch.nn.AvgPool2d).
 *
 * Args: kernelSize; options stride (default kernelSize), padding (0), ceilMode (false),
 * countIncludePad (true), divisorOverride.
 *
 * Shape: (N, C, H_in, W_in) -> (N, C, H_out, W_out).
 */
export class AvgPool2d extends AvgPoolNd {
  override forward(input: Tensor): Tensor {
    return F.avgPool2d(input, this.kernelSize, this.options());
  }
}
/** 3-d average pooling (torch.nn.AvgPool3d). */
export class AvgPool3d extends AvgPoolNd {
  override forward(input: Tensor): Tensor {
    return F.avgPool3d(input, this.kernelSize, this.options());
  }
}

abstract class AdaptivePoolNd extends Module {
  readonly outputSize: F.AdaptiveSize;
  constructor(outputSize: F.AdaptiveSize) {
    super();
    this.outputSize = outputSize;
  }
  override extraRepr(): string {
    const v = this.outputSize;
    return `output_size=${typeof v === "number" ? v : `(${v.map((x) => x ?? "None").join(", ")})`}`;
  }
}

/** Adaptive 1-d average pooling to a fixed output length (torch.nn.AdaptiveAvgPool1d). */
export class AdaptiveAvgPool1d extends AdaptivePoolNd {
  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool1d(input, this.outputSize);
  }
}
/**
 * Adaptive 2-d average pooling (torch.nn.AdaptiveAvgPool2d): the output is H×W for any input
 * size. outputSize: an int (square) or [H, W], null keeping the input's size.
 *
 * Shape: (N, C, H_in, W_in) -> (N, C, H, W).
 */
export class AdaptiveAvgPool2d extends AdaptivePoolNd {
  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool2d(input, this.outputSize);
  }
}
/** Adaptive 3-d average pooling (torch.nn.AdaptiveAvgPool3d). */
export class AdaptiveAvgPool3d extends AdaptivePoolNd {
  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool3d(input, this.outputSize);
  }
}
/** Adaptive 1-d max pooling (torch.nn.AdaptiveMaxPool1d). */
export class AdaptiveMaxPool1d extends AdaptivePoolNd {
  override forward(input: Tensor): Tensor {
    return F.adaptiveMaxPool1d(input, this.outputSize);
  }
}
/** Adaptive 2-d max pooling (torch.nn.AdaptiveMaxPool2d). */
export class AdaptiveMaxPool2d extends AdaptivePoolNd {
  override forward(input: Tensor): Tensor {
    return F.adaptiveMaxPool2d(input, this.outputSize);
  }
}

/**
 * Upsamples (N, C, *spatial) inputs by `size` or `scaleFactor` (torch.nn.Upsample), with mode
 * "nearest" (default), "linear", "bilinear", "bicubic" or "trilinear".
 */
export class Upsample extends Module {
  readonly options: F.InterpolateOptions;
  constructor(options: F.InterpolateOptions) {
    super();
    this.options = { ...options };
  }
  override forward(input: Tensor): Tensor {
    return F.interpolate(input, this.options);
  }
  override extraRepr(): string {
    const { size, scaleFactor, mode = "nearest" } = this.options;
    const float = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));
    if (size !== undefined) return `size=${typeof size === "number" ? size : `(${size.join(", ")})`}, mode='${mode}'`;
    const scale = typeof scaleFactor === "number" ? float(scaleFactor) : `(${(scaleFactor ?? []).map(float).join(", ")})`;
    return `scale_factor=${scale}, mode='${mode}'`;
  }
}
