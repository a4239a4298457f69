// PixelShuffle and PixelUnshuffle (torch/nn/modules/pixelshuffle.py).
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import * as F from "./functional.js";
import { bind, type ArgsOf } from "../binding/index.js";

/**
 * Rearranges (*, C·r², H, W) into (*, C, H·r, W·r), r the upscale factor (torch.nn.PixelShuffle):
 * sub-pixel convolution with stride 1/r.
 *
 * Args: upscaleFactor.
 */
export class PixelShuffle extends Module {
  readonly upscaleFactor: number;
  constructor(...args: ArgsOf<"torch.nn.PixelShuffle">) {
    super();
    this.upscaleFactor = bind("torch.nn.PixelShuffle", args).upscaleFactor;
  }
  override forward(...args: ArgsOf<"torch.nn.PixelShuffle.forward">): Tensor {
    return F.pixelShuffle(bind("torch.nn.PixelShuffle.forward", args).input, this.upscaleFactor);
  }
  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

/**
 * The inverse of PixelShuffle: (*, C, H·r, W·r) into (*, C·r², H, W) (torch.nn.PixelUnshuffle).
 *
 * Args: downscaleFactor.
 */
export class PixelUnshuffle extends Module {
  readonly downscaleFactor: number;
  constructor(...args: ArgsOf<"torch.nn.PixelUnshuffle">) {
    super();
    this.downscaleFactor = bind("torch.nn.PixelUnshuffle", args).downscaleFactor;
  }
  override forward(...args: ArgsOf<"torch.nn.PixelUnshuffle.forward">): Tensor {
    return F.pixelUnshuffle(bind("torch.nn.PixelUnshuffle.forward", args).input, this.downscaleFactor);
  }
  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}
