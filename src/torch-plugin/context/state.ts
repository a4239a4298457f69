// One state for the whole session (spec 5.4 state_dict / load_state_dict, with its bugs fixed):
// tensors and null-valued items are kept, paths in errors start at the top-level name, and
// modules come out of DDP wrappers (no `module.` prefix).
import { Tensor } from "../../torch/tensor/tensor.js";
import { noGrad } from "../../torch/tensor/runtime.js";
import { unwrapDdp } from "./ddp-hook.js";
import { deviceOf, isPlainObject, isPrimitive, isStateful, typeName } from "./items.js";
import { moveState } from "./move.js";

/** Objects that collect and restore their own items' states (the Context classes). */
export const collectState: unique symbol = Symbol("pystematic.context.collectState");
export const restoreState: unique symbol = Symbol("pystematic.context.restoreState");

export interface WalksState {
  [collectState](path: string): unknown;
  [restoreState](state: unknown, path: string): void;
}

export function walksState(value: unknown): value is WalksState {
  return typeof value === "object" && value !== null && typeof (value as WalksState)[collectState] === "function";
}

/** `path.key`, or `key` at the top. */
export function joinPath(path: string, key: string | number): string {
  return path === "" ? String(key) : `${path}.${key}`;
}

/** The error every failed restore throws: it names the item's full path. */
export function stateError(path: string, message: string, cause?: unknown): Error {
  const what = path === "" ? "the context" : `item '${path}'`;
  return new Error(`Error when setting state for ${what}, ${message}`, cause === undefined ? undefined : { cause });
}

/** The saved form of one item. */
export function stateOf(item: unknown, path: string): unknown {
  if (walksState(item)) return item[collectState](path);
  const inner = unwrapDdp(item);
  if (isStateful(inner)) return inner.stateDict();
  if (item instanceof Tensor || isPrimitive(item)) return item;
  if (item === null || item === undefined) return null;
  if (Array.isArray(item)) return item.map((v, i) => stateOf(v, joinPath(path, i)));
  if (isPlainObject(item)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) out[k] = stateOf(v, joinPath(path, k));
    return out;
  }
  return null; // data loaders without state, functions, other objects: nothing to save
}

/**
 * Restores `item` from `state` and returns what the item becomes: stateful objects load in place
 * (their state moved to their device first) and are returned; primitives, tensors of another
 * shape, arrays and plain objects are replaced.
 */
export function restoreItem(item: unknown, state: unknown, path: string): unknown {
  if (walksState(item)) {
    item[restoreState](state, path);
    return item;
  }
  const inner = unwrapDdp(item);
  // Python pystematic-torch saves None for a DataLoader or a bare tensor: no state, keep the item.
  if ((state === null || state === undefined) && (isStateful(inner) || item instanceof Tensor)) return item;
  if (isStateful(inner)) {
    const device = deviceOf(inner);
    try {
      inner.loadStateDict((device === undefined ? state : moveState(state, device)) as never);
    } catch (e) {
      throw stateError(path, e instanceof Error ? e.message : String(e), e);
    }
    return item;
  }
  if (item instanceof Tensor) {
    if (!(state instanceof Tensor)) throw stateError(path, `expected a tensor, got '${typeName(state)}'.`);
    // Same shape and dtype: copy in place, so whoever holds this tensor sees the restored values.
    if (sameLayout(item, state)) {
      noGrad(() => item.copy_(state));
      return item;
    }
    return state.to(item.device);
  }
  if (isPrimitive(item)) {
    const value = seedsEraPrimitive(state);
    if (!isPrimitive(value)) throw stateError(path, `expected a primitive value, got '${typeName(state)}'.`);
    return value;
  }
  if (item === null || item === undefined) return state; // nothing to match: take what was saved
  if (Array.isArray(item)) {
    if (!Array.isArray(state)) throw stateError(path, `expected a list, got '${typeName(state)}'.`);
    if (state.length !== item.length) {
      throw stateError(path, `expected a list of length '${item.length}', got one of length '${state.length}'.`);
    }
    return item.map((v, i) => restoreItem(v, state[i], joinPath(path, i)));
  }
  if (isPlainObject(item)) {
    if (!isPlainObject(state)) throw stateError(path, `expected a dict, got '${typeName(state)}'.`);
    for (const key of Object.keys(item)) {
      if (!Object.hasOwn(state, key)) throw stateError(path, `key '${key}' was not found in state.`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) out[k] = restoreItem(v, state[k], joinPath(path, k));
    return out;
  }
  if (state !== null && state !== undefined) throw stateError(path, `expected null, got '${typeName(state)}'.`);
  return item;
}

/** Seeds-era checkpoints saved primitives as `{native_value: v}` (and counters as `{count: n}`). */
function seedsEraPrimitive(state: unknown): unknown {
  if (!isPlainObject(state)) return state;
  if (Object.hasOwn(state, "native_value")) return state.native_value;
  if (Object.hasOwn(state, "count")) return state.count;
  return state;
}

function sameLayout(a: Tensor, b: Tensor): boolean {
  const sa = a.shape;
  const sb = b.shape;
  return a.dtype === b.dtype && sa.length === sb.length && sa.every((n, i) => n === sb[i]);
}
