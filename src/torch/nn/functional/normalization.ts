// nn.functional normalization: batch, layer, group, instance and local-response norms; normalize.
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { bind, type ArgsOf } from "../../binding/index.js";
import { requireTorch2 } from "../../since-version.js";
import { pad } from "./vision.js";
import { avgPool2d, avgPool3d } from "./pooling.js";

/**
 * Batch normalization over the channel dimension (1) of (N, C, *). With `training`, batch
 * statistics are used and the running ones (if given) updated in place with `momentum`.
 *
 * @example
 * F.batchNorm(x, runningMean, runningVar, weight, bias, true, 0.1, 1e-5)
 */
export function batchNorm(...args: ArgsOf<"torch.nn.functional.batch_norm">): Tensor {
  const { input, runningMean, runningVar, weight, bias, training, momentum, eps } = bind("torch.nn.functional.batch_norm", args);
  if (training) {
    const shape = input.shape;
    let size = shape[0]!;
    for (let i = 2; i < shape.length; i++) size *= shape[i]!;
    if (size === 1) throw new Error(`Expected more than 1 value per channel when training, got input size [${shape.join(", ")}]`);
  }
  return ops.batchNorm(input, weight, bias, runningMean, runningVar, training, momentum, eps, true);
}

/** Layer normalization over the trailing `normalizedShape` dimensions. */
export function layerNorm(...args: ArgsOf<"torch.nn.functional.layer_norm">): Tensor {
  const { input, normalizedShape, weight, bias, eps } = bind("torch.nn.functional.layer_norm", args);
  return ops.layerNorm(input, normalizedShape, weight, bias, eps);
}

/**
 * Root mean square layer normalization (PyTorch 2.4+): `x / sqrt(mean(x², last dims) + eps) * weight`
 * over the trailing `normalizedShape` dimensions; `eps` defaults to the dtype's machine epsilon.
 */
export function rmsNorm(...args: ArgsOf<"torch.nn.functional.rms_norm">): Tensor {
  requireTorch2("nn.functional.rmsNorm");
  const { input, normalizedShape, weight, eps } = bind("torch.nn.functional.rms_norm", args);
  return ops.rmsNorm(input, normalizedShape, weight, eps);
}

/** Group normalization: the channels split into `numGroups` groups, each normalized. */
export function groupNorm(...args: ArgsOf<"torch.nn.functional.group_norm">): Tensor {
  const { input, numGroups, weight, bias, eps } = bind("torch.nn.functional.group_norm", args);
  if (input.dim() < 2) throw new Error(`nn.functional.groupNorm(): Expected at least 2 dimensions for input tensor but received ${input.dim()}`);
  return ops.groupNorm(input, numGroups, weight, bias, eps);
}

/** Instance normalization: each sample's channels normalized separately. */
export function instanceNorm(...args: ArgsOf<"torch.nn.functional.instance_norm">): Tensor {
  const a = bind("torch.nn.functional.instance_norm", args);
  return ops.instanceNorm(a.input, a.weight, a.bias, a.runningMean, a.runningVar, a.useInputStats, a.momentum, a.eps, true);
}

/**
 * Local response normalization across channels: x / (k + alpha/n · Σ x²)^beta over `size` neighbours.
 * input (N, C, *) with at least 3 dimensions.
 */
export function localResponseNorm(...args: ArgsOf<"torch.nn.functional.local_response_norm">): Tensor {
  const { input, size, alpha, beta, k } = bind("torch.nn.functional.local_response_norm", args);
  const dim = input.dim();
  if (dim < 3) throw new Error(`nn.functional.localResponseNorm(): Expected 3D or higher dimensionality input (got ${dim} dimensions)`);
  if (input.numel() === 0) return input;
  let div = input.mul(input).unsqueeze(1);
  const before = Math.floor(size / 2);
  const after = Math.floor((size - 1) / 2);
  if (dim === 3) {
    div = avgPool2d(pad(div, [0, 0, before, after]), [size, 1], 1).squeeze(1);
  } else {
    const sizes = input.shape;
    div = div.view(sizes[0]!, 1, sizes[1]!, sizes[2]!, -1);
    div = avgPool3d(pad(div, [0, 0, 0, 0, before, after]), [size, 1, 1], 1).squeeze(1);
    div = div.view(...sizes);
  }
  return input.div(div.mul(alpha).add(k).pow(beta));
}

/**
 * Lp-normalizes along `dim`: x / max(‖x‖_p, eps). `out` receives the result when given.
 *
 * @example
 * F.normalize(x, 2, 1)
 */
export function normalize(...args: ArgsOf<"torch.nn.functional.normalize">): Tensor {
  const { input, p, dim, eps, out } = bind("torch.nn.functional.normalize", args);
  const denom = input.norm(p, dim, true).clampMin(eps).expandAs(input);
  return out === null ? input.div(denom) : ops.div(input, denom, { out });
}
