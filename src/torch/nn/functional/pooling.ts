// nn.functional pooling: max, average, adaptive, power-average (lp), fractional max and max-unpooling.
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { rand } from "../../tensor/creation.js";
import { bind, type ArgsOf } from "../../binding/index.js";
import { requireTorch2 } from "../../since-version.js";

type Size = number | readonly number[];

/** A size as `n` values: an int repeated, or a list of length n (Python's _single/_pair/_triple). */
function ntuple(value: Size, n: number, fn: string, name: string): number[] {
  if (typeof value === "number") return Array<number>(n).fill(value);
  if (value.length === 1 && n > 1) return Array<number>(n).fill(value[0]!);
  if (value.length !== n) throw new Error(`nn.functional.${fn}(): ${name} must be an int or a list of ${n} ints, got [${value.join(", ")}]`);
  return [...value];
}

function returnIndicesRefused(returnIndices: boolean, fn: string): void {
  // TypeScript types a function by one return type: the tuple form has its own name, as in Python.
  if (returnIndices) throw new TypeError(`nn.functional.${fn}(): returnIndices: true returns [output, indices]: call nn.functional.${fn}WithIndices`);
}

/**
 * 1-d max pooling over (N, C, L) or (C, L).
 *
 * Args: input, kernelSize, stride (default: kernelSize), padding, dilation, ceilMode, returnIndices
 * (use `maxPool1dWithIndices` for the indices).
 */
export function maxPool1d(...args: ArgsOf<"torch.nn.functional.max_pool1d">): Tensor {
  const a = bind("torch.nn.functional.max_pool1d", args);
  returnIndicesRefused(a.returnIndices, "maxPool1d");
  return ops.maxPool1d(a.input, a.kernelSize, a.stride ?? [], a.padding, a.dilation, a.ceilMode);
}
/**
 * 2-d max pooling over (N, C, H, W) or (C, H, W).
 *
 * @example
 * F.maxPool2d(x, 2, 1); // kernel 2, stride 1 (Python's F.max_pool2d(x, 2, 1))
 */
export function maxPool2d(...args: ArgsOf<"torch.nn.functional.max_pool2d">): Tensor {
  const a = bind("torch.nn.functional.max_pool2d", args);
  returnIndicesRefused(a.returnIndices, "maxPool2d");
  return ops.maxPool2d(a.input, a.kernelSize, a.stride ?? [], a.padding, a.dilation, a.ceilMode);
}
/** 3-d max pooling over (N, C, D, H, W) or (C, D, H, W). */
export function maxPool3d(...args: ArgsOf<"torch.nn.functional.max_pool3d">): Tensor {
  const a = bind("torch.nn.functional.max_pool3d", args);
  returnIndicesRefused(a.returnIndices, "maxPool3d");
  return ops.maxPool3d(a.input, a.kernelSize, a.stride ?? [], a.padding, a.dilation, a.ceilMode);
}
/** 1-d max pooling returning [output, indices] (the indices feed maxUnpool1d). */
export function maxPool1dWithIndices(...args: ArgsOf<"torch.nn.functional.max_pool1d_with_indices">): [Tensor, Tensor] {
  const a = bind("torch.nn.functional.max_pool1d_with_indices", args);
  return ops.maxPool1dWithIndices(a.input, a.kernelSize, a.stride ?? [], a.padding, a.dilation, a.ceilMode);
}
/** 2-d max pooling returning [output, indices]. */
export function maxPool2dWithIndices(...args: ArgsOf<"torch.nn.functional.max_pool2d_with_indices">): [Tensor, Tensor] {
  const a = bind("torch.nn.functional.max_pool2d_with_indices", args);
  const stride = a.stride ?? [];
  return ops.maxPool2dWithIndices(a.input, a.kernelSize, { stride, padding: a.padding, dilation: a.dilation, ceilMode: a.ceilMode });
}
/** 3-d max pooling returning [output, indices]. */
export function maxPool3dWithIndices(...args: ArgsOf<"torch.nn.functional.max_pool3d_with_indices">): [Tensor, Tensor] {
  const a = bind("torch.nn.functional.max_pool3d_with_indices", args);
  const stride = a.stride ?? [];
  return ops.maxPool3dWithIndices(a.input, a.kernelSize, { stride, padding: a.padding, dilation: a.dilation, ceilMode: a.ceilMode });
}

