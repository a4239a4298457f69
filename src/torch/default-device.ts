// torch.get_default_device / set_default_device / get_device_module (PyTorch 2.x).
import { bindArgs } from "./binding/index.js";
import { cuda } from "./tensor/runtime.js";
import { requireTorch2 } from "./since-version.js";

/** torch.cpu: the CPU device module, as `getDeviceModule("cpu")` returns it. */
export const cpu = {
  isAvailable: (): boolean => true,
  deviceCount: (): number => 1,
  currentDevice: (): string => "cpu",
  synchronize: (): void => {},
};

/** The device factories use when given none (torch.get_default_device): `"cpu"` here. */
export function getDefaultDevice(...args: unknown[]): string {
  requireTorch2("torch.getDefaultDevice");
  bindArgs("torch.get_default_device", args);
  return "cpu";
}

/**
 * Sets the device factories use when given none (torch.set_default_device). Only `"cpu"` (or
 * null, to reset) is accepted: factories here take their device explicitly, so another default
 * would be ignored, and an ignored setting is refused instead.
 */
export function setDefaultDevice(...args: unknown[]): void {
  requireTorch2("torch.setDefaultDevice");
  const { device } = bindArgs<{ device: unknown }>("torch.set_default_device", args);
  if (device !== null && device !== "cpu") {
    throw new TypeError(`setDefaultDevice(): only "cpu" (or null) is supported as the default device, got ${String(device)}; pass { device } to the factories instead`);
  }
}

/**
 * The module of a device type (torch.get_device_module): `torch.cuda` for `"cuda"`, `torch.cpu`
 * for `"cpu"`; with no device, the accelerator's if one is available, else `cpu`.
 */
export function getDeviceModule(...args: unknown[]): typeof cuda | typeof cpu {
  requireTorch2("torch.getDeviceModule");
  const { device } = bindArgs<{ device: unknown }>("torch.get_device_module", args);
  if (device === null) return cuda.isAvailable() ? cuda : cpu;
  const type = typeof device === "string" ? device.split(":")[0] : undefined;
  if (type === "cuda") return cuda;
  if (type === "cpu") return cpu;
  throw new Error(`getDeviceModule(): Device '${String(device)}' does not have a corresponding module registered as 'torch.${String(type)}'.`);
}
