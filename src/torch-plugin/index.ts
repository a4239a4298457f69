// Public entry point `pystematic/torch`: the torch binding (src/torch) and the torch plugin
// (Python's `pystematic.torch`). Importing it registers the plugins but must not load libtorch:
// the addon loads on first use of a tensor.
import torch from "../torch/index.js";
// The distributed launcher and rank set-up (a plugin, like the torch plugin).
import "./launcher.js";
// The torch plugin (registered on import; libtorch still loads on first tensor use).
import "./plugin.js";

export * from "../torch/index.js";
export default torch;
export {
  DistributedDataParallel,
  allGather,
  allReduce,
  broadcast,
  broadcastFromMaster,
  distributedBarrier,
  getLocalRank,
  getNumProcesses,
  getRank,
  initDistributed,
  isDistributed,
  isMaster,
  reduceScatter,
} from "../torch/distributed/index.js";
export { torchPlugin } from "./plugin.js";
export { InterruptError } from "../core/run/interrupt.js";
export { Context, type ContextConstructor } from "./context/context.js";
export { ContextObject } from "./context/context-object.js";
export { ContextDict } from "./context/context-dict.js";
export { ContextList } from "./context/context-list.js";
export { setDdpWrapper, type DdpWrapper } from "./context/ddp-hook.js";
export { saveCheckpoint, loadCheckpoint, checkpointPath } from "./checkpoint.js";
export { moveToDevice, placeOnCorrectDevice, defaultDevice } from "./devices.js";
export { iterate, type IterateOptions, type ProgressStream } from "./iterate.js";
export { Recorder, Counter } from "../recording/index.js";
export { Experiment, TensorboardLogData } from "../fifteen/index.js";
export { SmartDataLoader, BetterDataLoader, type SmartDataLoaderOptions } from "./smart-data-loader.js";