/** 1-d average pooling. Args: input, kernelSize, stride (default: kernelSize), padding, ceilMode, countIncludePad. */
export function avgPool1d(...args: ArgsOf<"torch.nn.functional.avg_pool1d">): Tensor {
  const a = bind("torch.nn.functional.avg_pool1d", args);
  return ops.avgPool1d(a.input, a.kernelSize, a.stride ?? [], a.padding, a.ceilMode, a.countIncludePad);
}
/** 2-d average pooling; `divisorOverride` replaces the window size as divisor. */
export function avgPool2d(...args: ArgsOf<"torch.nn.functional.avg_pool2d">): Tensor {
  const a = bind("torch.nn.functional.avg_pool2d", args);
  return ops.avgPool2d(a.input, a.kernelSize, a.stride ?? [], a.padding, a.ceilMode, a.countIncludePad, a.divisorOverride);
}
/** 3-d average pooling. */
export function avgPool3d(...args: ArgsOf<"torch.nn.functional.avg_pool3d">): Tensor {
  const a = bind("torch.nn.functional.avg_pool3d", args);
  return ops.avgPool3d(a.input, a.kernelSize, a.stride ?? [], a.padding, a.ceilMode, a.countIncludePad, a.divisorOverride);
}

/** Output sizes with null meaning "the input's size" (Python's None). */
export type AdaptiveSize = number | readonly (number | null)[];
function adaptiveSize(input: Tensor, size: unknown, dims: number, fn: string): number[] {
  const list = typeof size === "number" ? Array<number>(dims).fill(size) : (size as readonly (number | null)[]);
  if (!Array.isArray(list) || list.length !== dims) {
    throw new Error(`nn.functional.${fn}(): output_size must be an int or a list of ${dims} ints (or nulls)`);
  }
  const shape = input.shape;
  return list.map((s: number | null, i) => s ?? shape[shape.length - dims + i]!);
}

/** 1-d adaptive average pooling to `outputSize`. */
export function adaptiveAvgPool1d(...args: ArgsOf<"torch.nn.functional.adaptive_avg_pool1d">): Tensor {
  const { input, outputSize } = bind("torch.nn.functional.adaptive_avg_pool1d", args);
  return ops.adaptiveAvgPool1d(input, adaptiveSize(input, outputSize, 1, "adaptiveAvgPool1d"));
}
/** 2-d adaptive average pooling to `outputSize` (an int, or [H, W] with null keeping the input's). */
export function adaptiveAvgPool2d(...args: ArgsOf<"torch.nn.functional.adaptive_avg_pool2d">): Tensor {
  const { input, outputSize } = bind("torch.nn.functional.adaptive_avg_pool2d", args);
  return ops.adaptiveAvgPool2d(input, adaptiveSize(input, outputSize, 2, "adaptiveAvgPool2d"));
}
/** 3-d adaptive average pooling. */
export function adaptiveAvgPool3d(...args: ArgsOf<"torch.nn.functional.adaptive_avg_pool3d">): Tensor {
  const { input, outputSize } = bind("torch.nn.functional.adaptive_avg_pool3d", args);
  return ops.adaptiveAvgPool3d(input, adaptiveSize(input, outputSize, 3, "adaptiveAvgPool3d"));
}
/** 1-d adaptive max pooling (use adaptiveMaxPool1dWithIndices for the indices). */
export function adaptiveMaxPool1d(...args: ArgsOf<"torch.nn.functional.adaptive_max_pool1d">): Tensor {
  const { input, outputSize, returnIndices } = bind("torch.nn.functional.adaptive_max_pool1d", args);
  returnIndicesRefused(returnIndices, "adaptiveMaxPool1d");
  return ops.adaptiveMaxPool1d(input, adaptiveSize(input, outputSize, 1, "adaptiveMaxPool1d"))[0];
}
/** 2-d adaptive max pooling. */
export function adaptiveMaxPool2d(...args: ArgsOf<"torch.nn.functional.adaptive_max_pool2d">): Tensor {
  const { input, outputSize, returnIndices } = bind("torch.nn.functional.adaptive_max_pool2d", args);
  returnIndicesRefused(returnIndices, "adaptiveMaxPool2d");
  return ops.adaptiveMaxPool2d(input, adaptiveSize(input, outputSize, 2, "adaptiveMaxPool2d"))[0];
}
/** 3-d adaptive max pooling. */
export function adaptiveMaxPool3d(...args: ArgsOf<"torch.nn.functional.adaptive_max_pool3d">): Tensor {
  const { input, outputSize, returnIndices } = bind("torch.nn.functional.adaptive_max_pool3d", args);
  returnIndicesRefused(returnIndices, "adaptiveMaxPool3d");
  return ops.adaptiveMaxPool3d(input, adaptiveSize(input, outputSize, 3, "adaptiveMaxPool3d"))[0];
}
/** 1-d adaptive max pooling returning [output, indices]. */
export function adaptiveMaxPool1dWithIndices(...args: ArgsOf<"torch.nn.functional.adaptive_max_pool1d_with_indices">): [Tensor, Tensor] {
  const { input, outputSize } = bind("torch.nn.functional.adaptive_max_pool1d_with_indices", args);
  return ops.adaptiveMaxPool1d(input, adaptiveSize(input, outputSize, 1, "adaptiveMaxPool1dWithIndices"));
}
/** 2-d adaptive max pooling returning [output, indices]. */
export function adaptiveMaxPool2dWithIndices(...args: ArgsOf<"torch.nn.functional.adaptive_max_pool2d_with_indices">): [Tensor, Tensor] {
  const { input, outputSize } = bind("torch.nn.functional.adaptive_max_pool2d_with_indices", args);
  return ops.adaptiveMaxPool2d(input, adaptiveSize(input, outputSize, 2, "adaptiveMaxPool2dWithIndices"));
}
/** 3-d adaptive max pooling returning [output, indices]. */
export function adaptiveMaxPool3dWithIndices(...args: ArgsOf<"torch.nn.functional.adaptive_max_pool3d_with_indices">): [Tensor, Tensor] {
  const { input, outputSize } = bind("torch.nn.functional.adaptive_max_pool3d_with_indices", args);
  return ops.adaptiveMaxPool3d(input, adaptiveSize(input, outputSize, 3, "adaptiveMaxPool3dWithIndices"));
}

