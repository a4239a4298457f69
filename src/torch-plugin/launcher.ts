// The distributed launcher (DECISIONS, "Processes and distributed"). With `--distributed`, the
// process the user started becomes its node's launcher and trains nothing itself: Node cannot
// supervise from a process whose event loop sits in a training step or a blocking collective.
//
// Each launcher starts `nprocPerNode` ranks (global rank = nodeRank * nprocPerNode + localRank,
// same parameters and seed), relays their output prefixed `[rank N]`, and watches them. Node 0's
// launcher hosts the c10d TCPStore at masterAddr:masterPort, names the run directory and
// publishes it there; every node uses that path. When a rank fails, its launcher stops the
// others (SIGTERM, SIGKILL after a grace period), posts an abort key that the other nodes'
// launchers poll, and fails naming the rank and its exit code, or, with --max-restarts, starts
// every rank again from the newest checkpoint in the run directory. SIGINT/SIGTERM to a launcher
// go to its ranks (each in its own process group, so a terminal's Ctrl-C arrives once), which
// stop as interrupted runs do; the launcher then exits 130/143. Every rank runs a watchdog that
// kills it when its launcher is gone, and with --heartbeat-timeout a native one that stops it
// when it makes no progress (native/interrupt.cpp).
//
// A process started with RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT set is a rank (of our
// launcher or another one): it joins the process group before main runs.
import { readdirSync, statSync } from "node:fs";
import { connect } from "node:net";
import { constants } from "node:os";
import { join } from "node:path";
import { toFlag } from "../core/naming.js";
import { registerPlugin, type ExperimentRun } from "../core/plugins.js";
import { setChildLaunch } from "../core/run/child-mode.js";
import { createRunDir } from "../core/run/run-dir.js";
import { launchExperimentChild, type LaunchedChild } from "../core/run/launch.js";
import { onInterrupt, type InterruptError } from "../core/run/interrupt.js";
import { getLogger } from "../core/run/logging.js";
import type { StoreHandle } from "../torch/native.js";
import { loadNative } from "../torch/native.js";
import { c10d, destroyProcessGroup, distributedEnv, initDistributed, isDistributed, RESTART_ENV } from "../torch/distributed/process-group.js";

const logger = getLogger("pystematic.distributed");

/** How long ranks get to stop after SIGTERM (a failure) or a forwarded signal before SIGKILL. */
const GRACE_MS = 10_000;
const POLL_MS = 500;
const RUN_DIR_KEY = "pystematic/run_dir";
const ABORT_KEY = "pystematic/abort";
const DONE_KEY = "pystematic/nodes_done";
const CHECKPOINT_KEY = "pystematic/restart_checkpoint";
/** Rendezvous timeout of the launchers (another node may start minutes later). */
const STORE_TIMEOUT_MS = 15 * 60 * 1000;
/** The most a launcher's store request waits after the rendezvous (the distributed timeout if less). */
const REQUEST_TIMEOUT_MS = 30 * 1000;

function requestTimeoutMs(params: Record<string, unknown>): number {
  return Math.min(REQUEST_TIMEOUT_MS, distributedTimeoutMs(params));
}
function distributedTimeoutMs(params: Record<string, unknown>): number {
  return Number(params.distributedTimeout ?? 1800) * 1000;
}

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
  const seconds = (key: string, positive: boolean): void => {
    const v = Number(params[key]);
    if (!Number.isFinite(v) || v < 0 || (positive && v === 0)) {
      throw new Error(`${toFlag(key)} must be a ${positive ? "positive" : "non-negative"} number of seconds, got ${String(params[key])}.`);
    }
  };
  seconds("distributedTimeout", true);
  seconds("heartbeatTimeout", false);
  get("maxRestarts");
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
  // From now on a store request that gets no answer (node 0 gone, a partition) fails soon, so
  // the abort poll never blocks this launcher for long.
  d.storeSetTimeout(store, requestTimeoutMs(run.params));
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

/** The exit code of a rank its heartbeat stopped (native/interrupt.cpp). */
const HUNG_EXIT_CODE = 124;

/** What a rank's exit code says, for the launcher's log. */
function describeExit(rank: number, pid: number, code: number, heartbeatTimeout: number): string {
  if (code === HUNG_EXIT_CODE) {
    return `Rank ${rank} (pid ${pid}) made no progress for ${heartbeatTimeout} s and was stopped (--heartbeat-timeout, exit code ${code}).`;
  }
  const signal = Object.entries(constants.signals).find(([, number]) => code === 128 + number)?.[0];
  const cause = signal === undefined ? "" : ` (${signal === "SIGINT" || signal === "SIGTERM" ? "interrupted by" : "killed by"} ${signal})`;
  return `Rank ${rank} (pid ${pid}) exited with code ${code}${cause}.`;
}

