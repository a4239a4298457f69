// Containers: Sequential, ModuleList, ModuleDict.
import type { Tensor } from "../tensor/tensor.js";
import { describe } from "../tensor/tensor.js";
import { Module } from "./module.js";
import { bindArgs, type Param, type PyArgs } from "../binding/index.js";

type Slots = Record<string, Module | null>;

function slots(module: Module): Slots {
  return module as unknown as Slots;
}

/** Own module slots in order, duplicates kept (PyTorch's `_modules.items()`). */
function items(module: Module): [string, Module][] {
  const out: [string, Module][] = [];
  for (const [k, v] of Object.entries(slots(module))) if (v instanceof Module) out.push([k, v]);
  return out;
}
function list(module: Module): Module[] {
  return items(module).map(([, m]) => m);
}

function indexIn(length: number, index: number, what: string): number {
  if (!Number.isInteger(index)) throw new TypeError(`${what} indices must be integers, got ${describe(index)}`);
  const i = index < 0 ? index + length : index;
  if (i < 0 || i >= length) throw new RangeError(`index ${index} is out of range`);
  return i;
}

function checkModule(value: unknown, what: string): Module {
  if (!(value instanceof Module)) throw new TypeError(`${what}: ${describe(value)} is not a Module subclass`);
  return value;
}

/**
 * A chain of modules applied in order (torch.nn.Sequential): the output of each is the input of
 * the next. Children are keyed `0`, `1`, ... or by the names given in a record.
 *
 * Example:
 *   const model = new nn.Sequential(new nn.Conv2d(1, 20, 5), new nn.ReLU(), new nn.Conv2d(20, 64, 5));
 *   const named = new nn.Sequential({ conv1: new nn.Conv2d(1, 20, 5), relu1: new nn.ReLU() });
 */
export class Sequential extends Module {
  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    this.keepKeysAsWritten();
    const first = modules[0];
    if (modules.length === 1 && first !== undefined && !(first instanceof Module) && typeof first === "object") {
      for (const [name, m] of Object.entries(first)) this.registerModule(name, checkModule(m, "Sequential"));
    } else {
      modules.forEach((m, i) => this.registerModule(String(i), checkModule(m, "Sequential")));
    }
  }

  get length(): number {
    return list(this).length;
  }

  /** The i-th module (negative counts from the end). */
  at(index: number): Module {
    const all = list(this);
    return all[indexIn(all.length, index, "Sequential")]!;
  }

  /** Appends a module under the next integer key; returns this. */
  append(module: Module): this {
    this.registerModule(String(this.length), checkModule(module, "Sequential.append"));
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return list(this)[Symbol.iterator]();
  }

  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of list(this)) x = (m.call as (...a: unknown[]) => unknown).call(m, x);
    return x as Tensor;
  }
}

/**
 * Holds submodules in a list (torch.nn.ModuleList): they are registered (keys `0`, `1`, ...)
 * and visible to `parameters()`, unlike a plain array.
 */
export class ModuleList<M extends Module = Module> extends Module {
  /** @param modules - the modules to hold, in order (positionally or `{ modules }`) */
  constructor(...args: PyArgs<[Param<"modules", Iterable<M> | null, true>]>) {
    super();
    const { modules } = bindArgs<{ modules: Iterable<M> | null }>("torch.nn.ModuleList", args);
    this.keepKeysAsWritten();
    if (modules !== null && modules !== undefined) this.extend(modules);
  }

  get length(): number {
    return list(this).length;
  }

  at(index: number): M {
    const all = list(this) as M[];
    return all[indexIn(all.length, index, "ModuleList")]!;
  }

  /** Replaces the module at `index`. */
  set(index: number, module: M): void {
    const i = indexIn(this.length, index, "ModuleList");
    slots(this)[String(i)] = checkModule(module, "ModuleList.set");
  }

  append(module: M): this {
    this.registerModule(String(this.length), checkModule(module, "ModuleList.append"));
    return this;
  }

  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts before `index`, renumbering the modules after it. */
  insert(index: number, module: M): this {
    const all = list(this);
    const i = index < 0 ? Math.max(0, all.length + index) : Math.min(index, all.length);
    all.splice(i, 0, checkModule(module, "ModuleList.insert"));
    all.forEach((m, k) => (slots(this)[String(k)] = m));
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return (list(this) as M[])[Symbol.iterator]();
  }
}

/**
 * Holds submodules by name (torch.nn.ModuleDict); keys are state-dict prefixes. Keys that are
 * integers come first in insertion order (JavaScript property order).
 */
export class ModuleDict<M extends Module = Module> extends Module {
  /** @param modules - a mapping of names to modules, or an iterable of [name, module] pairs */
  constructor(...args: PyArgs<[Param<"modules", Record<string, M> | Iterable<[string, M]> | null, true>]>) {
    super();
    const { modules } = bindArgs<{ modules: Record<string, M> | Iterable<[string, M]> | null }>("torch.nn.ModuleDict", args);
    this.keepKeysAsWritten();
    if (modules !== null && modules !== undefined) this.update(modules);
  }

  get size(): number {
    return list(this).length;
  }

  get(key: string): M | undefined {
    return items(this).find(([k]) => k === key)?.[1] as M | undefined;
  }

  set(key: string, module: M): this {
    this.registerModule(key, checkModule(module, "ModuleDict.set"));
    return this;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Removes and returns the module under `key` (Python's pop). */
  delete(key: string): M | undefined {
    const m = this.get(key);
    if (m !== undefined) delete slots(this)[key];
    return m;
  }

  keys(): string[] {
    return items(this).map(([k]) => k);
  }
  values(): M[] {
    return list(this) as M[];
  }
  entries(): [string, M][] {
    return items(this) as [string, M][];
  }

  update(modules: Record<string, M> | Iterable<[string, M]>): this {
    const pairs = Symbol.iterator in modules ? (modules as Iterable<[string, M]>) : Object.entries(modules);
    for (const [k, m] of pairs) this.set(k, m);
    return this;
  }

  [Symbol.iterator](): Iterator<[string, M]> {
    return (items(this) as [string, M][])[Symbol.iterator]();
  }
}
