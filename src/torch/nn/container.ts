// Containers: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict.
import { Tensor, describe } from "../tensor/tensor.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { bind, isPlainObject, type ArgsOf } from "../binding/index.js";

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
  constructor(modules: Iterable<M> = []) {
    super();
    this.keepKeysAsWritten();
    this.extend(modules);
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
  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    this.keepKeysAsWritten();
    this.update(modules);
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

/** Python's rule for list and dict entries: a Tensor that is not a Parameter is wrapped in one. */
function asEntry(value: unknown): unknown {
  return value instanceof Tensor && !(value instanceof Parameter) ? new Parameter(value) : value;
}

function entrySlots(module: Module): Record<string, unknown> {
  return module as unknown as Record<string, unknown>;
}

/**
 * Holds parameters in a list (torch.nn.ParameterList): Parameters in it are registered (keys `0`,
 * `1`, ...) and visible to `parameters()`; a Tensor added is wrapped in a Parameter, other values
 * are kept as they are, as Python's.
 *
 * Args: values (an iterable of elements, optional).
 *
 * Example:
 *   const params = new nn.ParameterList([new nn.Parameter(torch.randn(10, 10)), torch.zeros(10)]);
 *   params.at(1); // a Parameter; state dict keys "0", "1"
 */
export class ParameterList<T = Parameter> extends Module {
  #size = 0;

  constructor(...args: ArgsOf<"torch.nn.ParameterList">) {
    super();
    this.keepKeysAsWritten();
    const { values } = bind("torch.nn.ParameterList", args);
    if (values !== null && values !== undefined) this.extend(values as Iterable<T | Tensor>);
  }

  get length(): number {
    return this.#size;
  }

  /** The i-th element (negative counts from the end). */
  at(index: number): T {
    return entrySlots(this)[String(indexIn(this.#size, index, "ParameterList"))] as T;
  }

  /** Replaces the i-th element (a Tensor is wrapped in a Parameter). */
  set(index: number, value: T | Tensor): void {
    const i = indexIn(this.#size, index, "ParameterList");
    entrySlots(this)[String(i)] = asEntry(value);
  }

  /** Appends a value (a Tensor is wrapped in a Parameter); returns this. */
  append(...args: ArgsOf<"torch.nn.ParameterList.append">): this {
    const { value } = bind("torch.nn.ParameterList.append", args);
    entrySlots(this)[String(this.#size++)] = asEntry(value);
    return this;
  }

  /** Appends each value of an iterable; returns this. */
  extend(...args: ArgsOf<"torch.nn.ParameterList.extend">): this {
    const { values } = bind("torch.nn.ParameterList.extend", args);
    if (values === null || typeof values !== "object" || typeof (values as Iterable<unknown>)[Symbol.iterator] !== "function" || values instanceof Tensor) {
      throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${describe(values)}`);
    }
    for (const v of values as Iterable<unknown>) this.append(v);
    return this;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.#size; i++) yield entrySlots(this)[String(i)] as T;
  }

  override extraRepr(): string {
    return Array.from(this, (p, i) => `  (${i}): ${describeEntry(p)}`).join("\n");
  }
}

/**
 * Python's printout of one entry: ParameterList's `Parameter containing: [torch.float32 of size 2x3]`,
 * ParameterDict's with the legacy type name (`[torch.FloatTensor of size 2x3]`).
 */
function describeEntry(value: unknown, legacyName = false): string {
  if (value instanceof Tensor) {
    const kind = value instanceof Parameter ? "Parameter" : "Tensor";
    const device = value.device.startsWith("cuda") ? ` (GPU ${value.device.split(":")[1] ?? 0})` : "";
    const type = legacyName ? (value.type() as string) : `torch.${value.dtype}`;
    return `${kind} containing: [${type} of size ${value.shape.join("x")}${device}]`;
  }
  return `Object of type: ${describe(value)}`;
}

/**
 * Holds parameters by name (torch.nn.ParameterDict); the names are the state-dict keys. A Tensor
 * added is wrapped in a Parameter, other values are kept as they are, as Python's. Keys that are
 * integers come first in insertion order (JavaScript property order).
 *
 * Args: parameters (a record, a Map or an iterable of [key, value] pairs, optional).
 *
 * Example:
 *   const choices = new nn.ParameterDict({ left: new nn.Parameter(torch.randn(5, 10)), right: torch.randn(5, 10) });
 *   choices.get("left");
 */
export class ParameterDict<T = Parameter> extends Module {
  constructor(...args: ArgsOf<"torch.nn.ParameterDict">) {
    super();
    this.keepKeysAsWritten();
    const { parameters } = bind("torch.nn.ParameterDict", args);
    if (parameters !== null && parameters !== undefined) this.update(parameters);
  }

  get size(): number {
    return this.keys().length;
  }

  /** The value under `key`, or `defaultValue` (Python's get). */
  get(...args: ArgsOf<"torch.nn.ParameterDict.get">): T | undefined {
    const { key, default: fallback } = bind("torch.nn.ParameterDict.get", args);
    return this.has(key) ? (entrySlots(this)[key] as T) : ((fallback ?? undefined) as T | undefined);
  }

  /** Sets `key` (a Tensor is wrapped in a Parameter); returns this. */
  set(key: string, value: T | Tensor): this {
    if (typeof key !== "string") throw new TypeError(`ParameterDict keys must be strings, got ${describe(key)}`);
    if (key === "" || key.includes(".")) throw new Error(`ParameterDict key can't be empty or contain ".", got "${key}"`);
    if (key in this && !Object.prototype.hasOwnProperty.call(this, key)) throw new Error(`attribute '${key}' already exists`);
    entrySlots(this)[key] = asEntry(value);
    return this;
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this, key) && this.keys().includes(key);
  }

  /** Removes `key` and returns its value (Python's pop: a missing key is an error). */
  pop(...args: ArgsOf<"torch.nn.ParameterDict.pop">): T {
    const { key } = bind("torch.nn.ParameterDict.pop", args);
    if (!this.has(key)) throw new Error(`KeyError: '${key}'`);
    const value = entrySlots(this)[key] as T;
    delete entrySlots(this)[key];
    return value;
  }

  /** Alias of pop that returns undefined for a missing key (Map's delete). */
  delete(key: string): T | undefined {
    return this.has(key) ? this.pop(key) : undefined;
  }

  /** Removes and returns the last inserted [key, value] (Python's popitem). */
  popitem(): [string, T] {
    const keys = this.keys();
    if (keys.length === 0) throw new Error("KeyError: 'popitem(): dictionary is empty'");
    const key = keys[keys.length - 1]!;
    return [key, this.pop(key)];
  }

  /** The value under `key`, first setting it to `defaultValue` if absent (Python's setdefault). */
  setdefault(...args: ArgsOf<"torch.nn.ParameterDict.setdefault">): T {
    const { key, default: fallback } = bind("torch.nn.ParameterDict.setdefault", args);
    if (!this.has(key)) this.set(key, fallback as T);
    return entrySlots(this)[key] as T;
  }

  /** A new ParameterDict with `keys`, each holding `defaultValue` (Python's fromkeys). */
  fromkeys(...args: ArgsOf<"torch.nn.ParameterDict.fromkeys">): ParameterDict<T> {
    const { keys, default: fallback } = bind("torch.nn.ParameterDict.fromkeys", args);
    const out = new ParameterDict<T>();
    for (const k of keys as Iterable<string>) out.set(k, fallback as T);
    return out;
  }

  /** Removes every entry. */
  clear(): void {
    for (const k of this.keys()) delete entrySlots(this)[k];
  }

  /** A shallow copy: a new dict holding the same parameters. */
  copy(): ParameterDict<T> {
    return new ParameterDict<T>(new Map(this.items()));
  }

  keys(): string[] {
    return Object.keys(this).filter((k) => k !== "training");
  }
  values(): T[] {
    return this.keys().map((k) => entrySlots(this)[k] as T);
  }
  items(): [string, T][] {
    return this.keys().map((k) => [k, entrySlots(this)[k] as T]);
  }
  entries(): [string, T][] {
    return this.items();
  }

  /** Adds the entries of a record, a Map, a ParameterDict or an iterable of [key, value]; returns this. */
  update(...args: ArgsOf<"torch.nn.ParameterDict.update">): this {
    const { parameters } = bind("torch.nn.ParameterDict.update", args);
    let pairs: Iterable<unknown>;
    if (parameters instanceof ParameterDict) pairs = parameters.items();
    else if (parameters instanceof Map) pairs = parameters.entries();
    else if (isPlainObject(parameters)) pairs = Object.entries(parameters);
    else if (parameters !== null && typeof parameters === "object" && Symbol.iterator in parameters) pairs = parameters as Iterable<unknown>;
    else throw new TypeError(`ParametersDict.update should be called with an iterable of key/value pairs, but got ${describe(parameters)}`);
    let j = 0;
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`ParameterDict update sequence element #${j} should be an iterable of [key, value] of length 2, got ${describe(pair)}`);
      }
      this.set(pair[0] as string, pair[1] as T);
      j++;
    }
    return this;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  override extraRepr(): string {
    return this.items().map(([k, p]) => `  (${k}): ${describeEntry(p, true)}`).join("\n");
  }
}
