// Public entry point `pystematic/fifteen`: fifteen's Experiment class (a run directory as an
// object) and TensorboardLogData. Loads libtorch only when a checkpoint holding tensors is written
// or read.
export {
  Experiment,
  type ExperimentOptions,
  type LogOptions,
  type RestoreCheckpointOptions,
  type SaveCheckpointOptions,
} from "./experiment.js";
export { TensorboardLogData, type LogHistogram, type LogScalar, type TensorboardLogDataInit } from "./log-data.js";
export type { MetadataSchema } from "./metadata.js";
export type { Stateful } from "./state.js";
export type { MapLocation } from "./checkpoint-io.js";
