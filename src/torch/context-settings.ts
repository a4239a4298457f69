// libtorch's process-wide settings as torch/__init__.py exposes them: deterministic algorithms
// (and the debug mode over them), float32 matmul precision, inter-op threads, denormal flushing,
// warn-always. The values live in libtorch (native/context_settings.cpp), so ops see them.
import { native } from "./tensor/tensor.js";
import { bindArgs } from "./binding/index.js";

/** The part of the addon these settings use (native/context_settings.cpp). */
interface ContextSettingsNative {
  setDeterministicAlgorithms(mode: boolean, warnOnly: boolean): void;
  deterministicAlgorithms(): boolean;
  deterministicAlgorithmsWarnOnly(): boolean;
  setFloat32MatmulPrecision(precision: string): void;
  float32MatmulPrecision(): Float32MatmulPrecision;
  setNumInteropThreads(n: number): void;
  getNumInteropThreads(): number;
  initNumThreads(): void;
  setFlushDenormal(mode: boolean): boolean;
  setWarnAlways(b: boolean): void;
  getWarnAlways(): boolean;
}

function settings(): ContextSettingsNative {
  return native() as unknown as ContextSettingsNative;
}

/** torch.set_float32_matmul_precision's values. */
export type Float32MatmulPrecision = "highest" | "high" | "medium";
const PRECISIONS: readonly string[] = ["highest", "high", "medium"];

/**
 * Makes ops use deterministic algorithms where they exist and throw (or, with `warnOnly`, warn)
 * where only nondeterministic ones do (torch.use_deterministic_algorithms).
 *
 * @example
 * torch.useDeterministicAlgorithms(true, { warnOnly: true });
 */
export function useDeterministicAlgorithms(...args: unknown[]): void {
  const a = bindArgs<{ mode: unknown; warnOnly: boolean }>("torch.use_deterministic_algorithms", args);
  if (typeof a.mode !== "boolean") {
    throw new TypeError(`useDeterministicAlgorithms(): argument 'mode' (position 1) must be bool, not ${typeof a.mode}`);
  }
  settings().setDeterministicAlgorithms(a.mode, a.warnOnly);
}

/** Whether deterministic algorithms are on (torch.are_deterministic_algorithms_enabled). */
export function areDeterministicAlgorithmsEnabled(...args: unknown[]): boolean {
  bindArgs("torch.are_deterministic_algorithms_enabled", args);
  return settings().deterministicAlgorithms();
}

/** Whether deterministic algorithms only warn (torch.is_deterministic_algorithms_warn_only_enabled). */
export function isDeterministicAlgorithmsWarnOnlyEnabled(...args: unknown[]): boolean {
  bindArgs("torch.is_deterministic_algorithms_warn_only_enabled", args);
  return settings().deterministicAlgorithmsWarnOnly();
}

/**
 * Sets the debug mode of deterministic operations: `"default"`/0 (off), `"warn"`/1 (warn only),
 * `"error"`/2 (throw), as torch.set_deterministic_debug_mode.
 */
export function setDeterministicDebugMode(...args: unknown[]): void {
  const { debugMode } = bindArgs<{ debugMode: unknown }>("torch.set_deterministic_debug_mode", args);
  let mode: number;
  if (typeof debugMode === "string") {
    mode = ["default", "warn", "error"].indexOf(debugMode);
    if (mode < 0) {
      throw new RangeError(`setDeterministicDebugMode(): invalid value of debug_mode, expected one of \`default\`, \`warn\`, \`error\`, but got ${debugMode}`);
    }
  } else if (typeof debugMode === "number" && Number.isInteger(debugMode)) {
    if (debugMode < 0 || debugMode > 2) {
      throw new RangeError(`setDeterministicDebugMode(): invalid value of debug_mode, expected 0, 1, or 2, but got ${debugMode}`);
    }
    mode = debugMode;
  } else {
    throw new TypeError(`setDeterministicDebugMode(): debug_mode must be str or int, but got ${typeof debugMode}`);
  }
  settings().setDeterministicAlgorithms(mode !== 0, mode === 1);
}

