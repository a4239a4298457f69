// skip_init (torch/nn/utils/init.py): a module built without running its parameter initialisation.
import { emptyLike } from "../../tensor/creation.js";
import { noGrad } from "../../tensor/runtime.js";
import { Module } from "../module.js";
import { bindArgs, signatureNames, signatureOf } from "../../binding/index.js";

type ModuleClass = new (...args: never[]) => Module;

/**
 * `new moduleCls(...args, kwargs)` with uninitialised parameters and buffers, for a module whose
 * weights are loaded next (Python's skip_init; the class must take a `device` argument). Python
 * builds on the meta device to skip the initialisation's work; here it is built, then emptied.
 *
 * Example:
 *   const m = nn.utils.skipInit(nn.Linear, 5, 1); // m.weight: uninitialised (1, 5)
 */
export function skipInit<C extends new (...args: never) => Module>(moduleCls: C, ...args: ConstructorParameters<C>): InstanceType<C>;
export function skipInit(...args: unknown[]): Module {
  const a = bindArgs<{ moduleCls: unknown; args: unknown[]; kwargs: Record<string, unknown> }>("torch.nn.utils.skip_init", args);
  const cls = a.moduleCls as ModuleClass;
  if (typeof cls !== "function" || !(cls.prototype instanceof Module)) throw new Error(`Expected a Module; got ${String(cls)}`);
  const qualname = `torch.nn.${cls.name}`;
  if (signatureNames().includes(qualname) && !signatureOf(qualname).byName.has("device")) {
    throw new Error("Module must support a 'device' arg to skip initialization");
  }
  const { kwargs, args: rest } = a;
  const module = Object.keys(kwargs).length > 0 ? new cls(...([...rest, kwargs] as never[])) : new cls(...(rest as never[]));
  noGrad(() => {
    for (const t of [...module.parameters(), ...module.buffers()]) t.setData(emptyLike(t));
  });
  return module;
}
