// The `torch` namespace: everything a PyTorch user reaches as `torch.<name>`.
export { Tensor, isTensor, type Device, type Scalar, type NestedArray } from "./tensor/tensor.js";
export * from "./tensor/dtype.js";
export * from "./tensor/creation.js";
export { getDefaultDtype, setDefaultDtype } from "./tensor/default-dtype.js";
export * from "./tensor/runtime.js";
export { version } from "./version.js";
export { tidy, keep } from "./tensor/scope.js";
export * as memory from "./memory.js";
// The generated op surface (scripts/codegen): torch.<op>, torch.linalg/fft/special, Tensor methods.
export * from "./generated/torch.js";
// Hand-written callables that take the name of a generated one (Python-level wrappers win).
export { logspace, randintLike } from "./tensor/creation.js";
export {
  einsum,
  meshgrid,
  broadcastTensors,
  broadcastShapes,
  blockDiag,
  cartesianProd,
  atleast1d,
  atleast2d,
  atleast3d,
  tensordot,
  chainMatmul,
  cdist,
  split,
  norm,
  stft,
  istft,
  unique,
  uniqueConsecutive,
  lu,
  type Sublist,
  type TensordotDims,
  type NormOrder,
  type UniqueOptions,
  type UniqueConsecutiveOptions,
} from "./functional/index.js";
export { svdLowrank, pcaLowrank } from "./functional/lowrank.js";
export { lobpcg, LOBPCG, type LobpcgTracker } from "./functional/lobpcg.js";
export { unravelIndex } from "./functional/unravel-index.js";
export * from "./context-settings.js";
export { finfo, iinfo } from "./dtype-info.js";
export { asarray, frombuffer, fromNumpy, typename, isStorage, setDefaultTensorType } from "./array-interop.js";
export { UntypedStorage, TypedStorage } from "./storage.js";
export { setPrintoptions, getPrintoptions, type PrintOptions } from "./tensor/print-options.js";
export { getDefaultDevice, setDefaultDevice, getDeviceModule, cpu } from "./default-device.js";
export type { TensorLayout, NumpyArray } from "./tensor/storage-members.js";
export { ops } from "./ops/aten.js";
export type { AtenOp } from "./ops/aten.js";
export * as linalg from "./generated/linalg.js";
export * as fft from "./generated/fft.js";
export * as special from "./generated/special.js";
import "./generated/methods.js";
export { Generator, getRngState, setRngState, seed } from "./ops/generator.js";
export type { Layout, MemoryFormat } from "./ops/runtime.js";
export * as autograd from "./autograd/index.js";
import "./tensor/indexing.js";
export type { IndexItem, SliceIndex } from "./tensor/indexing.js";
export { save, load, type MapLocation, type TorchLoadOptions } from "./serialization/torch-io.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as data from "./data/index.js";
export * as distributed from "./distributed/index.js";
export * as distributions from "./distributions/index.js";
