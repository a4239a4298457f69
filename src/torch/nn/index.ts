// torch.nn: modules, parameters, initialisations, the functional layer and gradient clipping.
export { Module, copyModule } from "./module.js";
export type {
  CallArgs,
  CallResult,
  StateDict,
  StateDictInput,
  ForwardHook,
  ForwardHookWithKwargs,
  ForwardPreHook,
  ForwardPreHookWithKwargs,
  BackwardHook,
  BackwardPreHook,
  HookGrads,
  HookKwargs,
  StateDictPreHook,
  StateDictPostHook,
  LoadStateDictPreHook,
  LoadStateDictPostHook,
  RemovableHandle,
  IncompatibleKeys,
  ModuleTarget,
} from "./module.js";
export { Parameter, Buffer, UninitializedParameter, UninitializedBuffer, isLazy } from "./parameter.js";
export { Identity, Linear, Bilinear } from "./linear.js";
export type { FactoryOptions } from "./linear.js";
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict } from "./container.js";
export { ConvNd, ConvTransposeNd, Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from "./conv.js";
export type { ConvArgs, PaddingMode } from "./conv.js";
export {
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AdaptiveMaxPool3d,
  LPPool1d,
  LPPool2d,
  LPPool3d,
  FractionalMaxPool2d,
  FractionalMaxPool3d,
  MaxUnpool1d,
  MaxUnpool2d,
  MaxUnpool3d,
} from "./pooling.js";
export type { AdaptiveSize } from "./pooling.js";
export { Upsample, UpsamplingNearest2d, UpsamplingBilinear2d } from "./upsampling.js";
export { BatchNormNd, BatchNorm1d, BatchNorm2d, BatchNorm3d, SyncBatchNorm } from "./batchnorm.js";
export type { BatchNormArgs } from "./batchnorm.js";
export { LayerNorm, GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LocalResponseNorm } from "./normalization.js";
export { Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout } from "./dropout.js";
export { Embedding, EmbeddingBag } from "./sparse.js";
export { Flatten, Unflatten } from "./flatten.js";
export {
  Threshold,
  RReLU,
  CELU,
  GLU,
  Hardshrink,
  Softshrink,
  Softsign,
  Tanhshrink,
  Softmax2d,
  ReLU,
  ReLU6,
  LeakyReLU,
  ELU,
  SELU,
  GELU,
  SiLU,
  Mish,
  Tanh,
  Sigmoid,
  Softplus,
  Hardtanh,
  Hardswish,
  Hardsigmoid,
  LogSigmoid,
  PReLU,
  Softmax,
  Softmin,
  LogSoftmax,
  MultiheadAttention,
} from "./activation.js";
export type { MultiheadAttentionOptions, AttentionCallOptions } from "./activation.js";
export { RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell } from "./rnn.js";
export type { RNNArgs } from "./rnn.js";
export { TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer } from "./transformer.js";
export {
  ReflectionPad1d,
  ReflectionPad2d,
  ReflectionPad3d,
  ReplicationPad1d,
  ReplicationPad2d,
  ReplicationPad3d,
  ZeroPad1d,
  ZeroPad2d,
  ZeroPad3d,
  ConstantPad1d,
  ConstantPad2d,
  ConstantPad3d,
  CircularPad1d,
  CircularPad2d,
  CircularPad3d,
} from "./padding.js";
export { PixelShuffle, PixelUnshuffle } from "./pixelshuffle.js";
export { ChannelShuffle } from "./channelshuffle.js";
export { Fold, Unfold } from "./fold.js";
export { CosineSimilarity, PairwiseDistance } from "./distance.js";
export { AdaptiveLogSoftmaxWithLoss, type ASMOutput } from "./adaptive.js";
export { CrossMapLRN2d } from "./cross-map-lrn.js";
export { RMSNorm } from "./rms-norm.js";
export {
  LazyModule,
  LazyLinear,
  LazyConv1d,
  LazyConv2d,
  LazyConv3d,
  LazyConvTranspose1d,
  LazyConvTranspose2d,
  LazyConvTranspose3d,
  LazyBatchNorm1d,
  LazyBatchNorm2d,
  LazyBatchNorm3d,
  LazyInstanceNorm1d,
  LazyInstanceNorm2d,
  LazyInstanceNorm3d,
} from "./lazy.js";
export { DataParallel } from "./data-parallel.js";

export {
  CrossEntropyLoss,
  NLLLoss,
  MSELoss,
  L1Loss,
  SmoothL1Loss,
  HuberLoss,
  BCELoss,
  BCEWithLogitsLoss,
  KLDivLoss,
  MarginRankingLoss,
  HingeEmbeddingLoss,
  SoftMarginLoss,
  CosineEmbeddingLoss,
  TripletMarginLoss,
  PoissonNLLLoss,
  GaussianNLLLoss,
  MultiLabelMarginLoss,
  MultiLabelSoftMarginLoss,
  MultiMarginLoss,
  TripletMarginWithDistanceLoss,
  CTCLoss,
} from "./loss.js";
export type { Reduction } from "./loss.js";
export * as init from "./init.js";
export * as functional from "./functional.js";
export * as utils from "./utils/index.js";
export { clipGradNorm_, clipGradValue_ } from "./utils/clip-grad.js";
