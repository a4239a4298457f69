// nn.functional for images and grids: pad, pixel/channel shuffle, interpolate/upsample, grid_sample, affine_grid.
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { bind, type ArgsOf } from "../../binding/index.js";
import { adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveAvgPool3d } from "./pooling.js";

/**
 * Pads the last dimensions: `pad` lists (left, right) pairs from the last dimension backwards.
 * mode: "constant" (with `value`, default 0), "reflect", "replicate" or "circular".
 *
 * @example
 * F.pad(x, [1, 1, 2, 2], "reflect")
 */
export function pad(...args: ArgsOf<"torch.nn.functional.pad">): Tensor {
  const { input, pad: padding, mode, value } = bind("torch.nn.functional.pad", args);
  return ops.pad(input, padding, mode, value);
}

/** Rearranges (*, C·r², H, W) into (*, C, H·r, W·r). */
export function pixelShuffle(...args: ArgsOf<"torch.nn.functional.pixel_shuffle">): Tensor {
  const { input, upscaleFactor } = bind("torch.nn.functional.pixel_shuffle", args);
  return ops.pixelShuffle(input, upscaleFactor);
}
/** The inverse of pixelShuffle: (*, C, H·r, W·r) into (*, C·r², H, W). */
export function pixelUnshuffle(...args: ArgsOf<"torch.nn.functional.pixel_unshuffle">): Tensor {
  const { input, downscaleFactor } = bind("torch.nn.functional.pixel_unshuffle", args);
  return ops.pixelUnshuffle(input, downscaleFactor);
}
/** Splits the channels of (N, C, *) into `groups` and interleaves them. */
export function channelShuffle(...args: ArgsOf<"torch.nn.functional.channel_shuffle">): Tensor {
  const { input, groups } = bind("torch.nn.functional.channel_shuffle", args);
  return ops.channelShuffle(input, groups);
}

/** Interpolation modes of interpolate / upsample. */
export type InterpolateMode = "nearest" | "linear" | "bilinear" | "bicubic" | "trilinear" | "area";

type Nearest = (input: Tensor, outputSize: number[] | null, scaleFactors: number[] | null) => Tensor;
type Interpolating = (input: Tensor, outputSize: number[] | null, alignCorners: boolean, scaleFactors: number[] | null) => Tensor;
const NEAREST: Nearest[] = [ops.upsampleNearest1d, ops.upsampleNearest2d, ops.upsampleNearest3d];
const INTERPOLATING: Record<string, [number, Interpolating]> = {
  linear: [1, ops.upsampleLinear1d],
  bilinear: [2, ops.upsampleBilinear2d],
  bicubic: [2, ops.upsampleBicubic2d],
  trilinear: [3, ops.upsampleTrilinear3d],
};
const ADAPTIVE = [adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveAvgPool3d];

interface Resize {
  input: Tensor;
  size: number | readonly number[] | null;
  scaleFactor: number | readonly number[] | null;
  mode: string;
  alignCorners: boolean | null;
  recomputeScaleFactor: boolean | null;
  antialias: boolean;
}

