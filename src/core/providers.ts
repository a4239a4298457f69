// Facts the core needs about ranks, GPUs and tensors without loading libtorch: the core defines
// these small interfaces with single-process defaults, and `pystematic/torch` registers its own.

/** Who this process is in a distributed run. */
export interface RankProvider {
  getRank(): number;
  getNumProcesses(): number;
  isMaster(): boolean;
}

/** What accelerators this machine has (used to hand out GPUs to sweep members). */
export interface DeviceProvider {
  gpuCount(): number;
}

/** Anything tensor-shaped the core can read without libtorch (Recorder inputs, checkpoints). */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
  toTypedArray(): ArrayLike<number | bigint>;
}

const singleProcess: RankProvider = {
  getRank: () => 0,
  getNumProcesses: () => 1,
  isMaster: () => true,
};

let rankProvider: RankProvider = singleProcess;
let deviceProvider: DeviceProvider | null = null;

export function setRankProvider(provider: RankProvider): void {
  rankProvider = provider;
}
export function getRankProvider(): RankProvider {
  return rankProvider;
}
export function setDeviceProvider(provider: DeviceProvider): void {
  deviceProvider = provider;
}
/** The registered device provider, or null when `pystematic/torch` has not registered one. */
export function getDeviceProvider(): DeviceProvider | null {
  return deviceProvider;
}

export function isTensorLike(value: unknown): value is TensorLike {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as TensorLike).shape) &&
    typeof (value as TensorLike).dtype === "string" &&
    typeof (value as TensorLike).toTypedArray === "function"
  );
}
