// CrossMapLRN2d (torch/nn/modules/normalization.py): Lua Torch's cross-channel local response
// normalisation, computed as Python's torch/nn/_functions.py CrossMapLRN2d does.
import type { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
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
    const channels = input.size(1);
    const square = input.pow(2);
    // Python's running window: the first `prePad` channels, then one added and one dropped per step.
    const prePad = Math.floor((this.size - 1) / 2 + 1);
    const sums: Tensor[] = [];
    let current = square.narrow(1, 0, Math.min(prePad, channels)).sum(1);
    sums.push(current);
    for (let c = 1; c < channels; c++) {
      if (c < channels - prePad + 1) current = current.add(square.select(1, c + prePad - 1));
      if (c > prePad) current = current.sub(square.select(1, c - prePad));
      sums.push(current);
    }
    const scale = ops.stack(sums, 1).mul(this.alpha / this.size).add(this.k);
    return scale.pow(-this.beta).mul(input);
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}
