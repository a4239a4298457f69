// Device placement helpers (spec 5.2): `moveToDevice(device, ...objs)` with the Context's move
// rules, and `placeOnCorrectDevice(...objs)`, which picks the device from the run's parameters.
import { getCurrentRun } from "../core/current-run.js";
import { getLogger } from "../core/run/logging.js";
import { cuda } from "../torch/tensor/runtime.js";
import { isDeviceString, type Device } from "../torch/tensor/tensor.js";
import { moveAll } from "./context/move.js";

const logger = getLogger("pystematic.torch");
let warnedRun: object | null = null;

/**
 * Whether the run should use CUDA: its `cuda` parameter is set (the default) and CUDA is
 * available. Without CUDA the run falls back to the CPU, with one warning per run.
 */
export function cudaWanted(): boolean {
  const run = getCurrentRun();
  if (run === null || run.params.cuda !== true) return false;
  if (cuda.isAvailable()) return true;
  if (warnedRun !== run) {
    warnedRun = run;
    logger.warning("CUDA is not available: running on the CPU (pass --no-cuda to choose the CPU explicitly).");
  }
  return false;
}

/**
 * The device this process should compute on: its GPU when the `cuda` parameter is set and CUDA
 * is available (in a distributed run the local rank's GPU), else the CPU.
 */
export function defaultDevice(): Device {
  if (!cudaWanted()) return "cpu";
  const localRank = process.env.LOCAL_RANK;
  if (getCurrentRun()?.params.distributed === true && localRank !== undefined && /^\d+$/.test(localRank)) {
    return `cuda:${Number(localRank)}`;
  }
  return `cuda:${cuda.currentDevice()}`;
}

/** The CUDA device `cuda()` moves to: the current device, or a clear error without CUDA. */
export function currentCudaDevice(): Device {
  if (!cuda.isAvailable()) {
    throw new Error("cuda(): CUDA is not available here (CPU-only libtorch or no GPU); use cpu(), or autotransform() which falls back to the CPU.");
  }
  return `cuda:${cuda.currentDevice()}`;
}

/**
 * Moves objects to `device` as a Context would: tensors, modules and data loaders through their
 * `to()`, optimizers by reloading their moved state, arrays and plain objects item by item.
 * One object gives the moved object; several give an array of them.
 */
export function moveToDevice<T>(device: Device, obj: T): T;
export function moveToDevice<T extends unknown[]>(device: Device, ...objs: T): T;
export function moveToDevice(device: Device, ...objs: unknown[]): unknown {
  if (typeof device !== "string" || !isDeviceString(device)) {
    throw new TypeError(`moveToDevice(): expected a device such as "cpu" or "cuda:0", got ${JSON.stringify(device)}.`);
  }
  const moved = moveAll(objs, device) as unknown[];
  return moved.length === 1 ? moved[0] : moved;
}

/**
 * Moves objects to the run's device (see `defaultDevice()`): `const [model, x] =
 * placeOnCorrectDevice(model, x)`. Always returns an array, as the original returned a list.
 */
export function placeOnCorrectDevice<T extends unknown[]>(...objs: T): T {
  return moveAll(objs, defaultDevice()) as T;
}
