// nn.Module: the base class of every layer and model.
//
// Registration by assignment without a Proxy: a module's parameters, buffers and children are
// its own enumerable properties holding a Parameter, a registered buffer Tensor, or a Module.
// Object.keys keeps insertion order, so `parameters()` follows registration order as PyTorch's
// does, and TS class fields (ES2022 define semantics) register just like assignments in a
// constructor. State-dict keys are the property names in snake_case, as experiment parameters
// convert (`posEncoder` -> `pos_encoder`, src/util/naming.ts), so an idiomatic camelCase port
// has the Python original's keys; a module's own key map (`stateKeys`) overrides that.
import { Tensor, describe, isDeviceString, type Device } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { noGrad } from "../tensor/runtime.js";
import { untrack } from "../tensor/scope.js";
import { tidy } from "../tensor/scope.js";
import { Parameter, Buffer, isLazy } from "./parameter.js";
import { registerTypeCheck } from "../binding/index.js";
import { toSnakeCase } from "../../util/naming.js";

/** A state dict: PyTorch's keys (`layer1.0.weight`, `bn.running_mean`) to tensors. */
export type StateDict = Record<string, Tensor>;

/** A forward pre-hook: may return replacement arguments (an array, or one value). */
export type ForwardPreHook = (module: Module, args: unknown[]) => unknown;
/** A forward hook: may return a replacement output. */
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;

/**
 * A load-state-dict pre-hook (Python 2.x's `register_load_state_dict_pre_hook`): runs before
 * `module`'s own tensors are loaded, and may rewrite `stateDict` (the copy being loaded, keyed from
 * the root) in place, or add to the key lists and error messages.
 */
export type LoadStateDictPreHook = (
  module: Module,
  stateDict: Map<string, unknown>,
  prefix: string,
  localMetadata: Record<string, unknown>,
  strict: boolean,
  missingKeys: string[],
  unexpectedKeys: string[],
  errorMsgs: string[],
) => void;

/** Returned by the hook registrations; `remove()` unregisters the hook. */
export interface RemovableHandle {
  remove(): void;
}

/** The result of `loadStateDict` (PyTorch's `_IncompatibleKeys`). */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Where `to()` moves a module: a device, a dtype, or both. */
export type ModuleTarget = Device | DType | { device?: Device; dtype?: DType };

/** The arguments of `call`: those of the module's `forward` (unknown[] on a plain Module). */
export type CallArgs<M extends Module> = Module extends M ? unknown[] : Parameters<M["forward"]>;
/** The result of `call`: that of the module's `forward` (unknown on a plain Module). */
export type CallResult<M extends Module> = Module extends M ? unknown : ReturnType<M["forward"]>;

const FLOATING = new Set<string>(["float16", "bfloat16", "float32", "float64", "complex64", "complex128"]);

/**
 * Base class for all neural network modules (torch.nn.Module).
 *
 * Subclasses assign Parameters, Modules and buffers (`registerBuffer`) to properties, in a
 * constructor or as class fields, and implement `forward`. Call a module with
 * `module.forward(x)`, or `module.call(x)` to also run its hooks.
 *
 * Example:
 *   class Net extends nn.Module {
 *     fc1 = new nn.Linear(784, 256);
 *     fc2 = new nn.Linear(256, 10);
 *     forward(x: Tensor): Tensor {
 *       return this.fc2.forward(this.fc1.forward(x).relu());
 *     }
 *   }
 *   new Net().stateDict(); // keys fc1.weight, fc1.bias, fc2.weight, fc2.bias
 *
 * Parameters and buffers are ordinary tensors for `tidy()`: build (and move) a model outside
 * a tidy scope, or the scope frees its weights.
 */
export class Module {
  /** Training (true) or evaluation (false) mode; set with `train()` / `eval()`. */
  training = true;

