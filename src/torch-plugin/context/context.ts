// Context (pystematic-torch 1.x, spec 5.4): a plain object whose own properties are its items.
import { ContextBase, CONTEXT_METHODS } from "./base.js";

class ContextImpl extends ContextBase {
  constructor(items?: object) {
    super();
    if (items === undefined) return;
    if (typeof items !== "object" || items === null) throw new TypeError("new Context(items): items must be an object.");
    for (const name of Object.keys(items)) {
      if (CONTEXT_METHODS.has(name)) throw new Error(`Context: '${name}' is a method of the context and cannot name an item.`);
    }
    Object.assign(this, items);
  }

  /**
   * The state of the whole session: each item's `stateDict()` (modules without a DDP `module.`
   * prefix), tensors, plain values (numbers, strings, booleans, null), arrays and objects of
   * them, nested contexts, and under `__rng__` the random states a bitwise resume needs (the
   * run's master generator and libtorch's default generator).
   */
  stateDict(): Record<string, unknown> {
    return this._sessionState();
  }

  /**
   * Restores a state from `stateDict()` or a checkpoint: stateful items (modules, optimizers,
   * recorders, ...) load in place, their state moved to their own device first; tensors are
   * copied in; plain values are replaced. Keys without an item are ignored; items without a key
   * are left as they are. Errors name the item's full path (`model`, `stats.best.2`).
   */
  loadStateDict(state: Record<string, unknown>): void {
    this._loadSessionState(state);
  }

  /** @internal */
  _entries(): [string, unknown][] {
    return Object.entries(this);
  }

  /** @internal */
  _replace(key: string, value: unknown): void {
    (this as Record<string, unknown>)[key] = value;
  }
}

/**
 * A training session's objects as the properties of one plain object, so the whole session
 * moves between CPU, CUDA and DDP by parameters only and saves as one state (pystematic-torch
 * 1.x). Items are the object's own properties, in insertion order.
 *
 * Example:
 *   const ctx = new Context({ epoch: 0, model: new Net(), recorder: new Recorder() });
 *   ctx.optimizer = ... // in TS: declare it in the initial object, or subclass Context
 *   ctx.autotransform(); // loads --checkpoint, moves to CUDA (--cuda), wraps in DDP (--distributed)
 *   for (; ctx.epoch < 10; ctx.epoch++) { ...; saveCheckpoint(ctx.stateDict(), ctx.epoch); }
 */
export type Context = ContextImpl;

export interface ContextConstructor {
  /** A context holding `items` as its own properties (typed: `ctx.model` is what you gave). */
  new <T extends object = Record<never, never>>(items?: T): Context & T;
  readonly prototype: Context;
}

export const Context = ContextImpl as unknown as ContextConstructor;
