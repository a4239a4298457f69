// The process group of a distributed run, on torch.distributed's own engine (c10d): a TCPStore
// rendezvous and a Gloo process group (NCCL for CUDA tensors when libtorch has it).
//
// The launcher (`--distributed`) sets RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT
// and hosts the store itself (PYSTEMATIC_STORE_HOSTED=1). Started by another launcher with the
// same variables, rank 0 hosts the store, as PyTorch's env:// rendezvous does.
import { loadNative, type GroupHandle, type NativeDistributed, type StoreHandle } from "../native.js";

/** The launcher's restart count, which keeps a restarted group's keys apart from the last one's. */
export const RESTART_ENV = "PYSTEMATIC_RESTART";

/** PyTorch's default collective timeout (30 minutes). */
export const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;

export type Backend = "gloo" | "nccl";

export interface DistributedEnv {
  rank: number;
  worldSize: number;
  localRank: number;
  masterAddr: string;
  masterPort: number;
}

export interface ProcessGroup {
  readonly backend: Backend;
  readonly rank: number;
  readonly worldSize: number;
  readonly localRank: number;
  readonly store: StoreHandle;
  /** @internal */
  readonly handle: GroupHandle;
  timeoutMs: number;
}

let group: ProcessGroup | null = null;

/** The c10d bindings, or a clear error when the addon was built without them. */
export function c10d(): NativeDistributed {
  const d = loadNative().distributed;
  if (!d) {
    throw new Error(
      "torch.distributed is not in this build: Gloo's headers were missing when the addon was built. " +
        "Install them (apt-get install libgloo-dev) and rebuild with `npm run build:native`.",
    );
  }
  return d;
}

function intEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Environment variable ${name}='${raw}' is not a non-negative integer.`);
  return n;
}

/** The launch environment, or null when this process was not started as a rank. */
export function distributedEnv(): DistributedEnv | null {
  const rank = intEnv("RANK");
  const worldSize = intEnv("WORLD_SIZE");
  const masterAddr = process.env.MASTER_ADDR;
  const masterPort = intEnv("MASTER_PORT");
  if (rank === undefined || worldSize === undefined || !masterAddr || masterPort === undefined) return null;
  if (rank >= worldSize) throw new Error(`RANK=${rank} is not below WORLD_SIZE=${worldSize}.`);
  return { rank, worldSize, localRank: intEnv("LOCAL_RANK") ?? rank, masterAddr, masterPort };
}

export interface InitOptions {
  /** Default: "nccl" when `device` is CUDA and libtorch has NCCL, else "gloo". */
  backend?: Backend;
  /** The device the training tensors live on (chooses the backend). */
  device?: string;
  /** Timeout of the rendezvous and of every collective, ms (default 30 minutes, as PyTorch). */
  timeoutMs?: number;
  /** Explicit values instead of the environment (tests, custom launchers). */
  env?: DistributedEnv;
}

/**
 * Joins the process group of this run (torch.distributed.init_process_group). Idempotent:
 * a second call returns the existing group.
 */
export function initDistributed(options: InitOptions = {}): ProcessGroup {
  if (group) return group;
  const env = options.env ?? distributedEnv();
  if (!env) {
    throw new Error(
      "initDistributed(): this process was not started as a distributed rank (RANK, WORLD_SIZE, MASTER_ADDR and " +
        "MASTER_PORT are not all set). Start the experiment with --distributed --nproc-per-node N.",
    );
  }
  const d = c10d();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const hosted = process.env.PYSTEMATIC_STORE_HOSTED === "1";
  const isServer = !hosted && env.rank === 0;
  const store = d.tcpStore(env.masterAddr, env.masterPort, isServer, env.worldSize, timeoutMs, false);
  const wantsCuda = options.device?.startsWith("cuda") ?? false;
  const backend: Backend = options.backend ?? (wantsCuda && d.hasNccl() ? "nccl" : "gloo");
  const restart = process.env[RESTART_ENV] ?? "0";
  const prefix = restart === "0" ? "default_pg/" : `default_pg/restart-${restart}/`;
  const handle = d.processGroup(backend, d.prefixStore(store, prefix), env.rank, env.worldSize, timeoutMs);
  group = { backend, rank: env.rank, worldSize: env.worldSize, localRank: env.localRank, store, handle, timeoutMs };
  return group;
}

/** Leaves the process group (torch.distributed.destroy_process_group). */
export function destroyProcessGroup(): void {
  if (!group) return;
  const d = c10d();
  d.groupClose(group.handle);
  d.storeClose(group.store);
  group = null;
}

/** The current group; a clear error outside a distributed run. */
export function requireGroup(what: string): ProcessGroup {
  if (!group) {
    throw new Error(`${what} needs a distributed run: call initDistributed() in a process started with --distributed.`);
  }
  return group;
}

export function getProcessGroup(): ProcessGroup | null {
  return group;
}
export function isDistributed(): boolean {
  return group !== null;
}
/** This process's global rank (0 outside a distributed run). */
export function getRank(): number {
  return group?.rank ?? distributedEnv()?.rank ?? 0;
}
/** The number of processes in the run (1 outside a distributed run). */
export function getNumProcesses(): number {
  return group?.worldSize ?? distributedEnv()?.worldSize ?? 1;
}
/** This process's rank on its node (its GPU index). */
export function getLocalRank(): number {
  return group?.localRank ?? distributedEnv()?.localRank ?? 0;
}
/** True on global rank 0, the only process that writes files. */
export function isMaster(): boolean {
  return getRank() === 0;
}
