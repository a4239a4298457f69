// Process-wide libtorch settings: seeding, threads, grad modes, CUDA.
import { native } from "./tensor.js";

/** Seeds libtorch's default CPU generator (and CUDA's, in a CUDA build), as torch.manual_seed. */
export function manualSeed(seed: number | bigint): void {
  native().manualSeed(seed);
}
export function initialSeed(): bigint {
  return native().initialSeed();
}
export function setNumThreads(n: number): void {
  native().setNumThreads(n);
}
export function getNumThreads(): number {
  return native().getNumThreads();
}

function withMode<T>(enter: () => boolean, exit: (previous: boolean) => void, fn: () => T): T {
  const previous = enter();
  let result: T;
  try {
    result = fn();
  } catch (error) {
    exit(previous);
    throw error;
  }
  if (result instanceof Promise) {
    // The mode is thread-local state: it must not leak into other tasks across an await.
    exit(previous);
    throw new TypeError("noGrad/enableGrad/inferenceMode take a synchronous function");
  }
  exit(previous);
  return result;
}

/** Runs `fn` with gradient recording off (torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  const N = native();
  return withMode(() => N.setGradEnabled(false), (p) => N.setGradEnabled(p), fn);
}
/** Runs `fn` with gradient recording on (torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  const N = native();
  return withMode(() => N.setGradEnabled(true), (p) => N.setGradEnabled(p), fn);
}
export function setGradEnabled(enabled: boolean): void {
  native().setGradEnabled(enabled);
}
export function isGradEnabled(): boolean {
  return native().isGradEnabled();
}
/** Runs `fn` in inference mode (torch.inference_mode): faster, tensors made can't join autograd later. */
export function inferenceMode<T>(fn: () => T, enabled = true): T {
  const N = native();
  return withMode(
    () => {
      N.enterInferenceMode(enabled);
      return true;
    },
    () => N.exitInferenceMode(),
    fn,
  );
}
export function isInferenceModeEnabled(): boolean {
  return native().isInferenceModeEnabled();
}

/** torch.cuda: answers honestly on a CPU-only libtorch (false / 0) and throws clear errors. */
export const cuda = {
  isAvailable: (): boolean => native().cudaIsAvailable(),
  deviceCount: (): number => native().cudaDeviceCount(),
  setDevice: (device: number): void => native().cudaSetDevice(device),
  currentDevice: (): number => native().cudaCurrentDevice(),
  synchronize: (device?: number): void => native().cudaSynchronize(device),
  /** Bytes allocated/reserved by the caching allocator now and at peak. */
  memoryStats: (device?: number) => native().cudaMemoryStats(device),
  memoryAllocated: (device?: number): number => native().cudaMemoryStats(device).allocated,
  maxMemoryAllocated: (device?: number): number => native().cudaMemoryStats(device).maxAllocated,
  memoryReserved: (device?: number): number => native().cudaMemoryStats(device).reserved,
  emptyCache: (): void => native().cudaEmptyCache(),
};
