// The distributed launcher (DECISIONS, "Processes and distributed"). With `--distributed`, the
// process the user started becomes its node's launcher and trains nothing itself: Node cannot
// supervise from a process whose event loop sits in a training step or a blocking collective.
//
// Each launcher starts `nprocPerNode` ranks (global rank = nodeRank * nprocPerNode + localRank,
// same parameters and seed), relays their output prefixed `[rank N]`, and watches them. Node 0's
// launcher hosts the c10d TCPStore at masterAddr:masterPort, names the run directory and
// publishes it there; every node uses that path. When a rank fails, its launcher stops the
// others (SIGTERM, SIGKILL after a grace period), posts an abort key that the other nodes'
// launchers poll, and fails naming the rank and its exit code. Every rank runs a watchdog that
// kills it when its launcher is gone.
//
// A process started with RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT set is a rank (of our
// launcher or another one): it joins the process group before main runs.
import { toFlag } from "../../core/naming.js";
import { registerPlugin, type ExperimentRun } from "../../core/plugins.js";
import { setChildLaunch } from "../../core/run/child-mode.js";
import { createRunDir } from "../../core/run/run-dir.js";
import { launchExperimentChild, type LaunchedChild } from "../../core/run/launch.js";
import { getLogger } from "../../core/run/logging.js";
import type { StoreHandle } from "../native.js";
import { loadNative } from "../native.js";
import { c10d, destroyProcessGroup, distributedEnv, initDistributed, isDistributed } from "./process-group.js";

const logger = getLogger("pystematic.distributed");

/** How long a failed node waits for its other ranks to stop after SIGTERM before SIGKILL. */
const GRACE_MS = 10_000;
const POLL_MS = 500;
const RUN_DIR_KEY = "pystematic/run_dir";
const ABORT_KEY = "pystematic/abort";
const DONE_KEY = "pystematic/nodes_done";
/** Rendezvous timeout of the launchers (another node may start minutes later). */
const STORE_TIMEOUT_MS = 15 * 60 * 1000;

export interface LaunchSettings {
  nprocPerNode: number;
  nnodes: number;
  nodeRank: number;
  masterAddr: string;
  masterPort: number;
}