function lpPool(input: Tensor, normType: number, kernelSize: Size, stride: Size | null, ceilMode: boolean, dims: 1 | 2 | 3): Tensor {
  const kernel = ntuple(kernelSize, dims, `lpPool${dims}d`, "kernel_size");
  const powered = input.pow(normType);
  const pooled =
    dims === 1
      ? ops.avgPool1d(powered, kernel, stride ?? [], 0, ceilMode)
      : dims === 2
        ? ops.avgPool2d(powered, kernel, stride ?? [], 0, ceilMode)
        : ops.avgPool3d(powered, kernel, stride ?? [], 0, ceilMode);
  const area = kernel.reduce((x, y) => x * y, 1);
  return pooled.sign().mul(pooled.abs().relu()).mul(area).pow(1 / normType);
}
/** 1-d power-average pooling: (Σ xᵖ)^(1/p) over each window. Args: input, normType (p), kernelSize, stride, ceilMode. */
export function lpPool1d(...args: ArgsOf<"torch.nn.functional.lp_pool1d">): Tensor {
  const a = bind("torch.nn.functional.lp_pool1d", args);
  return lpPool(a.input, a.normType, a.kernelSize, a.stride, a.ceilMode, 1);
}
/** 2-d power-average pooling. */
export function lpPool2d(...args: ArgsOf<"torch.nn.functional.lp_pool2d">): Tensor {
  const a = bind("torch.nn.functional.lp_pool2d", args);
  return lpPool(a.input, a.normType, a.kernelSize, a.stride, a.ceilMode, 2);
}
/** 3-d power-average pooling (PyTorch 2.2+). */
export function lpPool3d(...args: ArgsOf<"torch.nn.functional.lp_pool3d">): Tensor {
  requireTorch2("nn.functional.lpPool3d");
  const a = bind("torch.nn.functional.lp_pool3d", args);
  return lpPool(a.input, a.normType, a.kernelSize, a.stride, a.ceilMode, 3);
}

