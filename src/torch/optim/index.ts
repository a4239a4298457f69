// torch.optim: optimizers and learning-rate schedulers (`optim.lrScheduler.StepLR`, also exported
// at the top level of `optim` for convenience).
export { Optimizer, type ParamGroup, type ParamGroupInput, type ParamsInput, type OptimizerStateDict } from "./optimizer.js";
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
  SequentialLR,
  ReduceLROnPlateau,
  type SchedulerStateDict,
  type OneCycleLROptions,
  type ReduceLROnPlateauOptions,
} from "./lr-scheduler.js";
