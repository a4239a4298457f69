// torch.distributed: process groups, collectives and DistributedDataParallel on c10d.
export {
  DEFAULT_TIMEOUT_MS,
  destroyProcessGroup,
  distributedEnv,
  getLocalRank,
  getNumProcesses,
  getProcessGroup,
  getRank,
  initDistributed,
  isDistributed,
  isMaster,
  type Backend,
  type DistributedEnv,
  type InitOptions,
  type ProcessGroup,
} from "./process-group.js";
export {
  allGather,
  allReduce,
  broadcast,
  broadcastFromMaster,
  distributedBarrier,
  reduceScatter,
  type ReduceOp,
} from "./collectives.js";
export { DistributedDataParallel, type DistributedDataParallelOptions } from "./ddp.js";
