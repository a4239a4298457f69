// Pooling layers (torch/nn/modules/pooling.py): MaxPool, AvgPool, LPPool, FractionalMaxPool,
// MaxUnpool, AdaptiveAvgPool and AdaptiveMaxPool. Each binds Python's constructor arguments and
// calls the aten kernel.
import type { Tensor } from "../tensor/tensor.js";
import { rand } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { Module } from "./module.js";
import { bind, type ArgsOf } from "../binding/index.js";

type IntOrTuple = number | readonly number[];

function show(v: IntOrTuple | null | undefined): string {
  if (v === null || v === undefined) return "None";
  return typeof v === "number" ? String(v) : `(${v.join(", ")})`;
}
const pyBool = (b: boolean): string => (b ? "True" : "False");

/** `value` as `n` integers (Python's _single/_pair/_triple). */
export function ntuple(value: IntOrTuple, n: number, what: string): number[] {
  const list = typeof value === "number" ? Array<number>(n).fill(value) : [...value];
  if (list.length === 1 && n > 1) return Array<number>(n).fill(list[0]!);
  if (list.length !== n) throw new Error(`${what} must be an int or a list of ${n} ints, got [${list.join(", ")}]`);
  return list;
}

/**
 * Max pooling over 1, 2 or 3 spatial dimensions (Python's _MaxPoolNd).
 *
 * With `returnIndices`, `forward` returns [output, indices] as Python's does; TypeScript code
 * reads that pair with `forwardWithIndices`.
 */
abstract class MaxPoolNd extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly dilation: IntOrTuple;
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;
  protected abstract readonly dims: 1 | 2 | 3;
  protected constructor(a: {
    kernelSize: IntOrTuple;
    stride: IntOrTuple | null;
    padding: IntOrTuple;
    dilation: IntOrTuple;
    returnIndices: boolean;
    ceilMode: boolean;
  }) {
    super();
    this.kernelSize = a.kernelSize;
    this.stride = a.stride ?? a.kernelSize;
    this.padding = a.padding;
    this.dilation = a.dilation;
    this.returnIndices = a.returnIndices;
    this.ceilMode = a.ceilMode;
  }
  /** [output, indices] whatever `returnIndices` says (the indices feed MaxUnpool). */
  forwardWithIndices(input: Tensor): [Tensor, Tensor] {
    const options = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    const kernels = [ops.maxPool1dWithIndices, ops.maxPool2dWithIndices, ops.maxPool3dWithIndices] as const;
    const [out, indices] = kernels[this.dims - 1](input, this.kernelSize, options);
    return [out, indices];
  }
  override forward(input: Tensor): Tensor {
    if (this.returnIndices) return this.forwardWithIndices(input) as unknown as Tensor;
    const options = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    const kernels = [ops.maxPool1d, ops.maxPool2d, ops.maxPool3d] as const;
    return kernels[this.dims - 1](input, this.kernelSize, options);
  }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/**
 * 1-d max pooling (torch.nn.MaxPool1d).
 *
 * Args: kernelSize, stride (default kernelSize), padding (0), dilation (1), returnIndices
 * (false), ceilMode (false). Shape: (N, C, L_in) or (C, L_in) -> (N, C, L_out).
 */
export class MaxPool1d extends MaxPoolNd {
  protected readonly dims = 1;
  constructor(...args: ArgsOf<"torch.nn.MaxPool1d">) {
    super(bind("torch.nn.MaxPool1d", args));
  }
}
/**
 * 2-d max pooling (torch.nn.MaxPool2d).
 *
 * Args (positionally or by name, in Python's order): kernelSize, stride (default kernelSize),
 * padding (0), dilation (1), returnIndices (false), ceilMode (false).
 *
 * Shape: (N, C, H_in, W_in) -> (N, C, H_out, W_out),
 * H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride + 1⌋.
 *
 * Example:
 *   new nn.MaxPool2d(2, 1) // kernel 2, stride 1
 */
export class MaxPool2d extends MaxPoolNd {
  protected readonly dims = 2;
  constructor(...args: ArgsOf<"torch.nn.MaxPool2d">) {
    super(bind("torch.nn.MaxPool2d", args));
  }
}
/** 3-d max pooling (torch.nn.MaxPool3d). Args as MaxPool2d. Shape: (N, C, D, H, W) -> (N, C, D_out, H_out, W_out). */
export class MaxPool3d extends MaxPoolNd {
  protected readonly dims = 3;
  constructor(...args: ArgsOf<"torch.nn.MaxPool3d">) {
    super(bind("torch.nn.MaxPool3d", args));
  }
}

