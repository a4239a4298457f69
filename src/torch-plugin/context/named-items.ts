// ContextObject and ContextDict keep their items in a Map behind a Proxy: reads of a missing
// name throw (instead of giving undefined), assignments wrap plain containers, and method names
// are reserved.
import { inspect } from "node:util";
import { wrapValue } from "./wrap.js";

export const ITEMS: unique symbol = Symbol("pystematic.context.items");

export interface NamedItems {
  [ITEMS]: Map<string, unknown>;
}

/** Names a proxy must not take over: methods and probes from `await`, JSON and inspection. */
const PASS_THROUGH = new Set(["then", "toJSON", "constructor"]);

export function itemsProxy<T extends NamedItems & object>(
  target: T,
  describeMissing: (name: string) => string,
  describeReserved: (name: string) => string,
): T {
  Object.defineProperty(target, ITEMS, { value: new Map<string, unknown>(), configurable: true });
  Object.defineProperty(target, inspect.custom, {
    value: (depth: number, options: object) => `${target.constructor.name} ${inspect(Object.fromEntries(target[ITEMS]), { ...options, depth })}`,
    configurable: true,
  });
  const isReserved = (name: string): boolean => name in target;
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === "symbol" || PASS_THROUGH.has(prop) || isReserved(prop)) return Reflect.get(t, prop, receiver);
      const items = t[ITEMS];
      if (!items.has(prop)) throw new Error(describeMissing(prop));
      return items.get(prop);
    },
    set(t, prop, value, receiver) {
      if (typeof prop === "symbol") return Reflect.set(t, prop, value, receiver);
      if (isReserved(prop) || PASS_THROUGH.has(prop)) throw new Error(describeReserved(prop));
      t[ITEMS].set(prop, wrapValue(value));
      return true;
    },
    has(t, prop) {
      return typeof prop === "string" && t[ITEMS].has(prop) ? true : Reflect.has(t, prop);
    },
    deleteProperty(t, prop) {
      if (typeof prop === "symbol") return Reflect.deleteProperty(t, prop);
      return t[ITEMS].delete(prop);
    },
    ownKeys(t) {
      return [...t[ITEMS].keys()];
    },
    getOwnPropertyDescriptor(t, prop) {
      if (typeof prop === "string" && t[ITEMS].has(prop)) {
        return { value: t[ITEMS].get(prop), writable: true, enumerable: true, configurable: true };
      }
      return Reflect.getOwnPropertyDescriptor(t, prop);
    },
    defineProperty(t, prop, descriptor) {
      if (typeof prop === "symbol") return Reflect.defineProperty(t, prop, descriptor);
      if (isReserved(prop)) throw new Error(describeReserved(prop));
      t[ITEMS].set(prop, wrapValue(descriptor.value));
      return true;
    },
  });
}
