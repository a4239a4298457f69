// Convolution layers: Conv1d/2d/3d and ConvTranspose1d/2d/3d.
import type { Tensor } from "../tensor/tensor.js";
import { empty } from "../tensor/creation.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import * as F from "./functional.js";
import * as init from "./init.js";
import { checkPositiveInt, factoryOf } from "./linear.js";
import type { Device } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { bind, type ArgsOf } from "../binding/index.js";

type IntOrTuple = number | readonly number[];
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** A convolution's bound constructor arguments (Python's _ConvNd keywords). */
export interface ConvArgs {
  inChannels: number;
  outChannels: number;
  kernelSize: IntOrTuple;
  stride: IntOrTuple;
  padding: IntOrTuple | string;
  dilation: IntOrTuple;
  groups: number;
  bias: boolean;
  paddingMode: string;
  outputPadding?: IntOrTuple;
  device: Device | null;
  dtype: DType | null;
}

function isPaddingMode(mode: string): mode is PaddingMode {
  return mode === "zeros" || mode === "reflect" || mode === "replicate" || mode === "circular";
}

function tuple(value: IntOrTuple, n: number, name: string): number[] {
  const list = typeof value === "number" ? Array<number>(n).fill(value) : [...value];
  if (list.length !== n || list.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new RangeError(`${name} must be a non-negative integer or a list of ${n} of them, got ${JSON.stringify(value)}`);
  }
  return list;
}

