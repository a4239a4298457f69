// torch.nn.utils.stateless.functional_call: a module called with some of its parameters and
// buffers replaced by given tensors for that one call (the module is restored after).
import { Tensor, describe } from "../../tensor/tensor.js";
import { Module } from "../module.js";
import { bind, type ArgsOf } from "../../binding/index.js";

type Slots = Record<string, unknown>;

/** The module and property holding state-dict key `key` (`"0.weight"`), or undefined. */
function locate(root: Module, key: string): { owner: Module; property: string } | undefined {
  const dot = key.lastIndexOf(".");
  let owner: Module;
  try {
    owner = dot < 0 ? root : root.getSubmodule(key.slice(0, dot));
  } catch {
    return undefined;
  }
  const name = key.slice(dot + 1);
  const tensors = [...owner.namedParameters({ recurse: false }), ...owner.namedBuffers({ recurse: false })];
  const target = tensors.find(([k]) => k === name)?.[1];
  if (target !== undefined) {
    const property = Object.keys(owner).find((p) => (owner as unknown as Slots)[p] === target);
    if (property !== undefined) return { owner, property };
  }
  // A parametrized tensor: its accessor has the tensor's name.
  if (Object.prototype.hasOwnProperty.call(owner, name) && (owner as unknown as Slots)[name] instanceof Tensor) return { owner, property: name };
  return undefined;
}

/**
 * Calls `module` with `parametersAndBuffers` (state-dict keys to tensors) in place of its own
 * for this call: `args` are forward's arguments (an array, or one value), `kwargs` a trailing
 * options object. tieWeights (default) replaces tied tensors together; strict requires every
 * key of the module to be given and no other. Returns forward's result.
 *
 * Example:
 *   const out = nn.utils.stateless.functionalCall(model, { weight: w, bias: b }, [x]);
 */
export function functionalCall(...args: ArgsOf<"torch.nn.utils.stateless.functional_call">): unknown {
  const a = bind("torch.nn.utils.stateless.functional_call", args);
  const { module } = a;
  const given = a.parametersAndBuffers instanceof Map ? new Map(a.parametersAndBuffers as Map<string, unknown>) : new Map(Object.entries(a.parametersAndBuffers));
  // Every key, tied tensors under each of their names.
  const all = new Map<string, Tensor>([...Object.entries(module.stateDict({ keepVars: true })), ...module.namedBuffers()]);
  if (a.tieWeights) {
    const names = new Map<Tensor, string[]>();
    for (const [key, t] of all) names.set(t, [...(names.get(t) ?? []), key]);
    for (const keys of names.values()) {
      const values = keys.filter((k) => given.has(k)).map((k) => given.get(k));
      if (values.length === 0) continue;
      if (values.some((v) => v !== values[0])) throw new Error(`functional_call got multiple values for keys ${JSON.stringify(keys)}, which are tied. Consider using tie_weights=False`);
      for (const k of keys) given.set(k, values[0]);
    }
  }
  if (a.strict) {
    const unexpected = [...given.keys()].filter((k) => !all.has(k));
    const missing = [...all.keys()].filter((k) => !given.has(k));
    if (unexpected.length > 0 || missing.length > 0) {
      const parts = [];
      if (unexpected.length > 0) parts.push(`Unexpected key(s): ${unexpected.map((k) => `'${k}'`).join(", ")}.`);
      if (missing.length > 0) parts.push(`Missing key(s): ${missing.map((k) => `'${k}'`).join(", ")}.`);
      throw new Error(`Error(s) in reparametrizing for ${module.constructor.name}:\n\t${parts.join("\n\t")}`);
    }
  }
  const saved: [Module, string, PropertyDescriptor][] = [];
  try {
    for (const [key, value] of given) {
      if (!(value instanceof Tensor)) throw new TypeError(`nn.utils.stateless.functionalCall(): '${key}' must be a Tensor, not ${describe(value)}`);
      const place = locate(module, key);
      if (place === undefined) {
        if (a.strict) throw new Error(`${module.constructor.name} has no parameter or buffer '${key}'`);
        continue;
      }
      const descriptor = Object.getOwnPropertyDescriptor(place.owner, place.property)!;
      saved.push([place.owner, place.property, descriptor]);
      Object.defineProperty(place.owner, place.property, { value, writable: true, enumerable: descriptor.enumerable ?? true, configurable: true });
    }
    const forwardArgs = a.args === null ? [] : Array.isArray(a.args) ? [...(a.args as unknown[])] : [a.args];
    const kwargs = a.kwargs as Record<string, unknown> | null;
    if (kwargs !== null && Object.keys(kwargs).length > 0) forwardArgs.push(kwargs);
    return (module.call as (...x: unknown[]) => unknown)(...forwardArgs);
  } finally {
    for (const [owner, property, descriptor] of saved.reverse()) Object.defineProperty(owner, property, descriptor);
  }
}
