// Upsampling layers (torch/nn/modules/upsampling.py): Upsample, UpsamplingNearest2d,
// UpsamplingBilinear2d.
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import * as F from "./functional.js";
import { bind, type ArgsOf } from "../binding/index.js";

type SizeArg = number | readonly number[] | null;

function showSize(v: SizeArg, float: boolean): string {
  const one = (x: number): string => (float && Number.isInteger(x) ? `${x}.0` : String(x));
  if (v === null) return "None";
  return typeof v === "number" ? one(v) : `(${v.map(one).join(", ")})`;
}

/**
 * Upsamples (N, C, *spatial) inputs to `size` or by `scaleFactor` (torch.nn.Upsample), with mode
 * "nearest" (default), "linear", "bilinear", "bicubic" or "trilinear".
 *
 * Args (positionally or by name, in Python's order): size, scaleFactor, mode ("nearest"),
 * alignCorners (null), recomputeScaleFactor (null: with a scale factor, true computes the output
 * size as ⌊input · scale⌋ and resamples to that size, as Python).
 *
 * Shape: (N, C, W_in), (N, C, H_in, W_in) or (N, C, D_in, H_in, W_in) -> the same with the
 * spatial sizes scaled.
 *
 * Example:
 *   new nn.Upsample({ scaleFactor: 2, mode: "nearest" }).forward(x)
 */
export class Upsample extends Module {
  readonly size: SizeArg;
  readonly scaleFactor: SizeArg;
  readonly mode: F.InterpolateMode;
  readonly alignCorners: boolean | null;
  readonly recomputeScaleFactor: boolean | null;

  constructor(...args: ArgsOf<"torch.nn.Upsample">) {
    super();
    const a = bind("torch.nn.Upsample", args);
    const modes: readonly string[] = ["nearest", "linear", "bilinear", "bicubic", "trilinear"];
    if (!modes.includes(a.mode)) throw new Error(`Upsample: mode '${a.mode}' is not one of ${modes.join(", ")}`);
    this.size = a.size;
    this.scaleFactor = a.scaleFactor;
    this.mode = a.mode as F.InterpolateMode;
    this.alignCorners = a.alignCorners;
    this.recomputeScaleFactor = a.recomputeScaleFactor;
  }

  override forward(input: Tensor): Tensor {
    let size = this.size ?? undefined;
    let scaleFactor = this.scaleFactor ?? undefined;
    if (this.recomputeScaleFactor === true && scaleFactor !== undefined) {
      const dims = input.dim() - 2;
      const scales = typeof scaleFactor === "number" ? Array<number>(dims).fill(scaleFactor) : [...scaleFactor];
      size = input.shape.slice(2).map((s, i) => Math.floor(s * scales[i]!));
      scaleFactor = undefined;
    }
    return F.interpolate(input, { size, scaleFactor, mode: this.mode, alignCorners: this.alignCorners ?? undefined });
  }

  override extraRepr(): string {
    if (this.scaleFactor !== null) return `scale_factor=${showSize(this.scaleFactor, true)}, mode='${this.mode}'`;
    return `size=${showSize(this.size, false)}, mode='${this.mode}'`;
  }
}

/** Nearest-neighbour 2-d upsampling (torch.nn.UpsamplingNearest2d). Args: size, scaleFactor. */
export class UpsamplingNearest2d extends Upsample {
  constructor(...args: ArgsOf<"torch.nn.UpsamplingNearest2d">) {
    const { size, scaleFactor } = bind("torch.nn.UpsamplingNearest2d", args);
    super(size, scaleFactor, "nearest");
  }
}

/** Bilinear 2-d upsampling with aligned corners (torch.nn.UpsamplingBilinear2d). Args: size, scaleFactor. */
export class UpsamplingBilinear2d extends Upsample {
  constructor(...args: ArgsOf<"torch.nn.UpsamplingBilinear2d">) {
    const { size, scaleFactor } = bind("torch.nn.UpsamplingBilinear2d", args);
    super(size, scaleFactor, "bilinear", true);
  }
}
