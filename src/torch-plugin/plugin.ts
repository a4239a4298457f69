// The torch plugin (spec 5.1), registered when `pystematic/torch` is imported: the default
// torch parameters on every experiment, `ctx.context` per run, libtorch seeded from the run's
// master generator, the GPU count for sweeps and the ranks the core sees. Importing it never
// loads libtorch.
import "../core/run/index.js"; // the standard plugin (run dir, master seed) comes first
import { parameter } from "../core/parameter.js";
import { registerPlugin, type ExperimentPlugin } from "../core/plugins.js";
import { setDeviceProvider, setRankProvider } from "../core/providers.js";
import { newSeed } from "../core/run/seed.js";
import { isNativeLoaded, loadNative, onNativeLoad } from "../torch/native.js";
import "./signal-trap.js";
import { ContextObject } from "./context/context-object.js";
import { setDdpWrapper } from "./context/ddp-hook.js";
import { ddpModuleProxy } from "./context/ddp-proxy.js";
import { DistributedDataParallel, getProcessGroup, getRank, isDistributed } from "../torch/distributed/index.js";
import { startHeartbeat, stopHeartbeat } from "./heartbeat.js";
import type { Module } from "../torch/nn/module.js";

declare module "../core/plugins.js" {
  interface PluginParams {
    /** A checkpoint file that `autotransform()` loads, or null. */
    checkpoint: string | null;
    /** `autotransform()` moves the context to CUDA (falls back to the CPU without CUDA). */
    cuda: boolean;
    /** Run distributed: the launcher starts `nprocPerNode` ranks per node. */
    distributed: boolean;
    nprocPerNode: number;
    nodeRank: number;
    nnodes: number;
    masterAddr: string;
    masterPort: number;
    /** Seconds a collective or a store request may wait for the other ranks (PyTorch's 1800). */
    distributedTimeout: number;
    /** Seconds a rank may go without progress before the run stops (0: never). */
    heartbeatTimeout: number;
    /** How many times the launchers restart every rank from the newest checkpoint after a failure. */
    maxRestarts: number;
  }
  interface PluginContext {
    /** An empty ContextObject per run, for the session's models, optimizers, loaders, ... */
    context: ContextObject;
  }
}

// Spec 5.1, in its order, helps as the original's (typos included).
const torchParameters = [
  parameter({
    name: "checkpoint",
    type: "path",
    help: "If using the context autotransform() method, it will load the checkpoint pointed to by this parameter (if set).",
  }),
  parameter({
    name: "cuda",
    isFlag: true,
    default: true,
    help: "If using the context autotransform() method, setting this to True will move the context to cuda.",
  }),
  parameter({
    name: "distributed",
    isFlag: true,
    default: false,
    help:
      "Controls if the experiment should be run in a distributed fashion (multiple GPUs). When set to True, a distributed mode " +
      "will be launched (similar to torch.distributed.launch) before the experiment main function is run. If using the context " +
      "autotransform() method, this parameter also tells the context whether to move to distributed mode (ddp).",
  }),
  parameter({
    name: "nprocPerNode",
    type: "int",
    default: 1,
    envvar: "NPROC_PER_NODE",
    help:
      "The number of processes to launch on each node, for GPU training, this is recommended to be set to the number of GPUs " +
      "in your system so that each process can be bound to a single GPU.",
  }),
  parameter({
    name: "nodeRank",
    type: "int",
    default: 0,
    envvar: "NODE_RANK",
    help: "The rank of the node for multi-node distributed training.",
  }),
  parameter({
    name: "nnodes",
    type: "int",
    default: 1,
    envvar: "NNODES",
    help: "The number of nodes to use for distributed training.",
  }),
  parameter({
    name: "masterAddr",
    type: "string",
    default: "127.0.0.1",
    envvar: "MASTER_ADDR",
    help: "The master node's (rank 0) IP address or the hostname. Leave default for single node training.",
  }),
  parameter({
    name: "masterPort",
    type: "int",
    default: 29500,
    envvar: "MASTER_PORT",
    help: "The master node's (rank 0) port used for communciation during distributed training.",
  }),
  // Fault handling of the launcher (DECISIONS, "2026-12: signals, flushing, restarts").
  parameter({
    name: "distributedTimeout",
    type: "float",
    default: 1800,
    help: "Seconds a collective operation or a store request waits for the other ranks before the run fails (PyTorch's default).",
  }),
  parameter({
    name: "heartbeatTimeout",
    type: "float",
    default: 600,
    help:
      "Seconds a rank may make no progress (no operation started, the event loop never free, no collective waited on) " +
      "before it is reported as hung and the run is stopped or restarted. 0 disables the check.",
  }),
  parameter({
    name: "maxRestarts",
    type: "int",
    default: 0,
    help:
      "How many times a failed distributed run is restarted, counted over all nodes. A restart keeps the run directory " +
      "and passes --checkpoint with the newest .pt file in it.",
  }),
];

/** The seed libtorch gets in the current run; applied when libtorch loads if it has not yet. */
let pendingTorchSeed: number | null = null;

onNativeLoad((addon) => {
  if (pendingTorchSeed !== null) addon.manualSeed(pendingTorchSeed);
  pendingTorchSeed = null;
});

export const torchPlugin: ExperimentPlugin = {
  name: "torch",
  priority: 50,
  onExperimentCreated(experiment) {
    for (const param of torchParameters) experiment.addParameter(param);
  },
  onBeforeExperiment(run) {
    // Drawn first in every run, loaded or not, so the user's newSeed() sequence is the same
    // whether libtorch loads before, during or never in the run.
    const seed = newSeed();
    if (isNativeLoaded()) loadNative().manualSeed(seed);
    else pendingTorchSeed = seed;
    run.ctx.context = new ContextObject();
    // A rank's heartbeat, once its log file is open (the standard plugin ran before).
    if (isDistributed()) startHeartbeat(Number(run.params.heartbeatTimeout ?? 0), getRank());
  },
  onAfterExperiment() {
    pendingTorchSeed = null;
    stopHeartbeat();
  },
};

registerPlugin(torchPlugin);
setDeviceProvider({ gpuCount: () => loadNative().cudaDeviceCount() });
// The core's ranks (log names, who writes files) are the process group's while one exists, a single process's otherwise.
setRankProvider({
  getRank: () => getProcessGroup()?.rank ?? 0,
  getNumProcesses: () => getProcessGroup()?.worldSize ?? 1,
  isMaster: () => (getProcessGroup()?.rank ?? 0) === 0,
});
// Context.ddp() wraps in DistributedDataParallel (seen through a DDPModuleProxy) once a process group exists.
setDdpWrapper({
  wrap(module) {
    if (!isDistributed()) {
      throw new Error("ddp() needs a distributed run (start with --distributed): no process group is initialised in this process.");
    }
    return ddpModuleProxy(new DistributedDataParallel(module as unknown as Module));
  },
  unwrap: (value) => (value instanceof DistributedDataParallel ? value.module : null),
});