/** The newest `.pt` file in the run directory (what saveCheckpoint writes), or null. */
export function newestCheckpoint(runDir: string): string | null {
  let newest: { path: string; mtimeMs: number } | null = null;
  for (const entry of readdirSync(runDir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".pt")) continue;
    const path = join(runDir, entry.name);
    const { mtimeMs } = statSync(path);
    if (newest === null || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
  }
  return newest?.path ?? null;
}

/** Whether the master node's store port still takes connections, probed without blocking. */
class MasterWatch {
  #lastAnswer = Date.now();
  #probing: Promise<boolean> | null = null;
  #answering = true;

  constructor(
    private readonly settings: LaunchSettings,
    readonly timeoutMs: number,
  ) {}

  /** Node 0 hosts the store: it always answers there. */
  answering(): boolean {
    return this.settings.nodeRank === 0 || this.#answering;
  }

  silentMs(): number {
    return Date.now() - this.#lastAnswer;
  }

  probe(): Promise<boolean> {
    if (this.settings.nodeRank === 0) return Promise.resolve(true);
    this.#probing ??= new Promise<boolean>((resolve) => {
      const socket = connect({ host: this.settings.masterAddr, port: this.settings.masterPort });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(POLL_MS * 4, () => done(false));
      socket.once("connect", () => done(true));
      socket.once("error", () => done(false));
    }).then((ok) => {
      this.#probing = null;
      this.#answering = ok;
      if (ok) this.#lastAnswer = Date.now();
      return ok;
    });
    return this.#probing;
  }
}

/** The store key through which a node tells the others that this start of the ranks failed. */
function abortKeyOf(generation: number): string {
  return generation === 0 ? ABORT_KEY : `${ABORT_KEY}/${generation}`;
}

type Outcome = { kind: "finished" } | { kind: "failed"; message: string } | { kind: "interrupted"; error: InterruptError };

