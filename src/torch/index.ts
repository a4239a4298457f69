// Public entry point `pystematic/torch`. Importing it must not load libtorch: the addon loads
// on first use of a tensor.
import * as torch from "./torch.js";

export * from "./torch.js";
export { torch };
export { nn } from "./torch.js";
export default torch;
export { distributed } from "./torch.js";
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
} from "./distributed/index.js";
