// What Context.ddp() puts in place of a module (spec 5.3, pystematic's DDPModuleProxy): the
// DistributedDataParallel wrapper, through which the wrapped module's own members stay reachable
// (`ctx.model.fc2`, custom methods), so training code reads the same with or without --distributed.
import { DistributedDataParallel } from "../../torch/distributed/ddp.js";

/**
 * A view of `ddp` that falls back to `ddp.module` for members DDP does not have. It is still an
 * `instanceof DistributedDataParallel`; methods run on the real objects (private state intact),
 * and a method returning the wrapper itself (`to()`, `train()`) returns the view.
 */
export function ddpModuleProxy<D extends DistributedDataParallel>(ddp: D): D {
  const proxy: D = new Proxy(ddp, {
    get(target, prop) {
      const owner: object = prop in target ? target : target.module;
      const value = Reflect.get(owner, prop, owner) as unknown;
      if (typeof value !== "function" || prop === "constructor") return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(owner, args);
        return result === target ? proxy : result;
      };
    },
    set(target, prop, value) {
      return Reflect.set(prop in target || !(prop in target.module) ? target : target.module, prop, value);
    },
    has(target, prop) {
      return prop in target || prop in target.module;
    },
  });
  return proxy;
}
