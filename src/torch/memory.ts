// torch.memory: the CPU memory policy of the native addon, public and documented (docs/memory.md),
// as torch.cuda's memory_stats / empty_cache are for CUDA and R torch's cpu allocator config.
import { native } from "./tensor/tensor.js";

/** What `torch.memory.stats()` reports. */
export interface MemoryStats {
  /** Bytes of freed CPU blocks kept for the next tensors of their size. */
  cachedBytes: number;
  /** How many such blocks. */
  cachedBlocks: number;
  /** The external memory V8 counts for this thread (tensor memory the addon reported, and Node's own). */
  externalBytes: number;
  /** Tensor handles alive in this thread (not yet disposed or collected). */
  liveTensors: number;
}

/** Options of `torch.memory.configure()`. */
export interface MemoryOptions {
  /** At most this many bytes of freed CPU blocks larger than 1 KB are kept for reuse (default 1 GiB; 0 keeps none). */
  cacheBytes?: number;
  /** A block size neither freed nor reused for this many seconds goes back to the system (default 5). */
  cacheSeconds?: number;
}

/**
 * The addon's memory figures for CPU tensors.
 *
 * Example: `torch.memory.stats().cachedBytes`.
 */
export function stats(): MemoryStats {
  const N = native();
  return { ...N.memoryStats(), liveTensors: N.liveHandles() };
}

/**
 * Sets the CPU block cache's limits: freed tensor memory kept for the next tensors of the same
 * size, so loops and reloaded checkpoints reuse warm memory instead of faulting in fresh pages.
 *
 * Example: `torch.memory.configure({ cacheBytes: 256 * 2 ** 20, cacheSeconds: 1 })`.
 */
export function configure(options: MemoryOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("torch.memory.configure(): expected an options object { cacheBytes?, cacheSeconds? }");
  }
  for (const key of Object.keys(options)) {
    if (key !== "cacheBytes" && key !== "cacheSeconds") {
      throw new TypeError(`torch.memory.configure(): got an unexpected option '${key}'`);
    }
  }
  for (const key of ["cacheBytes", "cacheSeconds"] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== "number" || !(v >= 0))) {
      throw new TypeError(`torch.memory.configure(): '${key}' must be a non-negative number`);
    }
  }
  native().memoryConfigure(options.cacheBytes, options.cacheSeconds);
}

/**
 * Releases every cached CPU block and hands freed heap memory back to the system (as
 * `torch.cuda.empty_cache()` does for CUDA). Tensors still alive are untouched.
 */
export function emptyCache(): void {
  native().memoryEmptyCache();
}
