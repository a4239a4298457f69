// nn.functional distances: cosine similarity, pairwise distance, pdist.
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { bind, type ArgsOf } from "../../binding/index.js";

/** Cosine similarity x₁·x₂ / max(‖x₁‖‖x₂‖, eps) along `dim`. @example F.cosineSimilarity(a, b, 0) */
export function cosineSimilarity(...args: ArgsOf<"torch.nn.functional.cosine_similarity">): Tensor {
  const { x1, x2, dim, eps } = bind("torch.nn.functional.cosine_similarity", args);
  return ops.cosineSimilarity(x1, x2, dim, eps);
}
/** ‖x₁ − x₂ + eps‖_p along the last dimension. */
export function pairwiseDistance(...args: ArgsOf<"torch.nn.functional.pairwise_distance">): Tensor {
  const { x1, x2, p, eps, keepdim } = bind("torch.nn.functional.pairwise_distance", args);
  return ops.pairwiseDistance(x1, x2, p, eps, keepdim);
}
/** The p-norm distance between every pair of rows of input (N, M): the upper triangle, N(N−1)/2 values. */
export function pdist(...args: ArgsOf<"torch.nn.functional.pdist">): Tensor {
  const { input, p } = bind("torch.nn.functional.pdist", args);
  return ops.pdist(input, p);
}