function resize(fn: string, a: Resize): Tensor {
  const { input, mode } = a;
  const dims = input.dim() - 2;
  const fail = (message: string): never => {
    throw new Error(`nn.functional.${fn}(): ${message}`);
  };
  if (dims < 1 || dims > 3) fail(`expected a 3-d, 4-d or 5-d input, got ${input.dim()}-d`);
  if ((a.size === null) === (a.scaleFactor === null)) fail("either size or scale_factor should be defined, not both and not neither");
  if (a.antialias) throw new TypeError(`nn.functional.${fn}(): antialias: true is not supported by this build's kernels`);
  const expand = (v: number | readonly number[], what: string): number[] => {
    const list = typeof v === "number" ? Array<number>(dims).fill(v) : [...v];
    if (list.length !== dims) fail(`${what} shape must match input shape. Input is ${dims}D, ${what} is ${list.length}`);
    return list;
  };
  let outputSize = a.size === null ? null : expand(a.size, "size");
  let scales = a.scaleFactor === null ? null : expand(a.scaleFactor, "scale_factor");
  if (scales !== null && (a.recomputeScaleFactor === true || mode === "area")) {
    // Python computes the output size from the scale and drops the scale.
    const spatial = input.shape.slice(2);
    outputSize = spatial.map((s, i) => Math.floor(s * scales![i]!));
    scales = null;
  }
  const interpolating = INTERPOLATING[mode];
  if (mode === "nearest" || mode === "area") {
    if (a.alignCorners !== null) fail("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
    return mode === "nearest" ? NEAREST[dims - 1]!(input, outputSize, scales) : ADAPTIVE[dims - 1]!(input, outputSize!);
  }
  if (interpolating === undefined) fail(`unknown mode '${mode}' (nearest, linear, bilinear, bicubic, trilinear or area)`);
  if (interpolating![0] !== dims) fail(`mode '${mode}' needs a ${interpolating![0] + 2}-d input, got ${input.dim()}-d`);
  return interpolating![1](input, outputSize, a.alignCorners ?? false, scales);
}

/**
 * Resizes (N, C, *spatial) by `size` or `scaleFactor`: "nearest" and "area" for 1-3 spatial dims,
 * "linear" (1), "bilinear" / "bicubic" (2), "trilinear" (3).
 *
 * @example
 * F.interpolate(x, { scaleFactor: 2, mode: "bilinear", alignCorners: false })
 */
export function interpolate(...args: ArgsOf<"torch.nn.functional.interpolate">): Tensor {
  return resize("interpolate", bind("torch.nn.functional.interpolate", args));
}
/** Deprecated form of interpolate. */
export function upsample(...args: ArgsOf<"torch.nn.functional.upsample">): Tensor {
  const a = bind("torch.nn.functional.upsample", args);
  return resize("upsample", { ...a, recomputeScaleFactor: null, antialias: false });
}
/** Deprecated: interpolate with mode "nearest". */
export function upsampleNearest(...args: ArgsOf<"torch.nn.functional.upsample_nearest">): Tensor {
  const a = bind("torch.nn.functional.upsample_nearest", args);
  return resize("upsampleNearest", { ...a, mode: "nearest", alignCorners: null, recomputeScaleFactor: null, antialias: false });
}
/** Deprecated: interpolate with mode "bilinear" and alignCorners true. */
export function upsampleBilinear(...args: ArgsOf<"torch.nn.functional.upsample_bilinear">): Tensor {
  const a = bind("torch.nn.functional.upsample_bilinear", args);
  return resize("upsampleBilinear", { ...a, mode: "bilinear", alignCorners: true, recomputeScaleFactor: null, antialias: false });
}

const GRID_MODES: Record<string, number> = { bilinear: 0, nearest: 1, bicubic: 2 };
const GRID_PADDING: Record<string, number> = { zeros: 0, border: 1, reflection: 2 };

/**
 * Samples `input` (N, C, H, W) or (N, C, D, H, W) at the normalized coordinates of `grid`
 * (N, H_out, W_out, 2) / (N, D_out, H_out, W_out, 3). mode: bilinear | nearest | bicubic;
 * paddingMode: zeros | border | reflection; alignCorners defaults to false.
 */
export function gridSample(...args: ArgsOf<"torch.nn.functional.grid_sample">): Tensor {
  const { input, grid, mode, paddingMode, alignCorners } = bind("torch.nn.functional.grid_sample", args);
  const m = GRID_MODES[mode];
  const p = GRID_PADDING[paddingMode];
  if (m === undefined) throw new Error(`nn.functional.gridSample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${mode}'`);
  if (p === undefined) throw new Error(`nn.functional.gridSample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${paddingMode}'`);
  if (mode === "bicubic" && input.dim() !== 4) throw new Error("nn.functional.gridSample(): Bicubic interpolation only supports 4D input");
  return ops.gridSampler(input, grid, m, p, alignCorners ?? false);
}

/**
 * The sampling grid of affine matrices `theta` (N, 2, 3) or (N, 3, 4) for an output of `size`
 * (N, C, H, W) or (N, C, D, H, W); alignCorners defaults to false.
 */
export function affineGrid(...args: ArgsOf<"torch.nn.functional.affine_grid">): Tensor {
  const { theta, size, alignCorners } = bind("torch.nn.functional.affine_grid", args);
  if (!theta.isFloatingPoint()) throw new Error(`nn.functional.affineGrid(): Expected theta to have floating point type, but got ${theta.dtype}`);
  const spatial = size.length - 2;
  const want = spatial === 2 ? [2, 3] : spatial === 3 ? [3, 4] : null;
  if (want === null) throw new Error(`nn.functional.affineGrid(): only supports 4D and 5D sizes, got size [${size.join(", ")}]`);
  if (theta.dim() !== 3 || theta.shape[1] !== want[0] || theta.shape[2] !== want[1]) {
    throw new Error(`nn.functional.affineGrid(): Expected a batch of ${spatial}D affine matrices of shape Nx${want[0]}x${want[1]} for size [${size.join(", ")}]. Got [${theta.shape.join(", ")}]`);
  }
  if (Math.min(...size) <= 0) throw new Error(`nn.functional.affineGrid(): Expected non-zero, positive output size. Got [${size.join(", ")}]`);
  return ops.affineGridGenerator(theta, size, alignCorners ?? false);
}