/** Average pooling over 1, 2 or 3 spatial dimensions (Python's _AvgPoolNd). */
abstract class AvgPoolNd extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  protected constructor(a: {
    kernelSize: IntOrTuple;
    stride: IntOrTuple | null;
    padding: IntOrTuple;
    ceilMode: boolean;
    countIncludePad: boolean;
    divisorOverride?: number | null;
  }) {
    super();
    this.kernelSize = a.kernelSize;
    this.stride = a.stride ?? a.kernelSize;
    this.padding = a.padding;
    this.ceilMode = a.ceilMode;
    this.countIncludePad = a.countIncludePad;
    this.divisorOverride = a.divisorOverride ?? null;
  }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

/**
 * 1-d average pooling (torch.nn.AvgPool1d).
 *
 * Args: kernelSize, stride (default kernelSize), padding (0), ceilMode (false), countIncludePad
 * (true). Shape: (N, C, L_in) -> (N, C, L_out).
 */
export class AvgPool1d extends AvgPoolNd {
  constructor(...args: ArgsOf<"torch.nn.AvgPool1d">) {
    const a = bind("torch.nn.AvgPool1d", args);
    // Python's AvgPool1d defaults stride=None to the kernel size although it annotates an int.
    super({ ...a, stride: (a.stride as IntOrTuple | null) ?? null });
  }
  override forward(input: Tensor): Tensor {
    return ops.avgPool1d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    });
  }
}
/**
 * 2-d average pooling (torch.nn.AvgPool2d).
 *
 * Args: kernelSize, stride (default kernelSize), padding (0), ceilMode (false), countIncludePad
 * (true), divisorOverride (null). Shape: (N, C, H_in, W_in) -> (N, C, H_out, W_out).
 */
export class AvgPool2d extends AvgPoolNd {
  constructor(...args: ArgsOf<"torch.nn.AvgPool2d">) {
    super(bind("torch.nn.AvgPool2d", args));
  }
  override forward(input: Tensor): Tensor {
    return ops.avgPool2d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }
}
/** 3-d average pooling (torch.nn.AvgPool3d). Args as AvgPool2d. */
export class AvgPool3d extends AvgPoolNd {
  constructor(...args: ArgsOf<"torch.nn.AvgPool3d">) {
    super(bind("torch.nn.AvgPool3d", args));
  }
  override forward(input: Tensor): Tensor {
    return ops.avgPool3d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }
}

/**
 * Power-average pooling: (Σ x^p)^(1/p) over each window (Python's _LPPoolNd).
 */
