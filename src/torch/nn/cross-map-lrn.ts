// CrossMapLRN2d (torch/nn/modules/normalization.py): Lua Torch's cross-channel local response
// normalisation, computed as Python's torch/nn/_functions.py CrossMapLRN2d does.
import type { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { AutogradFunction, type FunctionCtx } from "../autograd/function.js";
import { Module, pyFloat } from "./module.js";
import { bind, type ArgsOf } from "../binding/index.js";

/**
 * Cross-channel local response normalisation of a 4-d input (torch.nn.CrossMapLRN2d):
 * y_c = x_c · (k + α/size · Σ x_j²)^(−β), the sum over the channel window Lua Torch used.
 *
 * Args: size, alpha (1e-4), beta (0.75), k (1). Shape: (N, C, H, W); Output the same.
 */
export class CrossMapLRN2d extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
  constructor(...args: ArgsOf<"torch.nn.CrossMapLRN2d">) {
    super();
    ({ size: this.size, alpha: this.alpha, beta: this.beta, k: this.k } = bind("torch.nn.CrossMapLRN2d", args));
  }

  override forward(...args: ArgsOf<"torch.nn.CrossMapLRN2d.forward">): Tensor {
    const { input } = bind("torch.nn.CrossMapLRN2d.forward", args);
    if (input.dim() !== 4) throw new Error(`CrossMapLRN2d: Expected input to be 4D, got ${input.dim()}D instead.`);
    return CrossMapLRN2dFunction.apply(input, this.size, this.alpha, this.beta, this.k);
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}

/** Python's forward and its own backward (not the exact gradient of the windowed sum: Lua Torch's). */
class CrossMapLRN2dFunction extends AutogradFunction {
  static override forward(ctx: FunctionCtx, input: Tensor, size: number, alpha: number, beta: number, k: number): Tensor {
    const channels = input.size(1);
    const square = input.pow(2);
    // Python's running window: the first `prePad` channels, then one added and one dropped per step.
    const prePad = Math.floor((size - 1) / 2 + 1);
    let current = square.narrow(1, 0, Math.min(prePad, channels)).sum(1);
    const sums: Tensor[] = [current];
    for (let c = 1; c < channels; c++) {
      if (c < channels - prePad + 1) current = current.add(square.select(1, c + prePad - 1));
      if (c > prePad) current = current.sub(square.select(1, c - prePad));
      sums.push(current);
    }
    const scale = ops.stack(sums, 1).mul(alpha / size).add(k);
    const output = scale.pow(-beta).mul(input);
    ctx.saveForBackward(input, output, scale);
    Object.assign(ctx, { size, alpha, beta });
    return output;
  }

  static override backward(ctx: FunctionCtx, gradOutput: Tensor): (Tensor | null)[] {
    const [input, output, scale] = ctx.savedTensors as [Tensor, Tensor, Tensor];
    const { size, alpha, beta } = ctx as unknown as { size: number; alpha: number; beta: number };
    const channels = input.size(1);
    const inversePrePad = Math.trunc(size - (size - 1) / 2);
    const ratio = gradOutput.mul(output).div(scale);
    // Channels padded to C + size - 1 with the ratio at inversePrePad; each channel sums a window of `size`.
    const padded = ops.constantPadNd(ratio, [0, 0, 0, 0, inversePrePad, size - 1 - inversePrePad]);
    let window = padded.narrow(1, 0, channels);
    for (let j = 1; j < size; j++) window = window.add(padded.narrow(1, j, channels));
    const gradInput = scale.pow(-beta).mul(gradOutput).sub(input.mul(window).mul((2 * alpha * beta) / size));
    return [gradInput, null, null, null, null];
  }
}