/** Python's tuple printing: (5,) and (5, 5). */
function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(", ")})`;
}

/** The common part of Conv and ConvTranspose layers (PyTorch's _ConvNd). */
export abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | "valid" | "same";
  readonly dilation: number[];
  readonly transposed: boolean;
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  weight: Parameter;
  bias: Parameter | null;

  protected constructor(dims: number, transposed: boolean, a: ConvArgs) {
    super();
    const name = this.constructor.name;
    const { inChannels, outChannels, groups, padding, paddingMode } = a;
    checkPositiveInt(inChannels, name, "inChannels");
    checkPositiveInt(outChannels, name, "outChannels");
    checkPositiveInt(groups, name, "groups");
    if (inChannels % groups !== 0) throw new Error("in_channels must be divisible by groups");
    if (outChannels % groups !== 0) throw new Error("out_channels must be divisible by groups");
    if (!isPaddingMode(paddingMode)) {
      throw new Error(`padding_mode must be one of zeros, reflect, replicate, circular, but got padding_mode='${paddingMode}'`);
    }
    if (transposed && paddingMode !== "zeros") {
      throw new Error(`Only "zeros" padding mode is supported for ${name}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = tuple(a.kernelSize, dims, "kernel_size");
    this.stride = tuple(a.stride, dims, "stride");
    this.dilation = tuple(a.dilation, dims, "dilation");
    if (typeof padding === "string") {
      if (padding !== "valid" && padding !== "same") {
        throw new Error(`Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
      }
      if (padding === "same" && this.stride.some((s) => s !== 1)) {
        throw new Error("padding='same' is not supported for strided convolutions");
      }
      this.padding = padding;
    } else {
      this.padding = tuple(padding, dims, "padding");
    }
    this.transposed = transposed;
    this.outputPadding = tuple(a.outputPadding ?? 0, dims, "output_padding");
    this.groups = groups;
    this.paddingMode = paddingMode;
    const factory = factoryOf(a);
    const shape = transposed
      ? [inChannels, outChannels / groups, ...this.kernelSize]
      : [outChannels, inChannels / groups, ...this.kernelSize];
    this.weight = new Parameter(empty(shape, factory));
    this.bias = a.bias ? new Parameter(empty([outChannels], factory)) : null;
    this.resetParameters();
  }

  /** PyTorch's default: kaiming uniform (a = √5) weight, bias from U(-1/√fan_in, 1/√fan_in). */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }

  /** The explicit padding for a non-zeros padding mode, in F.pad order (last dim first). */
  protected modePadding(): number[] {
    const padding = this.padding as number[];
    return [...padding].reverse().flatMap((p) => [p, p]);
  }

  protected convolve(input: Tensor, conv: (x: Tensor, w: Tensor, o: F.ConvOptions) => Tensor): Tensor {
    const common = { bias: this.bias, stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode !== "zeros") {
      const padded = F.pad(input, this.modePadding(), { mode: this.paddingMode });
      return conv(padded, this.weight, { ...common, padding: 0 });
    }
    return conv(input, this.weight, { ...common, padding: this.padding });
  }
}

/**
 * 1-d convolution over an input of several planes (torch.nn.Conv1d).
 *
 * Args (positionally or by name, in Python's order): inChannels, outChannels, kernelSize,
 * stride (1), padding (0 | "valid" | "same"), dilation (1), groups (1), bias (true),
 * paddingMode ("zeros"), device, dtype.
 *
 * Shape: Input (N, C_in, L_in) or (C_in, L_in); Output (N, C_out, L_out),
 * L_out = ⌊(L_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride + 1⌋.
 *
 * Attributes: weight (outChannels, inChannels/groups, kernelSize), bias (outChannels).
 */
export class Conv1d extends ConvNd {
  constructor(...args: ArgsOf<"torch.nn.Conv1d">) {
    super(1, false, bind("torch.nn.Conv1d", args));
  }
  override forward(input: Tensor): Tensor {
    return this.convolve(input, F.conv1d);
  }
}

/**
 * 2-d convolution over an input of several planes (torch.nn.Conv2d).
 *
 * Args (positionally or by name, in Python's order): inChannels, outChannels, kernelSize
 * (int or [kH, kW]), stride (1), padding (0 | "valid" | "same"), dilation (1), groups (1),
 * bias (true), paddingMode ("zeros"), device, dtype.
 *
 * Shape: Input (N, C_in, H_in, W_in) or (C_in, H_in, W_in); Output (N, C_out, H_out, W_out),
 * H_out = ⌊(H_in + 2·padding[0] − dilation[0]·(kernel_size[0] − 1) − 1) / stride[0] + 1⌋.
 *
 * Attributes: weight (outChannels, inChannels/groups, kH, kW), bias (outChannels), both from
 * U(-√k, √k), k = groups / (C_in · kH · kW).
 *
 * Example:
 *   const m = new nn.Conv2d(16, 33, [3, 5], { stride: [2, 1], padding: [4, 2] });
 *   const down = new nn.Conv2d(3, 8, 4, 2, 1); // stride 2, padding 1: 16x16 -> 8x8
 */
export class Conv2d extends ConvNd {
  constructor(...args: ArgsOf<"torch.nn.Conv2d">) {
    super(2, false, bind("torch.nn.Conv2d", args));
  }
  override forward(input: Tensor): Tensor {
    return this.convolve(input, F.conv2d);
  }
}

/**
 * 3-d convolution (torch.nn.Conv3d).
 *
 * Shape: Input (N, C_in, D, H, W) or (C_in, D, H, W); Output (N, C_out, D_out, H_out, W_out).
 *
 * Attributes: weight (outChannels, inChannels/groups, kD, kH, kW), bias (outChannels).
 */
export class Conv3d extends ConvNd {
  constructor(...args: ArgsOf<"torch.nn.Conv3d">) {
    super(3, false, bind("torch.nn.Conv3d", args));
  }
  override forward(input: Tensor): Tensor {
    return this.convolve(input, F.conv3d);
  }
}

/** The common part of the transposed convolutions (PyTorch's _ConvTransposeNd). */
export abstract class ConvTransposeNd extends ConvNd {
  protected constructor(dims: number, a: ConvArgs) {
    super(dims, true, a);
  }

  /** Python's _output_padding: the output padding that gives `outputSize` (or the layer's own). */
  protected outputPaddingFor(input: Tensor, outputSize: readonly number[] | null, dims: number): number[] {
    if (outputSize === null) return this.outputPadding;
    const batched = input.dim() === dims + 2;
    let size = [...outputSize];
    if (size.length === dims + (batched ? 2 : 1)) size = size.slice(-dims);
    if (size.length !== dims) {
      throw new Error(`ConvTranspose${dims}D: for ${input.dim()}D input, output_size must have ${dims} or ${dims + (batched ? 2 : 1)} elements (got ${outputSize.length})`);
    }
    const padding = this.padding as number[];
    const spatial = input.shape.slice(-dims);
    return size.map((want, d) => {
      const least = (spatial[d]! - 1) * this.stride[d]! - 2 * padding[d]! + this.dilation[d]! * (this.kernelSize[d]! - 1) + 1;
      const most = least + this.stride[d]! - 1;
      if (want < least || want > most) {
        throw new Error(`requested an output size of [${size.join(", ")}], but valid sizes range from ${least} to ${most} (for an input of [${spatial.join(", ")}])`);
      }
      return want - least;
    });
  }

  protected transposeOptions(input: Tensor, outputSize: readonly number[] | null, dims: number): F.ConvTransposeOptions {
    return {
      bias: this.bias,
      stride: this.stride,
      padding: this.padding as number[],
      outputPadding: this.outputPaddingFor(input, outputSize, dims),
      groups: this.groups,
      dilation: this.dilation,
    };
  }
}

/**
 * Transposed 1-d convolution (torch.nn.ConvTranspose1d).
 *
 * Shape: Input (N, C_in, L_in); Output (N, C_out, L_out), L_out = (L_in − 1)·stride −
 * 2·padding + dilation·(kernel_size − 1) + output_padding + 1.
 *
 * Attributes: weight (inChannels, outChannels/groups, kL), bias (outChannels).
 */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(...args: ArgsOf<"torch.nn.ConvTranspose1d">) {
    super(1, bind("torch.nn.ConvTranspose1d", args));
  }
  /** `outputSize` picks among the output sizes a strided transposed convolution can give. */
  override forward(input: Tensor, outputSize: readonly number[] | null = null): Tensor {
    return F.convTranspose1d(input, this.weight, this.transposeOptions(input, outputSize, 1));
  }
}

/**
 * Transposed 2-d convolution, a.k.a. fractionally-strided convolution (torch.nn.ConvTranspose2d).
 *
 * Args (positionally or by name, in Python's order): inChannels, outChannels, kernelSize,
 * stride (1), padding (0), outputPadding (0), groups (1), bias (true), dilation (1),
 * paddingMode ("zeros" only), device, dtype. `forward(input, outputSize?)`.
 *
 * Shape: Input (N, C_in, H_in, W_in); Output (N, C_out, H_out, W_out),
 * H_out = (H_in − 1)·stride[0] − 2·padding[0] + dilation[0]·(kernel_size[0] − 1) + output_padding[0] + 1.
 *
 * Attributes: weight (inChannels, outChannels/groups, kH, kW), bias (outChannels).
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(...args: ArgsOf<"torch.nn.ConvTranspose2d">) {
    super(2, bind("torch.nn.ConvTranspose2d", args));
  }
  /** `outputSize` picks among the output sizes a strided transposed convolution can give. */
  override forward(input: Tensor, outputSize: readonly number[] | null = null): Tensor {
    return F.convTranspose2d(input, this.weight, this.transposeOptions(input, outputSize, 2));
  }
}

/**
 * Transposed 3-d convolution (torch.nn.ConvTranspose3d).
 *
 * Attributes: weight (inChannels, outChannels/groups, kD, kH, kW), bias (outChannels).
 */
export class ConvTranspose3d extends ConvTransposeNd {
  constructor(...args: ArgsOf<"torch.nn.ConvTranspose3d">) {
    super(3, bind("torch.nn.ConvTranspose3d", args));
  }
  /** `outputSize` picks among the output sizes a strided transposed convolution can give. */
  override forward(input: Tensor, outputSize: readonly number[] | null = null): Tensor {
    return F.convTranspose3d(input, this.weight, this.transposeOptions(input, outputSize, 3));
  }
}