abstract class LPPoolNd extends Module {
  readonly normType: number;
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple | null;
  readonly ceilMode: boolean;
  protected constructor(a: { normType: number; kernelSize: IntOrTuple; stride: IntOrTuple | null; ceilMode: boolean }) {
    super();
    this.normType = a.normType;
    this.kernelSize = a.kernelSize;
    this.stride = a.stride;
    this.ceilMode = a.ceilMode;
  }
  protected pool(input: Tensor, dims: 1 | 2 | 3): Tensor {
    const kernel = ntuple(this.kernelSize, dims, "kernel_size");
    const options = { stride: this.stride ?? this.kernelSize, padding: 0, ceilMode: this.ceilMode };
    const powered = input.pow(this.normType);
    const avgPool = [ops.avgPool1d, ops.avgPool2d, ops.avgPool3d][dims - 1]!;
    const out = avgPool(powered, this.kernelSize, options);
    const area = kernel.reduce((x, y) => x * y, 1);
    return out.sign().mul(out.abs().relu()).mul(area).pow(1 / this.normType);
  }
  override extraRepr(): string {
    return `norm_type=${this.normType}, kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}
/**
 * 1-d power-average pooling (torch.nn.LPPool1d): f(X) = (Σ_{x∈X} x^p)^(1/p).
 *
 * Args: normType (p), kernelSize, stride (default kernelSize), ceilMode (false).
 */
export class LPPool1d extends LPPoolNd {
  constructor(...args: ArgsOf<"torch.nn.LPPool1d">) {
    super(bind("torch.nn.LPPool1d", args));
  }
  override forward(input: Tensor): Tensor {
    return this.pool(input, 1);
  }
}
/** 2-d power-average pooling (torch.nn.LPPool2d). Args as LPPool1d. */
export class LPPool2d extends LPPoolNd {
  constructor(...args: ArgsOf<"torch.nn.LPPool2d">) {
    super(bind("torch.nn.LPPool2d", args));
  }
  override forward(input: Tensor): Tensor {
    return this.pool(input, 2);
  }
}
/** 3-d power-average pooling (torch.nn.LPPool3d, PyTorch 2.x, here on every version). Args as LPPool1d. */
export class LPPool3d extends LPPoolNd {
  constructor(...args: ArgsOf<"torch.nn.LPPool3d">) {
    super(bind("torch.nn.LPPool3d", args));
  }
  override forward(input: Tensor): Tensor {
    return this.pool(input, 3);
  }
}

/**
 * Fractional max pooling with pseudo-random windows (Python's FractionalMaxPool2d/3d, Graham
 * 2014): the output size is given, or `outputRatio` of the input's.
 */
abstract class FractionalMaxPoolNd extends Module {
  readonly kernelSize: IntOrTuple;
  readonly outputSize: IntOrTuple | null;
  readonly outputRatio: number[] | null;
  readonly returnIndices: boolean;
  protected abstract readonly dims: 2 | 3;
  protected constructor(
    dims: 2 | 3,
    a: { kernelSize: IntOrTuple; outputSize: IntOrTuple | null; outputRatio: number | readonly number[] | null; returnIndices: boolean },
  ) {
    super();
    const name = `FractionalMaxPool${dims}d`;
    this.kernelSize = a.kernelSize;
    this.outputSize = a.outputSize;
    this.returnIndices = a.returnIndices;
    this.outputRatio = a.outputRatio === null ? null : ntuple(a.outputRatio, dims, "output_ratio");
    if ((a.outputSize === null) === (a.outputRatio === null)) {
      throw new Error(`${name} requires specifying either an output size, or a pooling ratio`);
    }
    if (this.outputRatio && this.outputRatio.some((r) => !(r > 0 && r < 1))) {
      throw new Error(`output_ratio must be between 0 and 1 (got [${this.outputRatio.join(", ")}])`);
    }
  }
  /** [output, indices] whatever `returnIndices` says. */
  forwardWithIndices(input: Tensor): [Tensor, Tensor] {
    const dims = this.dims;
    const spatial = input.shape.slice(-dims);
    const outputSize = this.outputRatio
      ? this.outputRatio.map((r, i) => Math.trunc(spatial[i]! * r))
      : ntuple(this.outputSize!, dims, "output_size");
    const batch = input.dim() === dims + 1 ? 1 : input.shape[0]!;
    const channels = input.shape[input.dim() - dims - 1]!;
    const samples = rand([batch, channels, dims], { dtype: input.dtype, device: input.device });
    const kernel = dims === 2 ? ops.fractionalMaxPool2d : ops.fractionalMaxPool3d;
    const [out, indices] = kernel(input, this.kernelSize, outputSize, samples);
    return [out, indices];
  }
  override forward(input: Tensor): Tensor {
    const pair = this.forwardWithIndices(input);
    return this.returnIndices ? (pair as unknown as Tensor) : pair[0];
  }
}
/**
 * 2-d fractional max pooling (torch.nn.FractionalMaxPool2d).
 *
 * Args: kernelSize, outputSize (or) outputRatio in (0, 1), returnIndices (false).
 * Shape: (N, C, H_in, W_in) -> (N, C, H_out, W_out).
 */
export class FractionalMaxPool2d extends FractionalMaxPoolNd {
  protected readonly dims = 2;
  constructor(...args: ArgsOf<"torch.nn.FractionalMaxPool2d">) {
    super(2, bind("torch.nn.FractionalMaxPool2d", args));
  }
}
/** 3-d fractional max pooling (torch.nn.FractionalMaxPool3d). Args as FractionalMaxPool2d. */
export class FractionalMaxPool3d extends FractionalMaxPoolNd {
  protected readonly dims = 3;
  constructor(...args: ArgsOf<"torch.nn.FractionalMaxPool3d">) {
    super(3, bind("torch.nn.FractionalMaxPool3d", args));
  }
}

/** The partial inverse of MaxPool: maxima back at their indices, zeros elsewhere (Python's _MaxUnpoolNd). */
abstract class MaxUnpoolNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  protected abstract readonly dims: 1 | 2 | 3;
  protected constructor(dims: number, a: { kernelSize: IntOrTuple; stride: IntOrTuple | null; padding: IntOrTuple }) {
    super();
    this.kernelSize = ntuple(a.kernelSize, dims, "kernel_size");
    this.stride = ntuple(a.stride ?? a.kernelSize, dims, "stride");
    this.padding = ntuple(a.padding, dims, "padding");
  }
  /** Python's _unpool_output_size: the default size, or `outputSize`'s last dims checked against the range. */
  protected outputSizeFor(input: Tensor, outputSize: readonly number[] | null): number[] {
    const dims = this.dims;
    const spatial = input.shape.slice(-dims);
    const defaults = spatial.map((s, d) => (s - 1) * this.stride[d]! + this.kernelSize[d]! - 2 * this.padding[d]!);
    if (outputSize === null) return defaults;
    let size = [...outputSize];
    if (size.length === dims + 2) size = size.slice(2);
    if (size.length !== dims) {
      throw new Error(`output_size should be a sequence containing ${dims} or ${dims + 2} elements, but it has a length of '${outputSize.length}'`);
    }
    size.forEach((s, d) => {
      const least = defaults[d]! - this.stride[d]!;
      const most = defaults[d]! + this.stride[d]!;
      if (!(s > least && s < most)) {
        throw new Error(`invalid output_size "[${size.join(", ")}]" (dim ${d} must be between ${least} and ${most})`);
      }
    });
    return size;
  }
  override forward(input: Tensor, indices: Tensor, outputSize: readonly number[] | null = null): Tensor {
    const size = this.outputSizeFor(input, outputSize);
    if (this.dims === 1) return ops.maxUnpool2d(input.unsqueeze(-1), indices.unsqueeze(-1), [...size, 1]).squeeze(-1);
    if (this.dims === 2) return ops.maxUnpool2d(input, indices, size);
    return ops.maxUnpool3d(input, indices, size, this.stride, this.padding);
  }
  override extraRepr(): string {
    const tuple = (v: number[]): string => (v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`);
    return `kernel_size=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}, padding=${tuple(this.padding)}`;
  }
}
/**
 * Inverse of MaxPool1d (torch.nn.MaxUnpool1d): `forward(input, indices, outputSize?)` with the
 * indices MaxPool1d returned. Args: kernelSize, stride (default kernelSize), padding (0).
 */