function fractional(
  fn: string,
  dims: 2 | 3,
  a: { input: Tensor; kernelSize: Size; outputSize: Size | null; outputRatio: number | readonly number[] | null },
): [Tensor, Tensor] {
  const { input } = a;
  let outputSize: number[];
  if (a.outputSize !== null) outputSize = ntuple(a.outputSize, dims, fn, "output_size");
  else if (a.outputRatio !== null) {
    const ratio = ntuple(a.outputRatio, dims, fn, "output_ratio");
    outputSize = ratio.map((r, i) => Math.trunc(input.shape[input.dim() - dims + i]! * r));
  } else throw new Error(`${fn} requires specifying either an output_size or an output_ratio`);
  const batch = input.dim() === dims + 1 ? 1 : input.shape[0]!;
  // Python draws the window offsets with torch.rand from the default generator: same seed, same windows.
  const samples = rand([batch, input.shape[input.dim() - dims - 1]!, dims], { dtype: input.dtype });
  const kernel = ops[dims === 2 ? "fractionalMaxPool2d" : "fractionalMaxPool3d"];
  return kernel(input, ntuple(a.kernelSize, dims, fn, "kernel_size"), outputSize, samples);
}
/** 2-d fractional max pooling (Graham): give `outputSize` or `outputRatio`; random windows from the default generator. */
export function fractionalMaxPool2d(...args: ArgsOf<"torch.nn.functional.fractional_max_pool2d">): Tensor {
  const a = bind("torch.nn.functional.fractional_max_pool2d", args);
  returnIndicesRefused(a.returnIndices, "fractionalMaxPool2d");
  return fractional("fractional_max_pool2d", 2, a)[0];
}
/** 3-d fractional max pooling. */
export function fractionalMaxPool3d(...args: ArgsOf<"torch.nn.functional.fractional_max_pool3d">): Tensor {
  const a = bind("torch.nn.functional.fractional_max_pool3d", args);
  returnIndicesRefused(a.returnIndices, "fractionalMaxPool3d");
  return fractional("fractional_max_pool3d", 3, a)[0];
}
/** 2-d fractional max pooling returning [output, indices]. */
export function fractionalMaxPool2dWithIndices(...args: ArgsOf<"torch.nn.functional.fractional_max_pool2d_with_indices">): [Tensor, Tensor] {
  return fractional("fractional_max_pool2d", 2, bind("torch.nn.functional.fractional_max_pool2d_with_indices", args));
}
/** 3-d fractional max pooling returning [output, indices]. */
export function fractionalMaxPool3dWithIndices(...args: ArgsOf<"torch.nn.functional.fractional_max_pool3d_with_indices">): [Tensor, Tensor] {
  return fractional("fractional_max_pool3d", 3, bind("torch.nn.functional.fractional_max_pool3d_with_indices", args));
}

function unpoolOutputSize(
  input: Tensor,
  kernel: number[],
  stride: number[],
  padding: number[],
  outputSize: Size | null,
  fn: string,
): number[] {
  const dims = kernel.length;
  const shape = input.shape;
  const defaults = kernel.map((k, d) => (shape[shape.length - dims + d]! - 1) * stride[d]! + k - 2 * padding[d]!);
  if (outputSize === null) return defaults;
  let size = typeof outputSize === "number" ? [outputSize] : [...outputSize];
  if (size.length === dims + 2) size = size.slice(2);
  if (size.length !== dims) throw new Error(`nn.functional.${fn}(): output_size should be a sequence containing ${dims} or ${dims + 2} elements, but it has a length of '${size.length}'`);
  size.forEach((s, d) => {
    const min = defaults[d]! - stride[d]!;
    const max = defaults[d]! + stride[d]!;
    if (!(min < s && s < max)) throw new Error(`nn.functional.${fn}(): invalid output_size "[${size.join(", ")}]" (dim ${d} must be between ${min} and ${max})`);
  });
  return size;
}

function unpool(
  fn: string,
  dims: 1 | 2 | 3,
  a: { input: Tensor; indices: Tensor; kernelSize: Size; stride: Size | null; padding: Size; outputSize: Size | null },
): Tensor {
  const kernel = ntuple(a.kernelSize, dims, fn, "kernel_size");
  const stride = a.stride === null ? kernel : ntuple(a.stride, dims, fn, "stride");
  const padding = ntuple(a.padding, dims, fn, "padding");
  const size = unpoolOutputSize(a.input, kernel, stride, padding, a.outputSize, fn);
  if (dims === 1) return ops.maxUnpool2d(a.input.unsqueeze(-1), a.indices.unsqueeze(-1), [...size, 1]).squeeze(-1);
  if (dims === 2) return ops.maxUnpool2d(a.input, a.indices, size);
  return ops.maxUnpool3d(a.input, a.indices, size, stride, padding);
}
/** Partial inverse of maxPool1d: places each value at its index, zeros elsewhere. */
export function maxUnpool1d(...args: ArgsOf<"torch.nn.functional.max_unpool1d">): Tensor {
  return unpool("maxUnpool1d", 1, bind("torch.nn.functional.max_unpool1d", args));
}
/** Partial inverse of maxPool2d. */
export function maxUnpool2d(...args: ArgsOf<"torch.nn.functional.max_unpool2d">): Tensor {
  return unpool("maxUnpool2d", 2, bind("torch.nn.functional.max_unpool2d", args));
}
/** Partial inverse of maxPool3d. */
export function maxUnpool3d(...args: ArgsOf<"torch.nn.functional.max_unpool3d">): Tensor {
  return unpool("maxUnpool3d", 3, bind("torch.nn.functional.max_unpool3d", args));
}
