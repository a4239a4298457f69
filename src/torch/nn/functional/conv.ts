// nn.functional convolutions: conv1d/2d/3d, their transposes, conv_tbc, fold and unfold.
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { bind, type ArgsOf } from "../../binding/index.js";

type Size = number | readonly number[];

function convolve(
  kernel: (input: Tensor, weight: Tensor, bias: Tensor | null, stride: Size, padding: Size, dilation: Size, groups: number) => Tensor,
  kernelSame: (input: Tensor, weight: Tensor, bias: Tensor | null, stride: Size, padding: string, dilation: Size, groups: number) => Tensor,
  a: { input: Tensor; weight: Tensor; bias: Tensor | null; stride: Size; padding: Size | string; dilation: Size; groups: number },
): Tensor {
  return typeof a.padding === "string"
    ? kernelSame(a.input, a.weight, a.bias, a.stride, a.padding, a.dilation, a.groups)
    : kernel(a.input, a.weight, a.bias, a.stride, a.padding, a.dilation, a.groups);
}

/**
 * 1-d convolution over an input of several planes.
 *
 * Args: input (N, C_in, L), weight (C_out, C_in/groups, kL), bias (C_out) or null, stride,
 * padding (an int, a list, "valid" or "same"), dilation, groups.
 *
 * @example
 * F.conv1d(x, w, null, 2, 1); // stride 2, padding 1
 */
export function conv1d(...args: ArgsOf<"torch.nn.functional.conv1d">): Tensor {
  return convolve(ops.conv1d, ops.conv1d, bind("torch.nn.functional.conv1d", args));
}
/**
 * 2-d convolution. input (N, C_in, H, W), weight (C_out, C_in/groups, kH, kW).
 *
 * @example
 * F.conv2d(x, w, b, 2, 1); // Python's F.conv2d(x, w, b, 2, 1): stride 2, padding 1
 */
export function conv2d(...args: ArgsOf<"torch.nn.functional.conv2d">): Tensor {
  return convolve(ops.conv2d, ops.conv2d, bind("torch.nn.functional.conv2d", args));
}
/** 3-d convolution. input (N, C_in, D, H, W), weight (C_out, C_in/groups, kD, kH, kW). */
export function conv3d(...args: ArgsOf<"torch.nn.functional.conv3d">): Tensor {
  return convolve(ops.conv3d, ops.conv3d, bind("torch.nn.functional.conv3d", args));
}

/**
 * Transposed 1-d convolution ("deconvolution"). weight (C_in, C_out/groups, kL).
 * Parameters in Python's order: input, weight, bias, stride, padding, output_padding, groups, dilation.
 */
export function convTranspose1d(...args: ArgsOf<"torch.nn.functional.conv_transpose1d">): Tensor {
  const a = bind("torch.nn.functional.conv_transpose1d", args);
  return ops.convTranspose1d(a.input, a.weight, a.bias, a.stride, a.padding, a.outputPadding, a.groups, a.dilation);
}
/** Transposed 2-d convolution. weight (C_in, C_out/groups, kH, kW). */
export function convTranspose2d(...args: ArgsOf<"torch.nn.functional.conv_transpose2d">): Tensor {
  const a = bind("torch.nn.functional.conv_transpose2d", args);
  return ops.convTranspose2d(a.input, a.weight, a.bias, a.stride, a.padding, a.outputPadding, a.groups, a.dilation);
}
/** Transposed 3-d convolution. weight (C_in, C_out/groups, kD, kH, kW). */
export function convTranspose3d(...args: ArgsOf<"torch.nn.functional.conv_transpose3d">): Tensor {
  const a = bind("torch.nn.functional.conv_transpose3d", args);
  return ops.convTranspose3d(a.input, a.weight, a.bias, a.stride, a.padding, a.outputPadding, a.groups, a.dilation);
}

/** 1-d sequence convolution in (time, batch, channel) layout. input (T, N, C_in), weight (kT, C_in, C_out), bias (C_out). */
export function convTbc(...args: ArgsOf<"torch.nn.functional.conv_tbc">): Tensor {
  const { input, weight, bias, pad } = bind("torch.nn.functional.conv_tbc", args);
  return ops.convTbc(input, weight, bias, pad);
}

/**
 * Extracts sliding local blocks (im2col): input (N, C, H, W) -> (N, C·∏kernel, L).
 *
 * @example
 * F.unfold(x, 2, 1, 0, 2); // kernel 2, dilation 1, padding 0, stride 2
 */
export function unfold(...args: ArgsOf<"torch.nn.functional.unfold">): Tensor {
  const { input, kernelSize, dilation, padding, stride } = bind("torch.nn.functional.unfold", args);
  if (input.dim() !== 4 && input.dim() !== 3) {
    throw new Error(`nn.functional.unfold(): Input Error: Only 3D or 4D input Tensors are supported (got ${input.dim()}D)`);
  }
  return ops.im2col(input, kernelSize, dilation, padding, stride);
}

/**
 * Combines sliding local blocks into a tensor (col2im), summing overlaps: the inverse layout of unfold.
 * input (N, C·∏kernel, L) -> (N, C, outputSize[0], outputSize[1]).
 */
export function fold(...args: ArgsOf<"torch.nn.functional.fold">): Tensor {
  const { input, outputSize, kernelSize, dilation, padding, stride } = bind("torch.nn.functional.fold", args);
  if (input.dim() !== 3 && input.dim() !== 2) {
    throw new Error(`nn.functional.fold(): Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got ${input.dim()}D)`);
  }
  return ops.col2im(input, outputSize, kernelSize, dilation, padding, stride);
}
