// nn.functional lookups: embedding, embedding_bag, one_hot.
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { noGrad } from "../../tensor/runtime.js";
import { arange } from "../../tensor/creation.js";
import { bind, type ArgsOf } from "../../binding/index.js";

function paddingIndex(paddingIdx: number | null, weight: Tensor, fn: string): number {
  if (paddingIdx === null) return -1;
  const n = weight.shape[0]!;
  if (paddingIdx >= n || paddingIdx < -n) throw new RangeError(`nn.functional.${fn}(): Padding_idx must be within num_embeddings`);
  return paddingIdx < 0 ? paddingIdx + n : paddingIdx;
}

/**
 * Looks up rows of `weight` (num_embeddings, embedding_dim) by integer `input` indices.
 * `paddingIdx` rows get no gradient; `maxNorm` renormalizes the looked-up rows in place.
 *
 * @example
 * F.embedding(idx, w, 0) // padding_idx 0
 */
export function embedding(...args: ArgsOf<"torch.nn.functional.embedding">): Tensor {
  const { input, weight, paddingIdx, maxNorm, normType, scaleGradByFreq, sparse } = bind("torch.nn.functional.embedding", args);
  const padding = paddingIndex(paddingIdx, weight, "embedding");
  if (maxNorm !== null) {
    // Renormalizes the looked-up rows of the weight in place, outside autograd (as PyTorch).
    noGrad(() => ops.embeddingRenorm_(weight, input.contiguous(), maxNorm, normType));
  }
  return ops.embedding(weight, input, padding, scaleGradByFreq, sparse);
}

const BAG_MODES: Record<string, number> = { sum: 0, mean: 1, max: 2 };

/**
 * Sums, averages or maxes bags of embeddings without materializing them. `input` is 2-d (B, N: one
 * bag per row, no offsets) or 1-d with `offsets` marking where each bag starts.
 */
export function embeddingBag(...args: ArgsOf<"torch.nn.functional.embedding_bag">): Tensor {
  const a = bind("torch.nn.functional.embedding_bag", args);
  const { weight, maxNorm, normType, scaleGradByFreq, sparse, perSampleWeights, includeLastOffset } = a;
  let { input, offsets } = a;
  const mode = BAG_MODES[a.mode];
  if (mode === undefined) throw new Error(`nn.functional.embeddingBag(): mode has to be one of sum, mean or max, got '${a.mode}'`);
  if (perSampleWeights !== null && (perSampleWeights.shape.length !== input.shape.length || perSampleWeights.shape.some((d, i) => d !== input.shape[i]))) {
    throw new Error("nn.functional.embeddingBag(): per_sample_weights must have the same shape as input");
  }
  if (perSampleWeights !== null && a.mode !== "sum") {
    throw new Error(`nn.functional.embeddingBag(): per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${a.mode}')`);
  }
  let weights = perSampleWeights;
  if (input.dim() === 2) {
    if (offsets !== null) throw new Error("nn.functional.embeddingBag(): if input is 2D, then offsets has to be None");
    offsets = arange(0, input.numel(), input.shape[1]!, { dtype: input.dtype });
    input = input.reshape(-1);
    weights = weights === null ? null : weights.reshape(-1);
  } else if (input.dim() === 1) {
    if (offsets === null) throw new Error("nn.functional.embeddingBag(): offsets has to be a 1D Tensor but got None");
    if (offsets.dim() !== 1) throw new Error("nn.functional.embeddingBag(): offsets has to be a 1D Tensor");
  } else {
    throw new Error(`nn.functional.embeddingBag(): input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.dim()}`);
  }
  if (maxNorm !== null) {
    const rows = input;
    noGrad(() => ops.embeddingRenorm_(weight, rows, maxNorm, normType));
  }
  const padding = a.paddingIdx === null ? null : paddingIndex(a.paddingIdx, weight, "embeddingBag");
  return ops.embeddingBag(weight, input, offsets, scaleGradByFreq, mode, sparse, weights, includeLastOffset, padding)[0];
}

/**
 * One-hot encodes integer class indices: shape (*) -> (*, numClasses); numClasses −1 infers max + 1.
 *
 * @example
 * F.oneHot(labels, { numClasses: 10 })
 */
export function oneHot(...args: ArgsOf<"torch.nn.functional.one_hot">): Tensor {
  const { tensor, numClasses } = bind("torch.nn.functional.one_hot", args);
  return ops.oneHot(tensor, numClasses);
}