  // Bookkeeping lives in non-enumerable properties so that it never looks like a child.
  declare private _bufferNames: Set<string>;
  declare private _nonPersistent: Set<string>;
  declare private _stateKeys: Map<string, string>;
  declare private _forwardPreHooks: Map<number, ForwardPreHook>;
  declare private _forwardHooks: Map<number, ForwardHook>;
  declare private _loadStateDictPreHooks: Map<number, LoadStateDictPreHook>;
  declare private _verbatimKeys: boolean;

  constructor() {
    for (const [name, value] of [
      ["_bufferNames", new Set()],
      ["_nonPersistent", new Set()],
      ["_stateKeys", new Map()],
      ["_forwardPreHooks", new Map()],
      ["_forwardHooks", new Map()],
      ["_loadStateDictPreHooks", new Map()],
    ] as const) {
      Object.defineProperty(this, name, { value, enumerable: false, writable: false, configurable: false });
    }
    Object.defineProperty(this, "_verbatimKeys", { value: false, enumerable: false, writable: true, configurable: false });
  }

  /** The computation; subclasses override it with their own signature. */
  forward(..._args: never[]): unknown {
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /**
   * Runs forward pre-hooks, `forward`, then forward hooks (Python's `module(x)`). Typed as the
   * subclass's `forward`; on a plain `Module` (a container's element) it takes and returns
   * unknown.
   */
  call<M extends Module>(this: M, ...args: CallArgs<M>): CallResult<M> {
    const self = this as Module;
    let input: unknown[] = args;
    for (const hook of self._forwardPreHooks.values()) {
      const result = hook(self, input);
      if (result !== undefined) input = Array.isArray(result) ? result : [result];
    }
    let output = (self.forward as (...a: unknown[]) => unknown)(...input);
    for (const hook of self._forwardHooks.values()) {
      const result = hook(self, input, output);
      if (result !== undefined) output = result;
    }
    return output as CallResult<M>;
  }

  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return addHook(this._forwardPreHooks, hook);
  }
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return addHook(this._forwardHooks, hook);
  }
  /** @internal Whether forward hooks or pre-hooks are registered (torch 2.x's fast paths skip such modules). */
  _hasForwardHooks(): boolean {
    return this._forwardHooks.size + this._forwardPreHooks.size > 0;
  }
  /**
   * Registers a hook run by `loadStateDict` before this module's tensors are loaded (Python 2.x's
   * `register_load_state_dict_pre_hook`; see LoadStateDictPreHook).
   */
  registerLoadStateDictPreHook(hook: LoadStateDictPreHook): RemovableHandle {
    return addHook(this._loadStateDictPreHooks, hook);
  }

  // ---- registration ----

  /** Adds a buffer: state that is not a parameter (`running_mean`); in the state dict if persistent. */
  registerBuffer(name: string, tensor: Tensor | null, options: { persistent?: boolean } = {}): void {
    checkName(this, name, "buffer");
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign ${describe(tensor)} as buffer '${name}' (Tensor or null expected)`);
    }
    this._bufferNames.add(name);
    // A buffer lives as long as its module, even when the module is built inside tidy().
    if (tensor !== null) untrack(tensor);
    if (options.persistent === false) this._nonPersistent.add(name);
    else this._nonPersistent.delete(name);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  /** Adds a parameter under `name` (same as assigning a Parameter to that property). */
  registerParameter(name: string, param: Parameter | null): void {
    checkName(this, name, "parameter");
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign ${describe(param)} as parameter '${name}' (nn.Parameter or null expected)`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /** Adds a child module under `name` (same as assigning it to that property). */
  registerModule(name: string, module: Module | null): void {
    checkName(this, name, "module");
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`${describe(module)} is not a Module subclass`);
    }
    (this as unknown as Record<string, unknown>)[name] = module;
  }
  /** Alias of `registerModule` (PyTorch's add_module). */
  addModule(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }

  /**
   * This module's key map: the state-dict key (and `named*()` name) of each listed property,
   * overriding the snake_case rule (`{ encoderBlocks: "blocks" }`). Call it in the constructor.
   *
   * Example:
   *   class Net extends nn.Module {
   *     constructor() {
   *       super();
   *       this.stateKeys({ posEncoder: "positional" }); // positional.pe instead of pos_encoder.pe
   *     }
   *   }
   */
  protected stateKeys(map: Record<string, string>): void {
    for (const [property, key] of Object.entries(map)) {
      if (typeof key !== "string" || key === "" || key.includes(".")) {
        throw new Error(`stateKeys(): the key of '${property}' must be a non-empty string without "."`);
      }
      this._stateKeys.set(property, key);
    }
  }

  /**
   * Keeps this module's own keys as written: a container's keys are data (ModuleDict's,
   * ParameterDict's, a named Sequential's), not property names, as in PyTorch.
   */
  protected keepKeysAsWritten(): void {
    this._verbatimKeys = true;
  }

  /** The state-dict key (and `named*()` name) of a property: the key map's, else its snake_case. */
  private keyOf(property: string): string {
    return this._stateKeys.get(property) ?? (this._verbatimKeys ? property : toSnakeCase(property));
  }

  // ---- traversal ----

  /** [key, value] of each own parameter, in registration order (null ones skipped). */
  private *ownParameters(): Generator<[string, Parameter]> {
    for (const name of Object.keys(this)) {
      const value = (this as unknown as Record<string, unknown>)[name];
      if (value instanceof Parameter) yield [this.keyOf(name), value];
    }
  }
  private *ownBuffers(persistentOnly: boolean): Generator<[string, Tensor]> {
    for (const name of Object.keys(this)) {
      const value = (this as unknown as Record<string, unknown>)[name];
      if (!this.isBuffer(name, value)) continue;
      if (persistentOnly && !this.isPersistent(name, value)) continue;
      if (value instanceof Tensor) yield [this.keyOf(name), value];
    }
  }
  /** A registered buffer, or an nn.Buffer assigned to a property (registered by assignment, as Python's). */
  private isBuffer(name: string, value: unknown): boolean {
    return this._bufferNames.has(name) || value instanceof Buffer;
  }
  /** registerBuffer's `persistent` for a registered name, else the assigned nn.Buffer's own. */
  private isPersistent(name: string, value: unknown): boolean {
    return this._bufferNames.has(name) ? !this._nonPersistent.has(name) : !(value instanceof Buffer && !value.persistent);
  }

  /** Direct children as [name, module] (Python's named_children). */
  *namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const name of Object.keys(this)) {
      const value = (this as unknown as Record<string, unknown>)[name];
      if (value instanceof Module && !seen.has(value)) {
        seen.add(value);
        yield [this.keyOf(name), value];
      }
    }
  }
  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and all below it, depth first, each once (Python's named_modules). */
  *namedModules(prefix = "", memo: Set<Module> = new Set()): Generator<[string, Module]> {
    if (memo.has(this)) return;
    memo.add(this);
    yield [prefix, this];
    for (const [name, child] of this.namedChildren()) {
      yield* child.namedModules(prefix ? `${prefix}.${name}` : name, memo);
    }
  }
  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** Parameters as [qualified name, parameter], each once, in registration order. */
  *namedParameters(options: { prefix?: string; recurse?: boolean } = {}): Generator<[string, Parameter]> {
    const { prefix = "", recurse = true } = options;
    const seen = new Set<Tensor>();
    const modules: Iterable<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [modulePrefix, module] of modules) {
      for (const [key, p] of module.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        yield [modulePrefix ? `${modulePrefix}.${key}` : key, p];
      }
    }
  }
  /** The parameters in registration order: what an optimizer takes. */
  parameters(recurse = true): Parameter[] {
    return Array.from(this.namedParameters({ recurse }), ([, p]) => p);
  }

  *namedBuffers(options: { prefix?: string; recurse?: boolean } = {}): Generator<[string, Tensor]> {
    const { prefix = "", recurse = true } = options;
    const seen = new Set<Tensor>();
    const modules: Iterable<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [modulePrefix, module] of modules) {
      for (const [key, b] of module.ownBuffers(false)) {
        if (seen.has(b)) continue;
        seen.add(b);
        yield [modulePrefix ? `${modulePrefix}.${key}` : key, b];
      }
    }
  }
  buffers(recurse = true): Tensor[] {
    return Array.from(this.namedBuffers({ recurse }), ([, b]) => b);
  }

  /** The submodule at a dotted path (`"layer1.0.conv"`). */
  getSubmodule(target: string): Module {
    if (target === "") return this;
    let module: Module = this;
    for (const part of target.split(".")) {
      const slots = module as unknown as Record<string, unknown>;
      const own = Object.prototype.hasOwnProperty.call(slots, part) ? slots[part] : undefined;
      const child = Array.from(module.namedChildren()).find(([name]) => name === part)?.[1] ?? (own instanceof Module ? own : undefined);
      if (!child) throw new Error(`${module.constructor.name} has no attribute \`${part}\``);
      module = child;
    }
    return module;
  }

  // ---- modes and conversions ----

  /** Sets training mode on this module and all below it; returns this. */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new TypeError("train(mode): mode is expected to be boolean");
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  eval(): this {
    return this.train(false);
  }

  /** Applies `fn` to every submodule (children first) and then this one; returns this. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Sets `requiresGrad` on every parameter; returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Clears the gradients of all parameters: by default sets them to undefined (as PyTorch 2.x;
   * `setToNone: false` zeroes them in place, as 1.x's default).
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    if (setToNone) {
      for (const p of this.parameters()) p.grad = undefined;
      return;
    }
    // tidy frees the gradient aliases now rather than at the next GC.
    tidy(() =>
      noGrad(() => {
        for (const p of this.parameters()) {
          const g = p.grad;
          if (g === undefined) continue;
          if (g.gradFn === null) g.zero_();
          else p.grad = g.detach().zero_();
        }
      }),
    );
  }

  /**
   * Moves and/or casts parameters and buffers: `to("cuda")`, `to("float64")`,
   * `to({ device, dtype })`. Parameters and buffers keep their identity (an optimizer built
   * before still holds them), as PyTorch's parameters; only floating-point tensors change dtype.
   */
  to(target: ModuleTarget): this {
    let device: Device | undefined;
    let dtype: DType | undefined;
    if (typeof target === "string") {
      if (isDeviceString(target)) device = target;
      else dtype = target as DType;
    } else if (target && typeof target === "object") {
      ({ device, dtype } = target);
    } else {
      throw new TypeError(`Module.to(): expected a device, a dtype or { device, dtype }, got ${describe(target)}`);
    }
    if (dtype !== undefined && !FLOATING.has(dtype)) {
      throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dtype}`);
    }
    const convert = (t: Tensor): Tensor =>
      t.to({ device, dtype: dtype !== undefined && FLOATING.has(t.dtype) ? dtype : undefined });
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [, p] of m.ownParameters()) {
          const moved = convert(p);
          if (moved !== p) p.setData(moved);
          const g = p.grad;
          if (g !== undefined) {
            const movedGrad = convert(g);
            if (movedGrad !== g) p.grad = movedGrad;
          }
        }
        for (const [, b] of m.ownBuffers(false)) {
          const moved = convert(b);
          if (moved !== b) b.setData(moved);
        }
      }
    });
    return this;
  }
  cuda(device = 0): this {
    return this.to(`cuda:${device}`);
  }
  cpu(): this {
    return this.to("cpu");
  }
  float(): this {
    return this.to("float32");
  }
  double(): this {
    return this.to("float64");
  }
  half(): this {
    return this.to("float16");
  }

  // ---- state dict ----

  /**
   * Parameters and persistent buffers by PyTorch's keys (`0.weight`, `bn.running_mean`,
   * `bn.num_batches_tracked`), in registration order. Values share storage with the module's
   * tensors and are detached, unless `keepVars`.
   */
  stateDict(options: { prefix?: string; keepVars?: boolean } = {}): StateDict {
    const { prefix = "", keepVars = false } = options;
    const out: StateDict = {};
    const memo = new Set<Module>();
    const visit = (module: Module, modulePrefix: string): void => {
      for (const [key, p] of module.ownParameters()) out[modulePrefix + key] = keepVars ? p : p.detach();
      for (const [key, b] of module.ownBuffers(true)) out[modulePrefix + key] = keepVars ? b : b.detach();
      for (const [name, child] of module.namedChildren()) {
        if (memo.has(child)) continue;
        memo.add(child);
        visit(child, `${modulePrefix}${name}.`);
      }
    };
    memo.add(this);
    visit(this, prefix);
    return out;
  }

  /**
   * Copies parameters and buffers from `stateDict` (a record or a Map keyed as `stateDict()`).
   * With `strict` (default), missing or unexpected keys are an error listing them all, as
   * PyTorch's message; shape mismatches are always errors. Returns the missing and unexpected
   * keys.
   */
  loadStateDict(
    stateDict: StateDict | Map<string, Tensor>,
    options: { strict?: boolean } = {},
  ): IncompatibleKeys {
    const strict = options.strict ?? true;
    // A copy, as Python's: pre-hooks rewrite it, never the caller's.
    const entries = new Map<string, unknown>(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
    const missingKeys: string[] = [];
    const hookUnexpected: string[] = [];
    const errors: string[] = [];
    this.runLoadStateDictPreHooks(entries, strict, missingKeys, hookUnexpected, errors);
    const unexpected = new Set([...entries.keys(), ...hookUnexpected]);
    const mine = this.keyedState();
    noGrad(() => {
      for (const [key, [target, asWritten]] of mine) {
        // Checkpoints saved before keys were snake_case hold the property names as written.
        const sourceKey = entries.has(key) || !entries.has(asWritten) ? key : asWritten;
        const source = entries.get(sourceKey);
        if (source === undefined) {
          missingKeys.push(key);
          continue;
        }
        unexpected.delete(sourceKey);
        if (!(source instanceof Tensor)) {
          errors.push(`While copying the parameter named "${key}", expected Tensor from checkpoint but received ${describe(source)}`);
          continue;
        }
        // A Lazy module's placeholder takes the checkpoint's shape (Python's _lazy_load_hook).
        if (isLazy(target)) target.materialize(source.shape);
        const want = target.shape;
        const got = source.shape;
        if (want.length !== got.length || want.some((d, i) => d !== got[i])) {
          errors.push(
            `size mismatch for ${key}: copying a param with shape [${got.join(", ")}] from checkpoint, ` +
              `the shape in current model is [${want.join(", ")}].`,
          );
          continue;
        }
        target.copy_(source);
      }
    });
    const unexpectedKeys = Array.from(unexpected);
    if (strict) {
      if (unexpectedKeys.length > 0) {
        errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}. `);
      }
      if (missingKeys.length > 0) {
        errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}. `);
      }
    }
    if (errors.length > 0) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`);
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Runs every module's load-state-dict pre-hooks, parents first, each with its key prefix (Python's order). */
  private runLoadStateDictPreHooks(entries: Map<string, unknown>, strict: boolean, missing: string[], unexpected: string[], errors: string[]): void {
    const memo = new Set<Module>([this]);
    const visit = (module: Module, prefix: string): void => {
      for (const hook of module._loadStateDictPreHooks.values()) hook(module, entries, prefix, {}, strict, missing, unexpected, errors);
      for (const [name, child] of module.namedChildren()) {
        if (memo.has(child)) continue;
        memo.add(child);
        visit(child, `${prefix}${name}.`);
      }
    };
    visit(this, "");
  }

  /**
   * Each persistent tensor by its state-dict key, with the key spelled with the property names as
   * written (`posEncoder.pe` for `pos_encoder.pe`).
   */
  private keyedState(): Map<string, [Tensor, string]> {
    const out = new Map<string, [Tensor, string]>();
    const memo = new Set<Module>([this]);
    const visit = (module: Module, prefix: string, rawPrefix: string): void => {
      const slots = module as unknown as Record<string, unknown>;
      for (const name of Object.keys(slots)) {
        const value = slots[name];
        const isBuffer = module.isBuffer(name, value);
        if (value instanceof Parameter || (isBuffer && value instanceof Tensor && module.isPersistent(name, value))) {
          out.set(prefix + module.keyOf(name), [value as Tensor, rawPrefix + name]);
        }
      }
      for (const name of Object.keys(slots)) {
        const child = slots[name];
        if (!(child instanceof Module) || memo.has(child)) continue;
        memo.add(child);
        visit(child, `${prefix}${module.keyOf(name)}.`, `${rawPrefix}${name}.`);
      }
    };
    visit(this, "", "");
    return out;
  }

  // ---- printing ----

  /** The text inside this module's parentheses in `toString()` (`in_features=3, ...`). */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's module printout: the class name, `extraRepr()` and the children, indented. */
  toString(): string {
    const lines: string[] = [];
    const extra = this.extraRepr();
    if (extra) lines.push(...extra.split("\n"));
    for (const [name, child] of this.namedChildren()) {
      lines.push(`(${name}): ${child.toString().split("\n").join("\n  ")}`);
    }
    const name = this.constructor.name;
    if (lines.length === 0) return `${name}()`;
    if (lines.length === 1 && this.namedChildren().next().done) return `${name}(${lines[0]})`;
    return `${name}(\n  ${lines.join("\n  ")}\n)`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

registerTypeCheck("Module", (value) => value instanceof Module);

let nextHookId = 0;
function addHook<H>(hooks: Map<number, H>, hook: H): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("a hook must be a function");
  const id = nextHookId++;
  hooks.set(id, hook);
  return { remove: () => void hooks.delete(id) };
}

