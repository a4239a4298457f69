// How Context.ddp() reaches DistributedDataParallel without depending on it: the distributed
// module registers its wrapper here when it loads (issue 6); until then ddp() is a clear error.
import type { ModuleLike } from "./items.js";

export interface DdpWrapper {
  /** Wraps a module that has trainable parameters (throws when no process group is initialised). */
  wrap(module: ModuleLike): ModuleLike;
  /** The module inside `value` when `value` is a DDP wrapper, else null. */
  unwrap(value: unknown): ModuleLike | null;
}

let wrapper: DdpWrapper | null = null;

/** Registers DistributedDataParallel for Context.ddp() (the distributed module calls this). */
export function setDdpWrapper(w: DdpWrapper | null): void {
  wrapper = w;
}

/** The registered wrapper, or a clear error naming what ddp() needs. */
export function requireDdpWrapper(): DdpWrapper {
  if (wrapper === null) {
    throw new Error(
      "ddp() needs a distributed run (start with --distributed, or set RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR " +
        "and MASTER_PORT) and pystematic/torch's distributed support loaded.",
    );
  }
  return wrapper;
}

/** The module inside a DDP wrapper, or `value` itself. */
export function unwrapDdp(value: unknown): unknown {
  return wrapper?.unwrap(value) ?? value;
}
