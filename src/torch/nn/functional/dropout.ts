// nn.functional dropout: element-wise, channel-wise (1d/2d/3d) and alpha dropout.
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { bind, bindArgs, type ArgsOf, type BoundOf } from "../../binding/index.js";

function checkProbability(p: number, fn: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`nn.functional.${fn}(): dropout probability has to be between 0 and 1, but got ${String(p)}`);
}

/**
 * Zeroes elements with probability `p` and scales the rest by 1/(1−p) while `training`.
 *
 * @example
 * F.dropout(x, 0.2);                       // p = 0.2
 * F.dropout(x, { p: 0.2, training: false }); // identity
 */
export function dropout(...args: ArgsOf<"torch.nn.functional.dropout">): Tensor {
  const { input, p, training, inplace } = bind("torch.nn.functional.dropout", args);
  checkProbability(p, "dropout");
  return inplace ? ops.dropout_(input, p, training) : ops.dropout(input, p, training);
}

/** Alpha dropout (keeps SELU's self-normalizing mean and variance). */
export function alphaDropout(...args: ArgsOf<"torch.nn.functional.alpha_dropout">): Tensor {
  const { input, p, training, inplace } = bind("torch.nn.functional.alpha_dropout", args);
  checkProbability(p, "alphaDropout");
  return inplace ? ops.alphaDropout_(input, p, training) : ops.alphaDropout(input, p, training);
}

/** Channel-wise alpha dropout: whole channels set to SELU's negative saturation value. */
export function featureAlphaDropout(...args: ArgsOf<"torch.nn.functional.feature_alpha_dropout">): Tensor {
  const { input, p, training, inplace } = bind("torch.nn.functional.feature_alpha_dropout", args);
  checkProbability(p, "featureAlphaDropout");
  return inplace ? ops.featureAlphaDropout_(input, p, training) : ops.featureAlphaDropout(input, p, training);
}

function channelDropout(input: Tensor, p: number, training: boolean, inplace: boolean, batched: boolean): Tensor {
  const x = batched ? input : inplace ? input.unsqueeze_(0) : input.unsqueeze(0);
  const out = inplace ? ops.featureDropout_(x, p, training) : ops.featureDropout(x, p, training);
  return batched ? out : inplace ? out.squeeze_(0) : out.squeeze(0);
}

/** Zeroes whole channels of (N, C, L) or (C, L) with probability `p`. */
export function dropout1d(...args: ArgsOf<"torch.nn.functional.dropout1d">): Tensor {
  const { input, p, training, inplace } = bind("torch.nn.functional.dropout1d", args);
  checkProbability(p, "dropout1d");
  const dims = input.dim();
  if (dims !== 2 && dims !== 3) throw new Error(`nn.functional.dropout1d(): Expected 2D or 3D input, but received a ${dims}D input`);
  return channelDropout(input, p, training, inplace, dims === 3);
}

/** Zeroes whole channels of (N, C, H, W) with probability `p` (a 3-d input is read as (N, C, L), as in Python 1.13). */
export function dropout2d(...args: ArgsOf<"torch.nn.functional.dropout2d">): Tensor {
  const { input, p, training, inplace } = bind("torch.nn.functional.dropout2d", args);
  checkProbability(p, "dropout2d");
  const dims = input.dim();
  if (dims !== 3 && dims !== 4) process.emitWarning(`dropout2d: Received a ${dims}-D input to dropout2d, which is deprecated`);
  return channelDropout(input, p, training, inplace, true);
}

/** Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) with probability `p`. */
export function dropout3d(...args: ArgsOf<"torch.nn.functional.dropout3d">): Tensor {
  const { input, p, training, inplace } = bind("torch.nn.functional.dropout3d", args);
  checkProbability(p, "dropout3d");
  const dims = input.dim();
  if (dims !== 4 && dims !== 5) process.emitWarning(`dropout3d: Received a ${dims}-D input to dropout3d, which is deprecated`);
  return channelDropout(input, p, training, inplace, dims === 5);
}

/**
 * Channel-wise dropout of a batched input whatever its rank (aten's feature_dropout); kept for
 * callers written before dropout1d/2d/3d. Takes dropout's parameters.
 */
export function featureDropout(...args: ArgsOf<"torch.nn.functional.dropout">): Tensor {
  const { input, p, training, inplace } = bindArgs<BoundOf<"torch.nn.functional.dropout">>("torch.nn.functional.dropout", args);
  checkProbability(p, "featureDropout");
  return channelDropout(input, p, training, inplace, true);
}