async function supervise(run: ExperimentRun, s: LaunchSettings, store: StoreHandle, runDir: string): Promise<void> {
  const d = c10d();
  const maxRestarts = Number(run.params.maxRestarts ?? 0);
  // The generation is also the global restart count: every node restarts after the same failure.
  let checkpoint = typeof run.params.checkpoint === "string" ? run.params.checkpoint : null;
  let generation = 0;
  for (; ; generation++) {
    const outcome = await superviseGeneration(run, s, store, runDir, generation, checkpoint);
    if (outcome.kind === "interrupted") throw outcome.error;
    if (outcome.kind === "finished") break;
    if (generation >= maxRestarts) {
      throw new Error(maxRestarts > 0 ? `${outcome.message} No restart left (--max-restarts ${maxRestarts}).` : outcome.message);
    }
    // Node 0 names the checkpoint (rank 0 saved it in its run directory); the others take its word.
    const key = `${CHECKPOINT_KEY}/${generation + 1}`;
    if (s.nodeRank === 0) {
      checkpoint = newestCheckpoint(runDir);
      d.storeSet(store, key, checkpoint ?? "");
    } else {
      // Node 0 names it once its own ranks have stopped: wait as long as for a collective.
      d.storeSetTimeout(store, distributedTimeoutMs(run.params));
      try {
        checkpoint = Buffer.from(d.storeGet(store, key)).toString("utf8") || null;
      } finally {
        d.storeSetTimeout(store, requestTimeoutMs(run.params));
      }
    }
    logger.warning(
      `Restarting every rank (restart ${generation + 1} of ${maxRestarts}) ` +
        (checkpoint === null ? "from the start: no checkpoint in the run directory." : `from ${checkpoint}.`),
    );
  }

  // Node 0 hosts the store: it stays up until every node's ranks are done.
  d.storeAdd(store, DONE_KEY, 1);
  if (s.nodeRank === 0) {
    const deadline = Date.now() + STORE_TIMEOUT_MS;
    while (d.storeAdd(store, DONE_KEY, 0) < s.nnodes && Date.now() < deadline) {
      const abortKey = abortKeyOf(generation);
      if (d.storeCheck(store, [abortKey])) throw new Error(Buffer.from(d.storeGet(store, abortKey)).toString("utf8"));
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  logger.info(`All ${s.nprocPerNode} rank(s) on node ${s.nodeRank} finished.`);
}

/** Starts this node's ranks once and watches them until they have all exited. */
async function superviseGeneration(
  run: ExperimentRun,
  s: LaunchSettings,
  store: StoreHandle,
  runDir: string,
  generation: number,
  checkpoint: string | null,
): Promise<Outcome> {
  const d = c10d();
  const worldSize = s.nprocPerNode * s.nnodes;
  const abortKey = abortKeyOf(generation);
  const heartbeatTimeout = Number(run.params.heartbeatTimeout ?? 0);
  if (generation === 0) {
    logger.info(
      `Launching ${s.nprocPerNode} rank(s) on node ${s.nodeRank} of ${s.nnodes} (world size ${worldSize}), ` +
        `store at ${s.masterAddr}:${s.masterPort}, run directory ${runDir}.`,
    );
  }
  const children: { rank: number; child: LaunchedChild }[] = [];
  for (let local = 0; local < s.nprocPerNode; local++) {
    const rank = s.nodeRank * s.nprocPerNode + local;
    const child = launchExperimentChild({
      experiment: run.experiment,
      // Resolved values travel as they are; the params file was already applied.
      params: { ...run.params, paramsFile: null, localRank: local, checkpoint },
      runDir,
      localRank: local,
      outputPrefix: `[rank ${rank}] `,
      // A Ctrl-C in the terminal reaches the launcher alone, which forwards it once.
      ownProcessGroup: true,
      env: {
        RANK: String(rank),
        WORLD_SIZE: String(worldSize),
        LOCAL_RANK: String(local),
        LOCAL_WORLD_SIZE: String(s.nprocPerNode),
        GROUP_RANK: String(s.nodeRank),
        MASTER_ADDR: s.masterAddr,
        MASTER_PORT: String(s.masterPort),
        PYSTEMATIC_STORE_HOSTED: "1",
        [RESTART_ENV]: String(generation),
      },
    });
    children.push({ rank, child });
  }

  let outcome: Outcome | null = null;
  const stopAll = (signal: NodeJS.Signals) => {
    for (const { child } of children) child.kill(signal);
    const killer = setTimeout(() => {
      for (const { rank, child } of children) {
        if (child.exitCode() !== null) continue;
        logger.warning(`Rank ${rank} (pid ${child.pid}) did not stop within ${GRACE_MS / 1000} s of ${signal}: SIGKILL.`);
        child.kill("SIGKILL");
      }
    }, GRACE_MS);
    killer.unref();
  };
  // The store's requests block this thread until TCP gives up (minutes) when the master node is
  // cut off: other nodes make them only while a plain connection to it opens.
  const master = new MasterWatch(s, requestTimeoutMs(run.params));
  const post = (message: string) => {
    if (!master.answering()) return;
    try {
      d.storeSet(store, abortKey, message);
    } catch {
      // Node 0's store may be gone already; the other launchers see their ranks fail.
    }
  };
  const fail = (message: string, report: boolean) => {
    if (outcome !== null) return;
    outcome = { kind: "failed", message };
    logger.error(message);
    if (report) post(message);
    stopAll("SIGTERM");
  };
  const stopInterrupt = onInterrupt((error) => {
    if (outcome !== null) return true;
    outcome = { kind: "interrupted", error };
    logger.error(
      `Received ${error.signal}: forwarding it to the ranks of node ${s.nodeRank} (SIGKILL after ${GRACE_MS / 1000} s; a second signal stops at once).`,
    );
    post(`node ${s.nodeRank}'s launcher was interrupted by ${error.signal}`);
    stopAll(error.signal);
    return true;
  });
  const poll = setInterval(() => {
    if (outcome !== null || s.nnodes === 1) return;
    void master.probe().then((answering) => {
      if (outcome !== null) return;
      if (!answering) {
        if (master.silentMs() >= master.timeoutMs) {
          fail(`Lost the connection to the master node's store (no answer for ${master.timeoutMs / 1000} s): stopping this node's ranks.`, false);
        }
        return;
      }
      try {
        if (d.storeCheck(store, [abortKey])) {
          fail(`Stopping: ${Buffer.from(d.storeGet(store, abortKey)).toString("utf8")} (reported by another node)`, false);
        }
      } catch {
        fail("Lost the connection to the master node's store: stopping this node's ranks.", false);
      }
    });
  }, POLL_MS);

  try {
    await Promise.all(
      children.map(async ({ rank, child }) => {
        const code = await child.wait();
        const what = describeExit(rank, child.pid, code, heartbeatTimeout);
        if (outcome?.kind === "interrupted") logger.info(what);
        else if (code !== 0) fail(what, true);
      }),
    );
  } finally {
    clearInterval(poll);
    stopInterrupt();
  }
  return outcome ?? { kind: "finished" };
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
      initDistributed({ device: useCuda ? "cuda" : "cpu", timeoutMs: distributedTimeoutMs(run.params) });
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
