// Context.ddp() (spec 5.4): modules with trainable parameters are wrapped in
// DistributedDataParallel once, recorders go quiet on ranks other than 0, arrays and plain
// objects are walked, nested contexts do their own.
import { getRankProvider } from "../../core/providers.js";
import { getLogger } from "../../core/run/logging.js";
import { Recorder } from "../../recording/recorder.js";
import { Tensor } from "../../torch/tensor/tensor.js";
import type { DdpWrapper } from "./ddp-hook.js";
import { isModuleLike, isPlainObject } from "./items.js";

const logger = getLogger("pystematic.torch");

/** Objects that wrap their own items (the Context classes). */
export const ddpItems: unique symbol = Symbol("pystematic.context.ddpItems");

interface WrapsItems {
  [ddpItems](wrapper: DdpWrapper): void;
}

function wrapsItems(value: unknown): value is WrapsItems {
  return typeof value === "object" && value !== null && typeof (value as WrapsItems)[ddpItems] === "function";
}

function hasTrainableParameters(module: { parameters(): Iterable<Tensor> }): boolean {
  for (const p of module.parameters()) if (p instanceof Tensor && p.requiresGrad) return true;
  return false;
}

export function ddpItem(item: unknown, wrapper: DdpWrapper): unknown {
  if (wrapsItems(item)) {
    item[ddpItems](wrapper);
    return item;
  }
  if (wrapper.unwrap(item) !== null) return item; // already wrapped: a second ddp() changes nothing
  if (isModuleLike(item)) return hasTrainableParameters(item) ? wrapper.wrap(item) : item;
  if (item instanceof Recorder) {
    const rank = getRankProvider().getRank();
    if (rank !== 0) {
      logger.debug(`Silencing recorder in rank '${rank}'.`);
      item.silence();
    }
    return item;
  }
  if (Array.isArray(item)) return item.map((v) => ddpItem(v, wrapper));
  if (isPlainObject(item)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) out[k] = ddpItem(v, wrapper);
    return out;
  }
  return item;
}
