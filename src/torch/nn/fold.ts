// Fold and Unfold (torch/nn/modules/fold.py): col2im and im2col as modules.
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import * as F from "./functional.js";
import { bind, type ArgsOf } from "../binding/index.js";

type IntOrList = number | readonly number[];

const repr = (v: IntOrList): string => (typeof v === "number" ? String(v) : `(${v.join(", ")})`);

/**
 * Combines sliding local blocks into a tensor, summing overlaps (torch.nn.Fold, col2im).
 *
 * Args (positionally or by name, in Python's order): outputSize, kernelSize, dilation (1),
 * padding (0), stride (1).
 *
 * Shape: (N, C·∏kernelSize, L) or (C·∏kernelSize, L) -> (N, C, outputSize[0], outputSize[1]) or (C, ...).
 */
export class Fold extends Module {
  readonly outputSize: IntOrList;
  readonly kernelSize: IntOrList;
  readonly dilation: IntOrList;
  readonly padding: IntOrList;
  readonly stride: IntOrList;
  constructor(...args: ArgsOf<"torch.nn.Fold">) {
    super();
    ({ outputSize: this.outputSize, kernelSize: this.kernelSize, dilation: this.dilation, padding: this.padding, stride: this.stride } =
      bind("torch.nn.Fold", args));
  }
  override forward(...args: ArgsOf<"torch.nn.Fold.forward">): Tensor {
    const { input } = bind("torch.nn.Fold.forward", args);
    return F.fold(input, this.outputSize, this.kernelSize, this.dilation, this.padding, this.stride);
  }
  override extraRepr(): string {
    return `output_size=${repr(this.outputSize)}, kernel_size=${repr(this.kernelSize)}, dilation=${repr(this.dilation)}, padding=${repr(this.padding)}, stride=${repr(this.stride)}`;
  }
}

/**
 * Extracts sliding local blocks from a batched input (torch.nn.Unfold, im2col).
 *
 * Args (positionally or by name, in Python's order): kernelSize, dilation (1), padding (0), stride (1).
 *
 * Shape: (N, C, H, W) or (C, H, W) -> (N, C·∏kernelSize, L) or (C·∏kernelSize, L).
 */
export class Unfold extends Module {
  readonly kernelSize: IntOrList;
  readonly dilation: IntOrList;
  readonly padding: IntOrList;
  readonly stride: IntOrList;
  constructor(...args: ArgsOf<"torch.nn.Unfold">) {
    super();
    ({ kernelSize: this.kernelSize, dilation: this.dilation, padding: this.padding, stride: this.stride } = bind("torch.nn.Unfold", args));
  }
  override forward(...args: ArgsOf<"torch.nn.Unfold.forward">): Tensor {
    const { input } = bind("torch.nn.Unfold.forward", args);
    return F.unfold(input, this.kernelSize, this.dilation, this.padding, this.stride);
  }
  override extraRepr(): string {
    return `kernel_size=${repr(this.kernelSize)}, dilation=${repr(this.dilation)}, padding=${repr(this.padding)}, stride=${repr(this.stride)}`;
  }
}