export class MaxUnpool1d extends MaxUnpoolNd {
  protected readonly dims = 1;
  constructor(...args: ArgsOf<"torch.nn.MaxUnpool1d">) {
    super(1, bind("torch.nn.MaxUnpool1d", args));
  }
}
/**
 * Inverse of MaxPool2d (torch.nn.MaxUnpool2d).
 *
 * Example:
 *   const pool = new nn.MaxPool2d(2, { stride: 2, returnIndices: true });
 *   const [out, indices] = pool.forwardWithIndices(x);
 *   new nn.MaxUnpool2d(2, { stride: 2 }).forward(out, indices);
 */
export class MaxUnpool2d extends MaxUnpoolNd {
  protected readonly dims = 2;
  constructor(...args: ArgsOf<"torch.nn.MaxUnpool2d">) {
    super(2, bind("torch.nn.MaxUnpool2d", args));
  }
}
/** Inverse of MaxPool3d (torch.nn.MaxUnpool3d). */
export class MaxUnpool3d extends MaxUnpoolNd {
  protected readonly dims = 3;
  constructor(...args: ArgsOf<"torch.nn.MaxUnpool3d">) {
    super(3, bind("torch.nn.MaxUnpool3d", args));
  }
}

/** Output sizes with null meaning "the input's size" (Python's None). */
export type AdaptiveSize = number | null | readonly (number | null)[];

function adaptiveSize(input: Tensor, size: AdaptiveSize, dims: number, name: string): number[] {
  const list = typeof size === "number" || size === null ? Array<number | null>(dims).fill(size) : [...size];
  if (list.length !== dims) throw new Error(`${name}: output_size must have ${dims} elements, got ${list.length}`);
  const shape = input.shape;
  return list.map((s, i) => s ?? shape[shape.length - dims + i]!);
}

function checkAdaptiveSize(value: unknown, name: string): AdaptiveSize {
  const ok = (v: unknown): boolean => v === null || (typeof v === "number" && Number.isInteger(v) && v >= 0);
  if (ok(value) || (Array.isArray(value) && value.every(ok))) return value as AdaptiveSize;
  throw new TypeError(`${name}(): argument 'output_size' must be an int, None, or a list of them`);
}

