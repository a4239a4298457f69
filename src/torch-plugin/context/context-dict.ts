// ContextDict (seeds-era API, spec 5.5): a context whose items are keys, `dict["train"]`.
import { ContextBase } from "./base.js";
import { ITEMS, itemsProxy, type NamedItems } from "./named-items.js";
import { wrapValue } from "./wrap.js";

/**
 * A context with keyed items: `d["train"] = loader`, `d.keys()`, `d.values()`, `d.items()`.
 * Plain arrays and objects assigned into it become ContextLists and ContextDicts. Reading a
 * missing key throws. A key that is also a method name (`keys`, `items`, ...) is reached with
 * `get(key)` / `set(key, value)`.
 */
export class ContextDict extends ContextBase implements NamedItems {
  // Keys are dynamic, as in a Python dict.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
  declare [ITEMS]: Map<string, unknown>;

  constructor(items: Record<string, unknown> = {}) {
    super();
    const proxy = itemsProxy(
      this,
      (key) => `ContextDict: there's no key '${key}'.`,
      (key) => `ContextDict: '${key}' is a method name; use set('${key}', value) and get('${key}') for that key.`,
    );
    for (const [key, value] of Object.entries(items)) proxy[key] = value;
    return proxy;
  }

  has(key: string): boolean {
    return this[ITEMS].has(key);
  }
  /** The item under `key` (any key, method names included); throws when missing. */
  get(key: string): unknown {
    if (!this[ITEMS].has(key)) throw new Error(`ContextDict: there's no key '${key}'.`);
    return this[ITEMS].get(key);
  }
  /** Sets the item under `key` (any key, method names included). */
  set(key: string, value: unknown): this {
    this[ITEMS].set(key, wrapValue(value));
    return this;
  }
  keys(): string[] {
    return [...this[ITEMS].keys()];
  }
  values(): unknown[] {
    return [...this[ITEMS].values()];
  }
  /** `[key, value]` pairs, in insertion order. */
  items(): [string, unknown][] {
    return [...this[ITEMS]];
  }
  get size(): number {
    return this[ITEMS].size;
  }

  stateDict(): Record<string, unknown> {
    return this._sessionState();
  }
  loadStateDict(state: Record<string, unknown>): void {
    this._loadSessionState(state);
  }

  /** @internal */
  _entries(): [string, unknown][] {
    return [...this[ITEMS]];
  }
  /** @internal */
  _replace(key: string, value: unknown): void {
    this[ITEMS].set(key, value);
  }
}
