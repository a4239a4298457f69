// ContextObject (seeds-era API, spec 5.5): a container of a session's objects as attributes,
// `ctx.context.model = new Net()`. What `ctx.context` is in every run under pystematic/torch.
import { ContextBase } from "./base.js";
import { ITEMS, itemsProxy, type NamedItems } from "./named-items.js";

/**
 * Holds a training session's objects (models, optimizers, data loaders, recorders, counters,
 * plain values) as attributes, so the whole session moves between CPU, CUDA and DDP and saves as
 * one state.
 *
 * Assigned plain arrays become ContextLists and plain objects ContextDicts. Reading a name that
 * was never assigned throws; `has(name)` asks first.
 *
 * Example:
 *   const c = new ContextObject();
 *   c.model = new nn.Linear(2, 1);
 *   c.optimizer = new optim.SGD(c.model.parameters(), { lr: 0.1 });
 *   c.epoch = 0;
 *   c.autotransform();                        // --checkpoint, --cuda, --distributed
 *   saveCheckpoint(c.stateDict(), c.epoch);
 */
export class ContextObject extends ContextBase implements NamedItems {
  // The seeds-era API is dynamic (any name, any object); typed code can use `Context` instead.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [name: string]: any;
  declare [ITEMS]: Map<string, unknown>;

  constructor(items: Record<string, unknown> = {}) {
    super();
    const proxy = itemsProxy(
      this,
      (name) => `ContextObject: there's no attribute named '${name}'.`,
      (name) => `ContextObject: '${name}' is a method of the context and cannot name an item.`,
    );
    for (const [name, value] of Object.entries(items)) proxy[name] = value;
    return proxy;
  }

  /** Whether an item named `name` was assigned. */
  has(name: string): boolean {
    return this[ITEMS].has(name);
  }

  /** The state of every item, plus `__rng__` (see Context.stateDict). */
  stateDict(): Record<string, unknown> {
    return this._sessionState();
  }

  /** Restores a state from `stateDict()` or a checkpoint (see Context.loadStateDict). */
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