/** The debug mode of deterministic operations: 0, 1 or 2 (torch.get_deterministic_debug_mode). */
export function getDeterministicDebugMode(...args: unknown[]): 0 | 1 | 2 {
  bindArgs("torch.get_deterministic_debug_mode", args);
  if (!settings().deterministicAlgorithms()) return 0;
  return settings().deterministicAlgorithmsWarnOnly() ? 1 : 2;
}

/**
 * The internal precision of float32 matrix multiplications: `"highest"` (full float32), `"high"`
 * (TF32 or bfloat16x3 where supported), `"medium"` (bfloat16). Python only warns on any other
 * value; here it is a RangeError, so a typo is never a silent no-op.
 */
export function setFloat32MatmulPrecision(...args: unknown[]): void {
  const { precision } = bindArgs<{ precision: unknown }>("torch.set_float32_matmul_precision", args);
  if (typeof precision !== "string" || !PRECISIONS.includes(precision)) {
    throw new RangeError(`setFloat32MatmulPrecision(): ${String(precision)} is not one of 'highest', 'high', or 'medium'`);
  }
  settings().setFloat32MatmulPrecision(precision);
}

/** The float32 matmul precision (torch.get_float32_matmul_precision). */
export function getFloat32MatmulPrecision(...args: unknown[]): Float32MatmulPrecision {
  bindArgs("torch.get_float32_matmul_precision", args);
  return settings().float32MatmulPrecision();
}

/**
 * Sets the number of threads of inter-op parallelism (torch.set_num_interop_threads): once, before
 * any inter-op work starts; libtorch throws after that.
 */
export function setNumInteropThreads(...args: unknown[]): void {
  // Python's docstring names the parameter `int` in 1.13 and `object` in 2.x.
  const [n] = Object.values(bindArgs<Record<string, unknown>>("torch.set_num_interop_threads", args));
  if (typeof n !== "number" || !Number.isInteger(n)) throw new TypeError(`setNumInteropThreads(): expected an integer, got ${String(n)}`);
  settings().setNumInteropThreads(n);
}

/** The number of inter-op threads (torch.get_num_interop_threads). */
export function getNumInteropThreads(...args: unknown[]): number {
  bindArgs("torch.get_num_interop_threads", args);
  return settings().getNumInteropThreads();
}

/** Initialises the intra-op thread pool of the calling thread (torch.init_num_threads). */
export function initNumThreads(...args: unknown[]): void {
  bindArgs("torch.init_num_threads", args);
  settings().initNumThreads();
}

/**
 * Flushes denormal floats to zero on the CPU (SSE3); returns whether that is supported
 * (torch.set_flush_denormal).
 */
export function setFlushDenormal(...args: unknown[]): boolean {
  // Python names the parameter `mode` in 1.13 and `object` in 2.x.
  const [mode] = Object.values(bindArgs<Record<string, unknown>>("torch.set_flush_denormal", args));
  if (typeof mode !== "boolean") throw new TypeError(`setFlushDenormal(): argument 'mode' must be bool, not ${typeof mode}`);
  return settings().setFlushDenormal(mode);
}

/** Makes libtorch's once-only warnings warn every time (torch.set_warn_always). */
export function setWarnAlways(...args: unknown[]): void {
  const { b } = bindArgs<{ b: unknown }>("torch.set_warn_always", args);
  if (typeof b !== "boolean") throw new TypeError(`setWarnAlways(): argument 'b' must be bool, not ${typeof b}`);
  settings().setWarnAlways(b);
}

/** Whether warn-always is on (torch.is_warn_always_enabled). */
export function isWarnAlwaysEnabled(...args: unknown[]): boolean {
  bindArgs("torch.is_warn_always_enabled", args);
  return settings().getWarnAlways();
}
