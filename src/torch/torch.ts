// The `torch` namespace: everything a PyTorch user reaches as `torch.<name>`.
export { Tensor, isTensor, type Device, type Scalar, type NestedArray } from "./tensor/tensor.js";
export * from "./tensor/dtype.js";
export * from "./tensor/creation.js";
export * from "./tensor/runtime.js";
export { tidy, keep } from "./tensor/scope.js";
