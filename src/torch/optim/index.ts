// torch.optim: optimizers and learning-rate schedulers (`optim.lrScheduler.StepLR`, also exported
// at the top level of `optim` for convenience).
export {
  Optimizer,
  ForeachOptimizer,
  ParamStateMap,
  type OptimizerState,
  type OptimizerArgs,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type OptimizerStateDict,
} from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { Adam, type AdamOptions } from "./adam.js";
export { AdamW, type AdamWOptions } from "./adamw.js";
export { RMSprop, type RMSpropOptions } from "./rmsprop.js";
export { Adagrad, type AdagradOptions } from "./adagrad.js";
export * as lrScheduler from "./lr-scheduler.js";
export {
  LRScheduler,
  LambdaLR,
  MultiplicativeLR,
  ConstantLR,
  PolynomialLR,
  CosineAnnealingWarmRestarts,
  ChainedScheduler,
  StepLR,
  MultiStepLR,
  ExponentialLR,
  CosineAnnealingLR,
  LinearLR,
  OneCycleLR,
  CyclicLR,
  SequentialLR,
  ReduceLROnPlateau,
  type SchedulerStateDict,
  type OneCycleLROptions,
  type ReduceLROnPlateauOptions,
} from "./lr-scheduler.js";
export { Adadelta, type AdadeltaOptions } from "./adadelta.js";
export { Adamax, type AdamaxOptions } from "./adamax.js";
export { NAdam, type NAdamOptions } from "./nadam.js";
export { RAdam, type RAdamOptions } from "./radam.js";
export { ASGD, type ASGDOptions } from "./asgd.js";
export { Rprop, type RpropOptions } from "./rprop.js";
export { LBFGS, type LBFGSOptions } from "./lbfgs.js";
export { SparseAdam, type SparseAdamOptions } from "./sparse-adam.js";
export { Adafactor, type AdafactorOptions } from "./adafactor.js";
