// Moving a session between devices (spec 5.4 `to`): tensors, modules and data loaders move
// themselves; optimizers reload their own state moved; arrays and plain objects are walked;
// everything else (recorders, numbers, functions) stays as it is.
import { Tensor, type Device } from "../../torch/tensor/tensor.js";
import { OrderedDict, PyTuple } from "../../torch/serialization/records.js";
import { isMovable, isOptimizerLike, isPlainObject } from "./items.js";

/** Objects that walk their own items (the Context classes), sharing the deferred list. */
export const moveItems: unique symbol = Symbol("pystematic.context.moveItems");

interface WalksItems {
  [moveItems](device: Device, deferred: (() => void)[]): void;
}

function walksItems(value: unknown): value is WalksItems {
  return typeof value === "object" && value !== null && typeof (value as WalksItems)[moveItems] === "function";
}

/**
 * The moved form of `item`. Optimizers are queued on `deferred` and reloaded after everything
 * else moved, so their state follows parameters that may appear later in the session.
 */
export function moveItem(item: unknown, device: Device, deferred: (() => void)[]): unknown {
  if (item instanceof Tensor) return item.to(device);
  if (walksItems(item)) {
    item[moveItems](device, deferred);
    return item;
  }
  if (isMovable(item)) return item.to(device);
  if (isOptimizerLike(item)) {
    deferred.push(() => item.loadStateDict(moveState(item.stateDict(), device) as never));
    return item;
  }
  if (Array.isArray(item)) return item.map((v) => moveItem(v, device, deferred));
  if (item instanceof Map) return new Map([...item].map(([k, v]) => [k, moveItem(v, device, deferred)]));
  if (isPlainObject(item)) return mapObject(item, (v) => moveItem(v, device, deferred));
  return item;
}

/** Moves every item, then reloads the queued optimizers. */
export function moveAll(item: unknown, device: Device): unknown {
  const deferred: (() => void)[] = [];
  const moved = moveItem(item, device, deferred);
  for (const reload of deferred) reload();
  return moved;
}

/** A state (nested arrays, objects, OrderedDicts, Maps, tuples) with its tensors on `device`. */
export function moveState(state: unknown, device: Device): unknown {
  if (state instanceof Tensor) return state.to(device);
  if (state instanceof PyTuple) return PyTuple.fromItems(state.map((v) => moveState(v, device)));
  if (Array.isArray(state)) return state.map((v) => moveState(v, device));
  if (state instanceof Map) return new Map([...state].map(([k, v]) => [k, moveState(v, device)]));
  if (isPlainObject(state)) return mapObject(state, (v) => moveState(v, device));
  return state;
}

/** A copy of a plain object or OrderedDict (same kind) with its values mapped. */
function mapObject(obj: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = obj instanceof OrderedDict ? new OrderedDict() : {};
  for (const [k, v] of Object.entries(obj)) out[k] = fn(v);
  return out;
}