function settingsOf(params: Record<string, unknown>): LaunchSettings {
  const get = (key: string): number => {
    const v = Number(params[key]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${toFlag(key)} must be a non-negative integer, got ${String(params[key])}.`);
    return v;
  };
  const s: LaunchSettings = {
    nprocPerNode: get("nprocPerNode"),
    nnodes: get("nnodes"),
    nodeRank: get("nodeRank"),
    masterAddr: String(params.masterAddr ?? "127.0.0.1"),
    masterPort: get("masterPort"),
  };
  if (s.nprocPerNode < 1) throw new Error("--nproc-per-node must be at least 1.");
  if (s.nnodes < 1) throw new Error("--nnodes must be at least 1.");
  if (s.nodeRank >= s.nnodes) throw new Error(`--node-rank ${s.nodeRank} must be below --nnodes ${s.nnodes}.`);
  if (s.masterPort < 1 || s.masterPort > 65535) throw new Error(`--master-port must be in 1..65535, got ${s.masterPort}.`);
  return s;
}

/** Sets up this node's launcher before the run directory exists; returns what supervises. */
function prepareLauncher(run: ExperimentRun, s: LaunchSettings): () => Promise<void> {
  const d = c10d();
  const store = d.tcpStore(s.masterAddr, s.masterPort, s.nodeRank === 0, -1, STORE_TIMEOUT_MS, false);
  let runDir: string;
  try {
    if (s.nodeRank === 0) {
      runDir = createRunDir(String(run.params.outputDir ?? "./output"), run.experiment.name);
      d.storeSet(store, RUN_DIR_KEY, runDir);
    } else {
      runDir = Buffer.from(d.storeGet(store, RUN_DIR_KEY)).toString("utf8");
    }
  } catch (e) {
    d.storeClose(store);
    throw e;
  }
  // The standard plugin (next) uses this directory, logs the launcher apart from the ranks and
  // leaves parameters.yaml to global rank 0.
  setChildLaunch({ runDir, reportRunDir() {}, logName: `log.launcher.node-${s.nodeRank}.txt`, writesParameters: false });
  // However supervision ends, the store's port is free again for the next run in this process.
  return async () => {
    try {
      await supervise(run, s, store, runDir);
    } finally {
      d.storeClose(store);
    }
  };
}

async function supervise(run: ExperimentRun, s: LaunchSettings, store: StoreHandle, runDir: string): Promise<void> {
  const d = c10d();
  const worldSize = s.nprocPerNode * s.nnodes;
  logger.info(
    `Launching ${s.nprocPerNode} rank(s) on node ${s.nodeRank} of ${s.nnodes} (world size ${worldSize}), ` +
      `store at ${s.masterAddr}:${s.masterPort}, run directory ${runDir}.`,
  );
  const children: { rank: number; child: LaunchedChild }[] = [];
  for (let local = 0; local < s.nprocPerNode; local++) {
    const rank = s.nodeRank * s.nprocPerNode + local;
    const child = launchExperimentChild({
      experiment: run.experiment,
      // Resolved values travel as they are; the params file was already applied.
      params: { ...run.params, paramsFile: null, localRank: local },
      runDir,
      localRank: local,
      outputPrefix: `[rank ${rank}] `,
      env: {
        RANK: String(rank),
        WORLD_SIZE: String(worldSize),
        LOCAL_RANK: String(local),
        LOCAL_WORLD_SIZE: String(s.nprocPerNode),
        GROUP_RANK: String(s.nodeRank),
        MASTER_ADDR: s.masterAddr,
        MASTER_PORT: String(s.masterPort),
        PYSTEMATIC_STORE_HOSTED: "1",
      },
    });
    children.push({ rank, child });
  }

  let failure: string | null = null;
  const stopAll = () => {
    for (const { child } of children) child.kill("SIGTERM");
    const killer = setTimeout(() => {
      for (const { child } of children) child.kill("SIGKILL");
    }, GRACE_MS);
    killer.unref();
  };
  const fail = (message: string, post: boolean) => {
    if (failure !== null) return;
    failure = message;
    logger.error(message);
    if (post) {
      try {
        d.storeSet(store, ABORT_KEY, message);
      } catch {
        // Node 0's store may be gone already; the other launchers see their ranks fail.
      }
    }
    stopAll();
  };
  const poll = setInterval(() => {
    if (failure !== null || s.nnodes === 1) return;
    try {
      if (d.storeCheck(store, [ABORT_KEY])) {
        fail(`Stopping: ${Buffer.from(d.storeGet(store, ABORT_KEY)).toString("utf8")} (reported by another node)`, false);
      }
    } catch {
      fail("Lost the connection to the master node's store: stopping this node's ranks.", false);
    }
  }, POLL_MS);

  await Promise.all(
    children.map(async ({ rank, child }) => {
      const code = await child.wait();
      if (code !== 0) fail(`Rank ${rank} (pid ${child.pid}) exited with code ${code}.`, true);
    }),
  );
  clearInterval(poll);
  if (failure !== null) throw new Error(failure);

  // Node 0 hosts the store: it stays up until every node's ranks are done.
  d.storeAdd(store, DONE_KEY, 1);
  if (s.nodeRank === 0) {
    const deadline = Date.now() + STORE_TIMEOUT_MS;
    while (d.storeAdd(store, DONE_KEY, 0) < s.nnodes && Date.now() < deadline) {
      if (d.storeCheck(store, [ABORT_KEY])) throw new Error(Buffer.from(d.storeGet(store, ABORT_KEY)).toString("utf8"));
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  logger.info(`All ${s.nprocPerNode} rank(s) on node ${s.nodeRank} finished.`);
}

registerPlugin({
  name: "torch.distributed",
  // Before the standard plugin (10): a launcher must choose the run directory first.
  priority: 5,
  onBeforeExperiment(run) {
    if (run.params.distributed !== true) return;
    const env = distributedEnv();
    if (env !== null) {
      // A rank: join the process group, on this rank's GPU when CUDA is on.
      const useCuda = run.params.cuda === true && loadNative().cudaIsAvailable();
      if (useCuda) loadNative().cudaSetDevice(env.localRank % Math.max(1, loadNative().cudaDeviceCount()));
      initDistributed({ device: useCuda ? "cuda" : "cpu" });
      return;
    }
    run.replaceMain(prepareLauncher(run, settingsOf(run.params)));
  },
  onAfterExperiment(run) {
    if (run.params.distributed !== true) return;
    setChildLaunch(null);
    if (isDistributed()) destroyProcessGroup();
  },
});
