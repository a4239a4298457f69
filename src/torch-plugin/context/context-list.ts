// ContextList (seeds-era API, spec 5.5): a context whose items are indexed, `list[0]`.
import { inspect } from "node:util";
import { ContextBase } from "./base.js";
import { typeName } from "./items.js";
import { collectState, joinPath, restoreItem, restoreState, stateError, stateOf } from "./state.js";
import { wrapValue } from "./wrap.js";

const LIST: unique symbol = Symbol("pystematic.context.list");

function indexOf(prop: string | symbol): number | null {
  return typeof prop === "string" && /^-?\d+$/.test(prop) ? Number(prop) : null;
}

/**
 * A context with indexed items: `l.append(model)` (or `push`), `l[0]`, `l.length`, `for (const x of l)`.
 * Plain arrays and objects assigned into it become ContextLists and ContextDicts. Negative
 * indices count from the end; an index out of range throws.
 */
export class ContextList extends ContextBase implements Iterable<unknown> {
  // Items are dynamic, as in a Python list.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [index: number]: any;
  declare [LIST]: unknown[];

  constructor(items: Iterable<unknown> = []) {
    super();
    Object.defineProperty(this, LIST, { value: [...items].map(wrapValue), configurable: true });
    Object.defineProperty(this, inspect.custom, {
      value: (depth: number, options: object) => `ContextList ${inspect(this[LIST], { ...options, depth })}`,
      configurable: true,
    });
    return new Proxy(this, {
      get: (t, prop, receiver) => {
        const i = indexOf(prop);
        return i === null ? Reflect.get(t, prop, receiver) : t[LIST][t.#checkIndex(i)];
      },
      set: (t, prop, value, receiver) => {
        const i = indexOf(prop);
        if (i === null) return Reflect.set(t, prop, value, receiver);
        t[LIST][t.#checkIndex(i)] = wrapValue(value);
        return true;
      },
      has: (t, prop) => {
        const i = indexOf(prop);
        return i === null ? Reflect.has(t, prop) : i >= 0 && i < t[LIST].length;
      },
    });
  }

  #checkIndex(i: number): number {
    const list = this[LIST];
    const j = i < 0 ? i + list.length : i;
    if (j < 0 || j >= list.length) throw new Error(`ContextList: index ${i} is out of range (length ${list.length}).`);
    return j;
  }

  get length(): number {
    return this[LIST].length;
  }
  append(value: unknown): void {
    this[LIST].push(wrapValue(value));
  }
  /** Appends values (as Array's push, for JS habits); returns the new length. */
  push(...values: unknown[]): number {
    for (const v of values) this.append(v);
    return this.length;
  }
  /** Inserts before `index` (as Python's list.insert: indices past the end append). */
  insert(index: number, value: unknown): void {
    const list = this[LIST];
    const j = index < 0 ? Math.max(0, index + list.length) : Math.min(index, list.length);
    list.splice(j, 0, wrapValue(value));
  }
  [Symbol.iterator](): Iterator<unknown> {
    return this[LIST][Symbol.iterator]();
  }

  /** Each item's state, in order (no `__rng__`: keep a list inside a ContextObject to resume). */
  stateDict(): unknown[] {
    return this[collectState]("") as unknown[];
  }
  /** Restores the states of `stateDict()`; the list must have as many items as the state. */
  loadStateDict(state: unknown[]): void {
    this[restoreState](state, "");
  }

  /** @internal */
  override [collectState](path: string): unknown {
    return this[LIST].map((v, i) => stateOf(v, joinPath(path, i)));
  }
  /** @internal */
  override [restoreState](state: unknown, path: string): void {
    const list = this[LIST];
    if (!Array.isArray(state)) throw stateError(path, `expected a list, got '${typeName(state)}'.`);
    if (state.length !== list.length) {
      throw stateError(path, `expected a list of length '${list.length}', got one of length '${state.length}'.`);
    }
    list.forEach((v, i) => {
      list[i] = restoreItem(v, state[i], joinPath(path, i));
    });
  }

  /** @internal */
  _entries(): [string, unknown][] {
    return this[LIST].map((v, i) => [String(i), v]);
  }
  /** @internal */
  _replace(key: string, value: unknown): void {
    this[LIST][Number(key)] = value;
  }
}
