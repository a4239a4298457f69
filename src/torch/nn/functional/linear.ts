// nn.functional linear maps: linear, bilinear.
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { bind, type ArgsOf } from "../../binding/index.js";

/**
 * Applies a linear transformation: y = x Aᵀ + b.
 *
 * Args: input (*, in_features), weight (out_features, in_features), bias (out_features) or null.
 *
 * @example
 * const y = F.linear(x, w, b); // x [N, 3], w [4, 3], b [4] -> y [N, 4]
 */
export function linear(...args: ArgsOf<"torch.nn.functional.linear">): Tensor {
  const { input, weight, bias } = bind("torch.nn.functional.linear", args);
  return ops.linear(input, weight, bias);
}

/**
 * Applies a bilinear transformation: y = x₁ᵀ A x₂ + b.
 *
 * Args: input1 (N, *, in1), input2 (N, *, in2), weight (out, in1, in2), bias (out) or null.
 */
export function bilinear(...args: ArgsOf<"torch.nn.functional.bilinear">): Tensor {
  const { input1, input2, weight, bias } = bind("torch.nn.functional.bilinear", args);
  return ops.bilinear(input1, input2, weight, bias);
}