function checkName(module: Module, name: string, kind: string): void {
  if (typeof name !== "string") throw new TypeError(`${kind} name should be a string. Got ${describe(name)}`);
  if (name === "") throw new Error(`${kind} name can't be empty string ""`);
  if (name.includes(".")) throw new Error(`${kind} name can't contain "."`);
  if (name in module && !Object.prototype.hasOwnProperty.call(module, name)) {
    throw new Error(`attribute '${name}' already exists`);
  }
}

/**
 * A deep copy of a module (Python's copy.deepcopy): new parameters and buffers holding copies
 * of the data, the same structure, options and hooks. Shared submodules stay shared.
 */
export function copyModule<M extends Module>(module: M): M {
  const copies = new Map<object, unknown>();
  const copyValue = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    if (copies.has(value)) return copies.get(value);
    let out: unknown;
    if (value instanceof Parameter) {
      const p = new Parameter(value.detach().clone(), value.requiresGrad);
      // A subclass (UninitializedParameter) stays one, as Python's deepcopy keeps the type.
      Object.setPrototypeOf(p, Object.getPrototypeOf(value) as object);
      out = p;
    } else if (value instanceof Buffer) {
      out = new Buffer(value.detach().clone(), { persistent: value.persistent });
    } else if (value instanceof Tensor) {
      const t = value.detach().clone();
      Object.setPrototypeOf(t, Object.getPrototypeOf(value) as object);
      out = t;
    } else if (value instanceof Module) {
      const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
      copies.set(value, copy);
      for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
        if ("value" in descriptor) descriptor.value = copyValue(descriptor.value);
        Object.defineProperty(copy, key, descriptor);
      }
      return copy;
    } else if (Array.isArray(value)) {
      out = value.map(copyValue);
    } else if (value instanceof Set) {
      out = new Set(value);
    } else if (value instanceof Map) {
      out = new Map(value);
    } else {
      return value;
    }
    copies.set(value, out);
    return out;
  };
  return copyValue(module) as M;
}

/** A float as Python prints it in an extra_repr: exponents have two digits (1e-05). */
export function pyFloat(value: number): string {
  const abs = Math.abs(value);
  const text = abs !== 0 && abs < 1e-4 ? value.toExponential() : String(value);
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}
