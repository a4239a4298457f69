// Flatten and Unflatten.
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/**
 * Flattens dimensions startDim..endDim into one (torch.nn.Flatten).
 *
 * Args: startDim (1), endDim (-1). Shape: (N, *dims) -> (N, ∏dims) with the defaults.
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }
  override forward(input: Tensor): Tensor {
    return input.flatten({ startDim: this.startDim, endDim: this.endDim });
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Expands dimension `dim` into `unflattenedSize` (torch.nn.Unflatten).
 *
 * Shape: (*, S_dim, *) -> (*, U1, ..., Un, *), ∏U = S_dim.
 */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: number[];
  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }
  override forward(input: Tensor): Tensor {
    return input.unflatten(this.dim, this.unflattenedSize);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(", ")})`;
  }
}
