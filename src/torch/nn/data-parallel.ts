// DataParallel (torch/nn/parallel/data_parallel.py) for the cases one process serves: no GPU (the
// module runs as is, as Python's) and one GPU. Several GPUs in one process are refused with a
// pointer to DistributedDataParallel (one process per GPU), which this project implements.
import { Tensor, type Device } from "../tensor/tensor.js";
import { cuda } from "../tensor/runtime.js";
import { Module } from "./module.js";
import { bind, isPlainObject, type ArgsOf } from "../binding/index.js";

/** Python's scatter onto one device: tensors in the arguments (and in lists and dicts) moved there. */
function toDevice(value: unknown, device: Device): unknown {
  if (value instanceof Tensor) return value.to(device);
  if (Array.isArray(value)) return value.map((v) => toDevice(v, device));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDevice(v, device)]));
  return value;
}

/**
 * Runs `module` on the device(s) of `deviceIds` (torch.nn.DataParallel). Without a GPU it is the
 * module itself, as Python's; with one device the module is moved there and the inputs follow.
 * Several devices are refused: use DistributedDataParallel (one process per GPU).
 *
 * Args (positionally or by name, in Python's order): module, deviceIds (all GPUs), outputDevice
 * (deviceIds[0]), dim (0). State dict: module.*.
 */
export class DataParallel<M extends Module = Module> extends Module {
  module: M;
  readonly deviceIds: number[];
  readonly outputDevice: number | null;
  readonly dim: number;

  constructor(...args: ArgsOf<"torch.nn.DataParallel">) {
    super();
    const a = bind("torch.nn.DataParallel", args);
    if (!(a.module instanceof Module)) throw new TypeError("nn.DataParallel(): argument 'module' must be a Module");
    this.module = a.module as M;
    this.dim = a.dim;
    if (!cuda.isAvailable()) {
      this.deviceIds = [];
      this.outputDevice = null;
      return;
    }
    const given = a.deviceIds as readonly (number | string)[] | null;
    const ids = given === null ? Array.from({ length: cuda.deviceCount() }, (_, i) => i) : given.map(deviceIndex);
    if (ids.length > 1) {
      throw new Error(
        `nn.DataParallel(): ${ids.length} devices in one process are not supported here; use DistributedDataParallel (one process per GPU)`,
      );
    }
    this.deviceIds = ids;
    this.outputDevice = a.outputDevice === null ? (ids[0] ?? null) : deviceIndex(a.outputDevice as number | string);
    if (ids.length === 1) this.module.to(`cuda:${ids[0]}`);
  }

  override forward(...inputs: unknown[]): unknown {
    const run = this.module.call as (...a: unknown[]) => unknown;
    if (this.deviceIds.length === 0) return run.apply(this.module, inputs);
    const device: Device = `cuda:${this.deviceIds[0]}`;
    return run.apply(this.module, inputs.map((v) => toDevice(v, device)));
  }
}

function deviceIndex(id: number | string): number {
  if (typeof id === "number" && Number.isInteger(id) && id >= 0) return id;
  const match = typeof id === "string" ? /^cuda:(\d+)$/.exec(id) : null;
  if (match) return Number(match[1]);
  throw new TypeError(`nn.DataParallel(): a device id must be a GPU index or "cuda:N", got ${String(id)}`);
}
