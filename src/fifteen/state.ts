// What a checkpoint holds for a target and how it goes back into one (flax's to_state_dict and
// from_state_dict): anything with stateDict()/loadStateDict() (module, optimizer, Context,
// Recorder, Counter), anywhere in a plain nested state, is saved as its state dict and loaded in
// place; the containers around it are rebuilt in the target's shape.
import { isTensorLike } from "../core/providers.js";
import { OrderedDict, PyTuple, pyAttributesOf, setPyAttribute } from "../torch/serialization/records.js";
import { Tensor } from "../torch/tensor/tensor.js";

/** Anything PyTorch-style with a state dict. */
export interface Stateful {
  stateDict(): unknown;
  loadStateDict(state: never): unknown;
}

function isStateful(value: unknown): value is Stateful {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Stateful).stateDict === "function" &&
    typeof (value as Stateful).loadStateDict === "function"
  );
}

/** A dict in checkpoint terms: a plain object, a null-prototype object or an OrderedDict. */
function isDict(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || proto === OrderedDict.prototype;
}

/** The saved form of `target`: state dicts in place of stateful objects, containers copied. */
export function stateOf(target: unknown): unknown {
  const copies = new Map<object, unknown>(); // shared and cyclic containers stay shared
  const walk = (value: unknown, where: string): unknown => {
    if (typeof value !== "object" || value === null) return value;
    if (isStateful(value)) return walk(value.stateDict(), where);
    if (value instanceof Tensor) return value; // torch.save converts it
    if (isTensorLike(value)) {
      throw new Error(`cannot save the tensor-like value at ${where}: checkpoints hold pystematic/torch Tensors (or TensorRecords)`);
    }
    const copied = copies.get(value);
    if (copied !== undefined) return copied;
    if (Array.isArray(value)) {
      const out: unknown[] = value instanceof PyTuple ? new PyTuple() : [];
      copies.set(value, out);
      value.forEach((item, i) => out.push(walk(item, `${where}[${i}]`)));
      return out;
    }
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      copies.set(value, out);
      for (const [key, item] of value) out.set(key, walk(item, `${where}[${String(key)}]`));
      return out;
    }
    if (isDict(value)) {
      const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
      copies.set(value, out);
      if (value instanceof OrderedDict) {
        for (const [name, attr] of pyAttributesOf(value)) setPyAttribute(out as OrderedDict, name, attr);
      }
      for (const [key, item] of Object.entries(value)) out[key] = walk(item, `${where}.${key}`);
      return out;
    }
    return value;
  };
  return walk(target, "target");
}

/**
 * Loads `state` into `target`: stateful objects load their part in place (and are returned), a
 * container gives a new container of the target's kind and keys, each entry restored from the
 * state's entry of that key; a key of the target missing from the checkpoint is an error, extra
 * entries in the checkpoint are ignored (as flax). A leaf, or an undefined target, takes the
 * checkpoint's value.
 */
export function restoreInto(target: unknown, state: unknown, where = "target"): unknown {
  if (typeof target !== "object" || target === null || isTensorLike(target)) return state;
  if (isStateful(target)) {
    target.loadStateDict(state as never);
    return target;
  }
  if (Array.isArray(target)) {
    if (!Array.isArray(state)) throw mismatch(where, "a list", state);
    if (state.length !== target.length) {
      throw new Error(`checkpoint does not fit the target at ${where}: it holds ${state.length} items, the target ${target.length}`);
    }
    const out = target.map((item: unknown, i) => restoreInto(item, state[i], `${where}[${i}]`));
    return target instanceof PyTuple ? PyTuple.fromItems(out) : out;
  }
  if (target instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [key, item] of target) out.set(key, restoreInto(item, entryOf(state, key, where), `${where}[${String(key)}]`));
    return out;
  }
  if (isDict(target)) {
    const out = Object.create(Object.getPrototypeOf(target) as object | null) as Record<string, unknown>;
    if (state instanceof OrderedDict && out instanceof OrderedDict) {
      for (const [name, attr] of pyAttributesOf(state)) setPyAttribute(out, name, attr);
    }
    for (const [key, item] of Object.entries(target)) out[key] = restoreInto(item, entryOf(state, key, where), `${where}.${key}`);
    return out;
  }
  return state;
}

function entryOf(state: unknown, key: unknown, where: string): unknown {
  if (state instanceof Map) {
    if (!state.has(key)) throw missing(where, key);
    return state.get(key);
  }
  if (!isDict(state)) throw mismatch(where, "a dict", state);
  if (typeof key !== "string" || !Object.hasOwn(state, key)) throw missing(where, key);
  return state[key];
}

function missing(where: string, key: unknown): Error {
  return new Error(`checkpoint does not fit the target at ${where}: it has no entry '${String(key)}'`);
}

function mismatch(where: string, expected: string, got: unknown): Error {
  const kind = got === null ? "null" : Array.isArray(got) ? "a list" : typeof got === "object" ? "an object" : typeof got;
  return new Error(`checkpoint does not fit the target at ${where}: expected ${expected}, the checkpoint holds ${kind}`);
}