abstract class AdaptivePoolNd extends Module {
  readonly outputSize: AdaptiveSize;
  protected constructor(outputSize: unknown) {
    super();
    this.outputSize = checkAdaptiveSize(outputSize, this.constructor.name);
  }
  override extraRepr(): string {
    const v = this.outputSize;
    return `output_size=${typeof v === "number" || v === null ? String(v ?? "None") : `(${v.map((x) => x ?? "None").join(", ")})`}`;
  }
}

/** Adaptive 1-d average pooling to a fixed output length (torch.nn.AdaptiveAvgPool1d). */
export class AdaptiveAvgPool1d extends AdaptivePoolNd {
  constructor(...args: ArgsOf<"torch.nn.AdaptiveAvgPool1d">) {
    super(bind("torch.nn.AdaptiveAvgPool1d", args).outputSize);
  }
  override forward(input: Tensor): Tensor {
    return ops.adaptiveAvgPool1d(input, adaptiveSize(input, this.outputSize, 1, "AdaptiveAvgPool1d"));
  }
}
/**
 * Adaptive 2-d average pooling (torch.nn.AdaptiveAvgPool2d): the output is H×W for any input
 * size. outputSize: an int (square) or [H, W], null keeping the input's size.
 *
 * Shape: (N, C, H_in, W_in) -> (N, C, H, W).
 */
export class AdaptiveAvgPool2d extends AdaptivePoolNd {
  constructor(...args: ArgsOf<"torch.nn.AdaptiveAvgPool2d">) {
    super(bind("torch.nn.AdaptiveAvgPool2d", args).outputSize);
  }
  override forward(input: Tensor): Tensor {
    return ops.adaptiveAvgPool2d(input, adaptiveSize(input, this.outputSize, 2, "AdaptiveAvgPool2d"));
  }
}
/** Adaptive 3-d average pooling (torch.nn.AdaptiveAvgPool3d). */
export class AdaptiveAvgPool3d extends AdaptivePoolNd {
  constructor(...args: ArgsOf<"torch.nn.AdaptiveAvgPool3d">) {
    super(bind("torch.nn.AdaptiveAvgPool3d", args).outputSize);
  }
  override forward(input: Tensor): Tensor {
    return ops.adaptiveAvgPool3d(input, adaptiveSize(input, this.outputSize, 3, "AdaptiveAvgPool3d"));
  }
}

/** Adaptive max pooling; with `returnIndices`, `forward` returns [output, indices] (read it with `forwardWithIndices`). */
abstract class AdaptiveMaxPoolNd extends AdaptivePoolNd {
  readonly returnIndices: boolean;
  protected abstract readonly dims: 1 | 2 | 3;
  protected constructor(a: { outputSize: unknown; returnIndices: boolean }) {
    super(a.outputSize);
    this.returnIndices = a.returnIndices;
  }
  forwardWithIndices(input: Tensor): [Tensor, Tensor] {
    const size = adaptiveSize(input, this.outputSize, this.dims, this.constructor.name);
    const kernels = [ops.adaptiveMaxPool1d, ops.adaptiveMaxPool2d, ops.adaptiveMaxPool3d] as const;
    const [out, indices] = kernels[this.dims - 1](input, size);
    return [out, indices];
  }
  override forward(input: Tensor): Tensor {
    const pair = this.forwardWithIndices(input);
    return this.returnIndices ? (pair as unknown as Tensor) : pair[0];
  }
}
/** Adaptive 1-d max pooling (torch.nn.AdaptiveMaxPool1d). Args: outputSize, returnIndices (false). */
export class AdaptiveMaxPool1d extends AdaptiveMaxPoolNd {
  protected readonly dims = 1;
  constructor(...args: ArgsOf<"torch.nn.AdaptiveMaxPool1d">) {
    super(bind("torch.nn.AdaptiveMaxPool1d", args));
  }
}
/** Adaptive 2-d max pooling (torch.nn.AdaptiveMaxPool2d). Args: outputSize, returnIndices (false). */
export class AdaptiveMaxPool2d extends AdaptiveMaxPoolNd {
  protected readonly dims = 2;
  constructor(...args: ArgsOf<"torch.nn.AdaptiveMaxPool2d">) {
    super(bind("torch.nn.AdaptiveMaxPool2d", args));
  }
}
/** Adaptive 3-d max pooling (torch.nn.AdaptiveMaxPool3d). Args: outputSize, returnIndices (false). */
export class AdaptiveMaxPool3d extends AdaptiveMaxPoolNd {
  protected readonly dims = 3;
  constructor(...args: ArgsOf<"torch.nn.AdaptiveMaxPool3d">) {
    super(bind("torch.nn.AdaptiveMaxPool3d", args));
  }
}
