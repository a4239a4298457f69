// nn.functional: PyTorch's functional layer (F.cross_entropy -> F.crossEntropy), by concern under
// ./functional/. Every function takes Python's parameters positionally or in one options object.
export * from "./functional/reduction.js";
export * from "./functional/linear.js";
export * from "./functional/conv.js";
export * from "./functional/pooling.js";
export * from "./functional/activation.js";
export { multiHeadAttentionForward } from "./functional/multi-head-attention.js";
export * from "./functional/dropout.js";
export * from "./functional/normalization.js";
export * from "./functional/sparse.js";
export * from "./functional/distance.js";
export * from "./functional/vision.js";
export * from "./functional/loss.js";
export type * from "./functional/options.js";
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from "./attention.js";
