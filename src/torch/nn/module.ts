// nn.Module: the base class of every layer and model.
//
// Registration by assignment without a Proxy: a module's parameters, buffers and children are
// its own enumerable properties holding a Parameter, a registered buffer Tensor, or a Module.
// Object.keys keeps insertion order, so `parameters()` follows registration order as PyTorch's
// does, and TS class fields (ES2022 define semantics) register just like assignments in a
// constructor. State-dict keys are the property names in snake_case, as experiment parameters
// convert (`posEncoder` -> `pos_encoder`, src/util/naming.ts), so an idiomatic camelCase port
// has the Python original's keys; a module's own key map (`stateKeys`) overrides that.
//
// Every public method binds its arguments through the shared binder with Python's signature
// (torch/nn/modules/module.py); the hooks' machinery lives in ./module-hooks.ts.
import { Tensor, describe, isDeviceString, type Device } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { noGrad } from "../tensor/runtime.js";
import { untrack } from "../tensor/scope.js";
import { tidy } from "../tensor/scope.js";
import { emptyLike } from "../tensor/creation.js";
import { Parameter, Buffer, isLazy } from "./parameter.js";
import { bind, bindArgs, isPlainObject, registerTypeCheck, type Param, type PyArgs } from "../binding/index.js";
import { toSnakeCase } from "../../util/naming.js";
import { version } from "../version.js";
import {
  addHook,
  BackwardHookCall,
  registerNonFullBackwardHooks,
  type BackwardHook,
  type BackwardPreHook,
  type ForwardHook,
  type ForwardHookWithKwargs,
  type ForwardPreHook,
  type ForwardPreHookWithKwargs,
  type HookKwargs,
  type HookTable,
  type RemovableHandle,
} from "./module-hooks.js";

export type {
  BackwardHook,
  BackwardPreHook,
  ForwardHook,
  ForwardHookWithKwargs,
  ForwardPreHook,
  ForwardPreHookWithKwargs,
  HookGrads,
  HookKwargs,
  RemovableHandle,
} from "./module-hooks.js";

/**
 * A state dict: PyTorch's keys (`layer1.0.weight`, `bn.running_mean`) to tensors. A module that
 * overrides `getExtraState` adds its value under `<prefix>_extra_state`, as Python's.
 */
export type StateDict = Record<string, Tensor>;
/** What `loadStateDict` reads: a record or a Map keyed as `stateDict()` (a Python checkpoint's OrderedDict too). */
export type StateDictInput = Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>;

/** The result of `loadStateDict` (PyTorch's `_IncompatibleKeys`); hooks may change the arrays in place. */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Where `to()` moves a module: a device, a dtype, or both. */
export type ModuleTarget = Device | DType | { device?: Device; dtype?: DType };

/** A state-dict pre-hook, called before the module saves its state: `hook(module, prefix, keepVars)`. */
export type StateDictPreHook = (module: Module, prefix: string, keepVars: boolean) => void;
/** A state-dict post-hook: `hook(module, stateDict, prefix, localMetadata)`; changes the state dict in place. */
export type StateDictPostHook = (module: Module, stateDict: StateDict, prefix: string, localMetadata: Record<string, unknown>) => void;
/**
 * A load-state-dict pre-hook, called before the module loads its own entries, with the part of
 * the state dict under its prefix (a copy it may change) and the lists `loadStateDict` fills.
 */
export type LoadStateDictPreHook = (
  module: Module,
  stateDict: Record<string, unknown>,
  prefix: string,
  localMetadata: Record<string, unknown>,
  strict: boolean,
  missingKeys: string[],
  unexpectedKeys: string[],
  errorMsgs: string[],
) => void;
/** A load-state-dict post-hook: `hook(module, incompatibleKeys)`; changes the key lists in place. */
export type LoadStateDictPostHook = (module: Module, incompatibleKeys: IncompatibleKeys) => void;

/** The arguments of `call`: those of the module's `forward` (unknown[] on a plain Module). */
export type CallArgs<M extends Module> = Module extends M ? unknown[] : Parameters<M["forward"]>;
/** The result of `call`: that of the module's `forward` (unknown on a plain Module). */
export type CallResult<M extends Module> = Module extends M ? unknown : ReturnType<M["forward"]>;

const FLOATING = new Set<string>(["float16", "bfloat16", "float32", "float64", "complex64", "complex128"]);
const REAL_FLOATING = new Set<string>(["float16", "bfloat16", "float32", "float64"]);
const EXTRA_STATE_KEY_SUFFIX = "_extra_state";

type Slots = Record<string, unknown>;
type StateDictOptions = { destination?: StateDict | null; prefix?: string; keepVars?: boolean };
type NamedMembersArgs = PyArgs<[Param<"prefix", string, true>, Param<"recurse", boolean, true>, Param<"removeDuplicate", boolean, true>]>;
type NamedModulesArgs = PyArgs<[Param<"memo", Set<Module> | null, true>, Param<"prefix", string, true>, Param<"removeDuplicate", boolean, true>]>;
type LoadStateDictArgs = PyArgs<[Param<"stateDict", StateDictInput, false>, Param<"strict", boolean, true>, Param<"assign", boolean, true>]>;
type ToOptions = { device?: Device | number | null; dtype?: DType | null; nonBlocking?: boolean; memoryFormat?: null };
type HookOption = { prepend?: boolean };

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
  /** Python's `Module._version`: the state-dict format version, given to state-dict hooks as local metadata. */
  static readonly _version: number = 1;

  /** Training (true) or evaluation (false) mode; set with `train()` / `eval()`. */
  training = true;

  // Bookkeeping lives in non-enumerable properties so that it never looks like a child.
  declare private _bufferNames: Set<string>;
  declare private _nonPersistent: Set<string>;
  declare private _stateKeys: Map<string, string>;
  declare private _forwardPreHooks: HookTable<ForwardPreHook | ForwardPreHookWithKwargs>;
  declare private _forwardHooks: HookTable<ForwardHook | ForwardHookWithKwargs>;
  declare private _backwardPreHooks: HookTable<BackwardPreHook>;
  declare private _backwardHooks: HookTable<BackwardHook>;
  declare private _stateDictPreHooks: HookTable<StateDictPreHook>;
  declare private _stateDictHooks: HookTable<StateDictPostHook>;
  declare private _loadStateDictPreHooks: HookTable<LoadStateDictPreHook>;
  declare private _loadStateDictPostHooks: HookTable<LoadStateDictPostHook>;
  declare private _isFullBackwardHook: boolean | undefined;
  declare private _verbatimKeys: boolean;

  constructor() {
    for (const [name, value] of [
      ["_bufferNames", new Set()],
      ["_nonPersistent", new Set()],
      ["_stateKeys", new Map()],
      ["_forwardPreHooks", new Map()],
      ["_forwardHooks", new Map()],
      ["_backwardPreHooks", new Map()],
      ["_backwardHooks", new Map()],
      ["_stateDictPreHooks", new Map()],
      ["_stateDictHooks", new Map()],
      ["_loadStateDictPreHooks", new Map()],
      ["_loadStateDictPostHooks", new Map()],
    ] as const) {
      Object.defineProperty(this, name, { value, enumerable: false, writable: false, configurable: false });
    }
    Object.defineProperty(this, "_verbatimKeys", { value: false, enumerable: false, writable: true, configurable: false });
    Object.defineProperty(this, "_isFullBackwardHook", { value: undefined, enumerable: false, writable: true, configurable: false });
  }

  /** The computation; subclasses override it with their own signature. */
  forward(..._args: never[]): unknown {
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /** @internal Whether forward pre-/hooks are attached (torch 2.x's encoder fast path checks, ./transformer-fast-path.ts). */
  _hasForwardHooks(): boolean {
    return this._forwardHooks.size + this._forwardPreHooks.size > 0;
  }
  /**
   * Runs forward pre-hooks, `forward`, then forward hooks, and sets up the backward hooks
   * (Python's `module(x)`). A trailing options object is the call's kwargs: hooks registered
   * `withKwargs` see it, the others see the positional arguments only. Typed as the subclass's
   * `forward`; on a plain `Module` (a container's element) it takes and returns unknown.
   */
  call<M extends Module>(this: M, ...args: CallArgs<M>): CallResult<M> {
    const self = this as Module;
    const forward = self.forward as (...a: unknown[]) => unknown;
    if (self._forwardPreHooks.size === 0 && self._forwardHooks.size === 0 && self._backwardHooks.size === 0 && self._backwardPreHooks.size === 0) {
      return forward.apply(self, args) as CallResult<M>;
    }
    return self.callWithHooks(forward, args as unknown[]) as CallResult<M>;
  }

  /** Python's Module._call_impl with hooks. */
  private callWithHooks(forward: (...a: unknown[]) => unknown, given: unknown[]): unknown {
    const kwargsGiven = given.length > 0 && isPlainObject(given[given.length - 1]);
    let args = kwargsGiven ? given.slice(0, -1) : given;
    let kwargs = (kwargsGiven ? given[given.length - 1] : {}) as HookKwargs;
    let result: unknown = null;
    const alwaysCalled = new Set<number>();
    try {
      for (const { hook, withKwargs } of this._forwardPreHooks.values()) {
        if (withKwargs) {
          const out = (hook as ForwardPreHookWithKwargs)(this, args, kwargs);
          if (out === undefined || out === null) continue;
          if (!Array.isArray(out) || out.length !== 2 || !Array.isArray(out[0]) || !isPlainObject(out[1])) {
            throw new Error(`forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got ${describe(out)}.`);
          }
          [args, kwargs] = [out[0] as unknown[], out[1] as HookKwargs];
        } else {
          const out = (hook as ForwardPreHook)(this, args);
          if (out !== undefined && out !== null) args = Array.isArray(out) ? out : [out];
        }
      }
      const [fullHooks, nonFullHooks] = this.backwardHooks();
      const backwardPreHooks = Array.from(this._backwardPreHooks.values(), (e) => e.hook);
      let backwardHook: BackwardHookCall | undefined;
      if (fullHooks.length > 0 || backwardPreHooks.length > 0) {
        backwardHook = new BackwardHookCall(this, fullHooks, backwardPreHooks);
        args = backwardHook.setupInputHook(args);
      }
      result = forward.apply(this, kwargsGiven || Object.keys(kwargs).length > 0 ? [...args, kwargs] : args);
      for (const [id, { hook, withKwargs, alwaysCall }] of this._forwardHooks) {
        if (alwaysCall) alwaysCalled.add(id);
        const out = withKwargs ? (hook as ForwardHookWithKwargs)(this, args, kwargs, result) : (hook as ForwardHook)(this, args, result);
        if (out !== undefined && out !== null) result = out;
      }
      if (backwardHook) {
        if (!(result instanceof Tensor || Array.isArray(result))) {
          process.emitWarning(
            `For backward hooks to be called, module output should be a Tensor or a tuple of Tensors but received ${describe(result)}`,
          );
        }
        result = backwardHook.setupOutputHook(result);
      }
      if (nonFullHooks.length > 0) registerNonFullBackwardHooks(this, nonFullHooks, args, result);
      return result;
    } catch (error) {
      for (const [id, { hook, withKwargs, alwaysCall }] of this._forwardHooks) {
        if (!alwaysCall || alwaysCalled.has(id)) continue;
        try {
          const out = withKwargs ? (hook as ForwardHookWithKwargs)(this, args, kwargs, result) : (hook as ForwardHook)(this, args, result);
          if (out !== undefined && out !== null) result = out;
        } catch (silenced) {
          process.emitWarning(
            "module forward hook with ``always_call=True`` raised an exception that was silenced as another error was " +
              `raised in forward: ${silenced instanceof Error ? silenced.message : String(silenced)}`,
          );
        }
      }
      throw error;
    }
  }

  /** The full and the deprecated (non-full) backward hooks (Python's _get_backward_hooks). */
  private backwardHooks(): [BackwardHook[], BackwardHook[]] {
    const hooks = Array.from(this._backwardHooks.values(), (e) => e.hook);
    if (hooks.length === 0) return [[], []];
    return this._isFullBackwardHook === true ? [hooks, []] : [[], hooks];
  }

  // ---- hooks ----

  /**
   * Registers `hook(module, args)`, called before each `call()`; it may return replacement
   * positional arguments (an array, or one value). With `withKwargs`, `hook(module, args,
   * kwargs)` sees the options object too and may return `[args, kwargs]`. `prepend` runs it
   * before the hooks registered earlier.
   */
  registerForwardPreHook(hook: ForwardPreHook, options?: HookOption & { withKwargs?: false }): RemovableHandle;
  registerForwardPreHook(hook: ForwardPreHookWithKwargs, options: HookOption & { withKwargs: true }): RemovableHandle;
  registerForwardPreHook(...args: unknown[]): RemovableHandle {
    const a = bindArgs<{ hook: ForwardPreHook; prepend: boolean; withKwargs: boolean }>("torch.nn.Module.register_forward_pre_hook", args);
    return addHook(this._forwardPreHooks, a.hook, { prepend: a.prepend, withKwargs: a.withKwargs });
  }

  /**
   * Registers `hook(module, args, output)`, called after each `call()`'s forward; it may return
   * a replacement output. With `withKwargs`, `hook(module, args, kwargs, output)`; with
   * `alwaysCall`, it runs even when forward (or a hook) throws, with a null output.
   */
  registerForwardHook(hook: ForwardHook, options?: HookOption & { withKwargs?: false; alwaysCall?: boolean }): RemovableHandle;
  registerForwardHook(hook: ForwardHookWithKwargs, options: HookOption & { withKwargs: true; alwaysCall?: boolean }): RemovableHandle;
  registerForwardHook(...args: unknown[]): RemovableHandle {
    const a = bindArgs<{ hook: ForwardHook; prepend: boolean; withKwargs: boolean; alwaysCall: boolean }>("torch.nn.Module.register_forward_hook", args);
    return addHook(this._forwardHooks, a.hook, { prepend: a.prepend, withKwargs: a.withKwargs, alwaysCall: a.alwaysCall });
  }

  /**
   * Registers `hook(module, gradInput, gradOutput)`, called when the gradients of the module's
   * positional inputs are computed (each array has one slot per input or output, null where it
   * is no Tensor); it may return replacement input gradients. Inputs and outputs pass through
   * identity graph nodes, so forward sees (and the caller gets) new tensor objects.
   */
  registerFullBackwardHook(hook: BackwardHook, prepend?: boolean): RemovableHandle;
  registerFullBackwardHook(hook: BackwardHook, options: HookOption): RemovableHandle;
  registerFullBackwardHook(...args: unknown[]): RemovableHandle {
    const a = bindArgs<{ hook: BackwardHook; prepend: boolean }>("torch.nn.Module.register_full_backward_hook", args);
    if (this._isFullBackwardHook === false) {
      throw new Error("Cannot use both regular backward hooks and full backward hooks on a single Module. Please use only one of them.");
    }
    this._isFullBackwardHook = true;
    return addHook(this._backwardHooks, a.hook, { prepend: a.prepend });
  }

  /**
   * Registers `hook(module, gradOutput)`, called when the gradients of the module's outputs are
   * computed, before the backward hooks; it may return replacement output gradients.
   */
  registerFullBackwardPreHook(hook: BackwardPreHook, prepend?: boolean): RemovableHandle;
  registerFullBackwardPreHook(hook: BackwardPreHook, options: HookOption): RemovableHandle;
  registerFullBackwardPreHook(...args: unknown[]): RemovableHandle {
    const a = bindArgs<{ hook: BackwardPreHook; prepend: boolean }>("torch.nn.Module.register_full_backward_pre_hook", args);
    return addHook(this._backwardPreHooks, a.hook, { prepend: a.prepend });
  }

  /**
   * Deprecated (as in PyTorch; use `registerFullBackwardHook`): `hook(module, gradInput,
   * gradOutput)` runs on the grad_fn of the output's first tensor, with that node's gradients.
   */
  registerBackwardHook(hook: BackwardHook): RemovableHandle;
  registerBackwardHook(options: { hook: BackwardHook }): RemovableHandle;
  registerBackwardHook(...args: unknown[]): RemovableHandle {
    const a = bindArgs<{ hook: BackwardHook }>("torch.nn.Module.register_backward_hook", args);
    if (this._isFullBackwardHook === true) {
      throw new Error("Cannot use both regular backward hooks and full backward hooks on a single Module. Please use only one of them.");
    }
    this._isFullBackwardHook = false;
    return addHook(this._backwardHooks, a.hook);
  }

  /** Registers `hook(module, prefix, keepVars)`, called before `stateDict()` saves this module. */
  registerStateDictPreHook(hook: StateDictPreHook): RemovableHandle;
  registerStateDictPreHook(options: { hook: StateDictPreHook }): RemovableHandle;
  registerStateDictPreHook(...args: unknown[]): RemovableHandle {
    return addHook(this._stateDictPreHooks, bindArgs<{ hook: StateDictPreHook }>("torch.nn.Module.register_state_dict_pre_hook", args).hook);
  }

  /** Registers `hook(module, stateDict, prefix, localMetadata)`, called after `stateDict()` saved this module and its children. */
  registerStateDictPostHook(hook: StateDictPostHook): RemovableHandle;
  registerStateDictPostHook(options: { hook: StateDictPostHook }): RemovableHandle;
  registerStateDictPostHook(...args: unknown[]): RemovableHandle {
    return addHook(this._stateDictHooks, bindArgs<{ hook: StateDictPostHook }>("torch.nn.Module.register_state_dict_post_hook", args).hook);
  }

  /** Registers a hook called before `loadStateDict()` loads this module's own entries (LoadStateDictPreHook). */
  registerLoadStateDictPreHook(hook: LoadStateDictPreHook): RemovableHandle;
  registerLoadStateDictPreHook(options: { hook: LoadStateDictPreHook }): RemovableHandle;
  registerLoadStateDictPreHook(...args: unknown[]): RemovableHandle {
    return addHook(this._loadStateDictPreHooks, bindArgs<{ hook: LoadStateDictPreHook }>("torch.nn.Module.register_load_state_dict_pre_hook", args).hook);
  }

  /** Registers `hook(module, incompatibleKeys)`, called after `loadStateDict()` loaded this module and its children. */
  registerLoadStateDictPostHook(hook: LoadStateDictPostHook): RemovableHandle;
  registerLoadStateDictPostHook(options: { hook: LoadStateDictPostHook }): RemovableHandle;
  registerLoadStateDictPostHook(...args: unknown[]): RemovableHandle {
    return addHook(this._loadStateDictPostHooks, bindArgs<{ hook: LoadStateDictPostHook }>("torch.nn.Module.register_load_state_dict_post_hook", args).hook);
  }

  // ---- registration ----

  /** Adds a buffer: state that is not a parameter (`running_mean`); in the state dict if persistent. */
  registerBuffer(name: string, tensor: Tensor | null, persistent?: boolean): void;
  registerBuffer(name: string, tensor: Tensor | null, options: { persistent?: boolean }): void;
  registerBuffer(...args: unknown[]): void {
    const { name, tensor, persistent } = bindArgs<{ name: string; tensor: Tensor | null; persistent: boolean }>("torch.nn.Module.register_buffer", args);
    checkName(this, name, "buffer");
    this._bufferNames.add(name);
    // A buffer lives as long as its module, even when the module is built inside tidy().
    if (tensor !== null) untrack(tensor);
    if (persistent) this._nonPersistent.delete(name);
    else this._nonPersistent.add(name);
    (this as unknown as Slots)[name] = tensor;
  }

  /** Adds a parameter under `name` (same as assigning a Parameter to that property). */
  registerParameter(name: string, param: Parameter | null): void;
  registerParameter(options: { name: string; param: Parameter | null }): void;
  registerParameter(...args: unknown[]): void {
    const { name, param } = bindArgs<{ name: string; param: Tensor | null }>("torch.nn.Module.register_parameter", args);
    checkName(this, name, "parameter");
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign ${describe(param)} as parameter '${name}' (nn.Parameter or null expected)`);
    }
    (this as unknown as Slots)[name] = param;
  }

  /** Adds a child module under `name` (same as assigning it to that property). */
  registerModule(name: string, module: Module | null): void;
  registerModule(options: { name: string; module: Module | null }): void;
  registerModule(...args: unknown[]): void {
    const { name, module } = bindArgs<{ name: string; module: Module | null }>("torch.nn.Module.register_module", args);
    this.addChild(name, module);
  }
  /** Alias of `registerModule` (PyTorch's add_module). */
  addModule(name: string, module: Module | null): void;
  addModule(options: { name: string; module: Module | null }): void;
  addModule(...args: unknown[]): void {
    const { name, module } = bindArgs<{ name: string; module: Module | null }>("torch.nn.Module.add_module", args);
    this.addChild(name, module);
  }
  private addChild(name: string, module: Module | null): void {
    checkName(this, name, "module");
    (this as unknown as Slots)[name] = module;
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
  private *ownParameters(): Generator<[string, Parameter, string]> {
    for (const name of Object.keys(this)) {
      const value = (this as unknown as Slots)[name];
      if (value instanceof Parameter) yield [this.keyOf(name), value, name];
    }
  }
  /** [key, value, property] of each own buffer (persistent ones only if asked), in registration order. */
  private *ownBuffers(persistentOnly: boolean): Generator<[string, Tensor, string]> {
    for (const name of Object.keys(this)) {
      const value = (this as unknown as Slots)[name];
      if (!this.isBuffer(name, value)) continue;
      if (persistentOnly && !this.isPersistent(name, value)) continue;
      if (value instanceof Tensor) yield [this.keyOf(name), value, name];
    }
  }
  /** [key, module, property] of each own child, duplicates kept (Python's `_modules.items()`). */
  private *ownModules(): Generator<[string, Module, string]> {
    for (const name of Object.keys(this)) {
      const value = (this as unknown as Slots)[name];
      if (value instanceof Module) yield [this.keyOf(name), value, name];
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

  /** Direct children as [name, module], each once (Python's named_children). */
  namedChildren(): Generator<[string, Module]> {
    bind("torch.nn.Module.named_children", arguments);
    return this.uniqueChildren();
  }
  private *uniqueChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [key, value] of this.ownModules()) {
      if (seen.has(value)) continue;
      seen.add(value);
      yield [key, value];
    }
  }
  children(): Generator<Module> {
    bind("torch.nn.Module.children", arguments);
    return mapGenerator(this.uniqueChildren(), ([, m]) => m);
  }

  /**
   * This module and all below it, depth first, as [qualified name, module] (Python's
   * named_modules): each once unless `removeDuplicate` is false; `memo` holds modules to skip.
   */
  namedModules(...args: NamedModulesArgs): Generator<[string, Module]> {
    const { memo, prefix, removeDuplicate } = bindArgs<{ memo: Set<Module> | null; prefix: string; removeDuplicate: boolean }>(
      "torch.nn.Module.named_modules",
      args,
    );
    return this.walkModules(memo ?? new Set(), prefix, removeDuplicate);
  }
  private *walkModules(memo: Set<Module>, prefix: string, removeDuplicate: boolean): Generator<[string, Module]> {
    if (memo.has(this)) return;
    if (removeDuplicate) memo.add(this);
    yield [prefix, this];
    for (const [name, child] of this.ownModules()) {
      yield* child.walkModules(memo, prefix ? `${prefix}.${name}` : name, removeDuplicate);
    }
  }
  modules(): Generator<Module> {
    bind("torch.nn.Module.modules", arguments);
    return mapGenerator(this.walkModules(new Set(), "", true), ([, m]) => m);
  }

  /** Python's _named_members: each member of each module below, as [qualified name, member]. */
  private *namedMembers<T>(
    members: (module: Module) => Iterable<[string, T, string]>,
    prefix: string,
    recurse: boolean,
    removeDuplicate: boolean,
  ): Generator<[string, T]> {
    const memo = new Set<T>();
    const modules: Iterable<[string, Module]> = recurse ? this.walkModules(new Set(), prefix, removeDuplicate) : [[prefix, this]];
    for (const [modulePrefix, module] of modules) {
      for (const [key, value] of members(module)) {
        if (memo.has(value)) continue;
        if (removeDuplicate) memo.add(value);
        yield [modulePrefix ? `${modulePrefix}.${key}` : key, value];
      }
    }
  }

  /** Parameters as [qualified name, parameter], in registration order; tied ones once unless `removeDuplicate` is false. */
  namedParameters(...args: NamedMembersArgs): Generator<[string, Parameter]> {
    const a = bindArgs<{ prefix: string; recurse: boolean; removeDuplicate: boolean }>("torch.nn.Module.named_parameters", args);
    return this.namedMembers((m) => m.ownParameters(), a.prefix, a.recurse, a.removeDuplicate);
  }
  /** The parameters in registration order: what an optimizer takes. */
  parameters(...args: PyArgs<[Param<"recurse", boolean, true>]>): Parameter[] {
    const recurse = args.length === 0 ? true : bindArgs<{ recurse: boolean }>("torch.nn.Module.parameters", args).recurse;
    return Array.from(this.namedMembers((m) => m.ownParameters(), "", recurse, true), ([, p]) => p);
  }

  /** Buffers (persistent or not) as [qualified name, buffer]; shared ones once unless `removeDuplicate` is false. */
  namedBuffers(...args: NamedMembersArgs): Generator<[string, Tensor]> {
    const a = bindArgs<{ prefix: string; recurse: boolean; removeDuplicate: boolean }>("torch.nn.Module.named_buffers", args);
    return this.namedMembers((m) => m.ownBuffers(false), a.prefix, a.recurse, a.removeDuplicate);
  }
  buffers(...args: PyArgs<[Param<"recurse", boolean, true>]>): Tensor[] {
    const { recurse } = bindArgs<{ recurse: boolean }>("torch.nn.Module.buffers", args);
    return Array.from(this.namedMembers((m) => m.ownBuffers(false), "", recurse, true), ([, b]) => b);
  }

  /** An attribute by its key (`pos_encoder`) or property name (`posEncoder`), as Python's getattr. */
  private attribute(name: string): { found: boolean; value?: unknown; property?: string } {
    const slots = this as unknown as Slots;
    for (const property of Object.keys(slots)) {
      if (this.keyOf(property) === name) return { found: true, value: slots[property], property };
    }
    if (name in slots) return { found: true, value: slots[name], property: Object.prototype.hasOwnProperty.call(slots, name) ? name : undefined };
    return { found: false };
  }

  /** The submodule at a dotted path (`"layer1.0.conv"`); `""` is this module. */
  getSubmodule(target: string): Module;
  getSubmodule(options: { target: string }): Module;
  getSubmodule(...args: unknown[]): Module {
    const { target } = bindArgs<{ target: string }>("torch.nn.Module.get_submodule", args);
    return this.submodule(target);
  }
  private submodule(target: string): Module {
    if (target === "") return this;
    let module: Module = this;
    for (const item of target.split(".")) {
      const found = module.attribute(item);
      if (!found.found) throw new Error(`${module.constructor.name} has no attribute \`${item}\``);
      if (!(found.value instanceof Module)) throw new Error(`\`${item}\` is not an nn.Module`);
      module = found.value;
    }
    return module;
  }

  /** The parameter at a dotted path (`"layer1.0.conv.weight"`). */
  getParameter(target: string): Parameter;
  getParameter(options: { target: string }): Parameter;
  getParameter(...args: unknown[]): Parameter {
    const { target } = bindArgs<{ target: string }>("torch.nn.Module.get_parameter", args);
    const [module, name] = this.owner(target);
    const found = module.attribute(name);
    if (!found.found) throw new Error(`${module.constructor.name} has no attribute \`${name}\``);
    if (!(found.value instanceof Parameter)) throw new Error(`\`${name}\` is not an nn.Parameter`);
    return found.value;
  }

  /** The buffer at a dotted path (`"bn.running_mean"`). */
  getBuffer(target: string): Tensor;
  getBuffer(options: { target: string }): Tensor;
  getBuffer(...args: unknown[]): Tensor {
    const { target } = bindArgs<{ target: string }>("torch.nn.Module.get_buffer", args);
    const [module, name] = this.owner(target);
    const found = module.attribute(name);
    if (!found.found) throw new Error(`${module.constructor.name} has no attribute \`${name}\``);
    if (found.property === undefined || !module.isBuffer(found.property, found.value)) throw new Error(`\`${name}\` is not a buffer`);
    return found.value as Tensor;
  }

  /** The module owning a dotted path's last name, and that name (Python's target.rpartition(".")). */
  private owner(target: string): [Module, string] {
    const dot = target.lastIndexOf(".");
    return [this.submodule(dot < 0 ? "" : target.slice(0, dot)), target.slice(dot + 1)];
  }

  /** Sets the submodule at a dotted path (`"layer1.0"`), as Python's set_submodule (2.x). */
  setSubmodule(target: string, module: Module | null): void;
  setSubmodule(options: { target: string; module: Module | null }): void;
  setSubmodule(...args: unknown[]): void {
    const { target, module } = bindArgs<{ target: string; module: Module | null }>("torch.nn.Module.set_submodule", args);
    if (target === "") throw new Error("Cannot set the submodule without a target name!");
    const [parent, name] = this.owner(target);
    const found = parent.attribute(name);
    (parent as unknown as Slots)[found.property ?? name] = module;
  }

  /** The extra state to save under `<prefix>_extra_state`; override it together with `setExtraState`. */
  getExtraState(): unknown {
    bind("torch.nn.Module.get_extra_state", arguments);
    throw new Error(
      "Reached a code path in Module.get_extra_state() that should never be called. Please file an issue at " +
        "https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml to report this bug.",
    );
  }
  /** Loads the extra state `getExtraState` saved; override it together with `getExtraState`. */
  setExtraState(state: unknown): void;
  setExtraState(...args: unknown[]): void {
    bind("torch.nn.Module.set_extra_state", args);
    throw new Error(
      "Reached a code path in Module.set_extra_state() that should never be called. Please file an issue at " +
        "https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml to report this bug.",
    );
  }

  // ---- modes and conversions ----

  /** Sets training mode on this module and, through their own `train`, its children; returns this. */
  train(...args: PyArgs<[Param<"mode", boolean, true>]>): this {
    const { mode } = bindArgs<{ mode: boolean }>("torch.nn.Module.train", args);
    this.training = mode;
    for (const child of this.uniqueChildren()) child[1].train(mode);
    return this;
  }
  eval(): this {
    bind("torch.nn.Module.eval", arguments);
    return this.train(false);
  }

  /** Applies `fn` to every submodule (children first) and then this one; returns this. */
  apply(fn: (module: Module) => void): this;
  apply(options: { fn: (module: Module) => void }): this;
  apply(...args: unknown[]): this {
    const { fn } = bindArgs<{ fn: (module: Module) => void }>("torch.nn.Module.apply", args);
    this.applyRecursively(fn);
    return this;
  }
  private applyRecursively(fn: (module: Module) => void): void {
    for (const [, child] of this.uniqueChildren()) child.applyRecursively(fn);
    fn(this);
  }

  /** Sets `requiresGrad` on every parameter; returns this. */
  requiresGrad_(...args: PyArgs<[Param<"requiresGrad", boolean, true>]>): this {
    const { requiresGrad } = bindArgs<{ requiresGrad: boolean }>("torch.nn.Module.requires_grad_", args);
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Clears the gradients of all parameters: by default sets them to undefined (PyTorch 2.x's
   * default on every version, src/torch/binding/deviations.ts); `setToNone: false` zeroes them.
   */
  zeroGrad(...args: PyArgs<[Param<"setToNone", boolean, true>]>): void {
    // the common call, zeroGrad(), skips the binder: it runs every training step
    const setToNone = args.length === 0 ? true : bindArgs<{ setToNone: boolean }>("torch.nn.Module.zero_grad", args).setToNone;
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
          if (g.gradFn === null) g.requiresGrad_(false).zero_();
          else p.grad = g.detach().zero_();
        }
      }),
    );
  }

  /**
   * Python's Module._apply: `fn` on the parameters, their gradients and the buffers of this
   * module (and, with `recurse`, of those below). Parameters and buffers keep their identity
   * (an optimizer built before still holds them): a changed tensor's data is set in place.
   */
  private applyToTensors(fn: (t: Tensor) => Tensor, recurse = true): this {
    if (recurse) for (const [, child] of this.uniqueChildren()) child.applyToTensors(fn, recurse);
    noGrad(() => {
      for (const [, p] of this.ownParameters()) {
        const moved = fn(p);
        if (moved !== p) p.setData(moved);
        const g = p.grad;
        if (g !== undefined) {
          const movedGrad = fn(g);
          if (movedGrad !== g) p.grad = movedGrad;
        }
      }
      for (const [, b] of this.ownBuffers(false)) {
        const moved = fn(b);
        if (moved !== b) b.setData(moved);
      }
    });
    return this;
  }

  /**
   * Moves and/or casts parameters and buffers (Python's forms): `to("cuda")`, `to("float64")`,
   * `to(tensor)`, `to("cuda", "float16")`, `to({ device, dtype })`. Only floating-point and
   * complex tensors change dtype. A blocking copy is what `nonBlocking` permits, so it is taken.
   */
  to(device: Device | number | null, dtype?: DType | null, nonBlocking?: boolean, options?: { memoryFormat?: null }): this;
  to(dtype: DType, nonBlocking?: boolean): this;
  to(tensor: Tensor, nonBlocking?: boolean): this;
  to(options: ToOptions): this;
  to(...given: unknown[]): this {
    // Python's overloads to(dtype, non_blocking) and to(tensor, non_blocking) put a bool second.
    const overloaded = given.length >= 2 && typeof given[1] === "boolean" && (given[0] instanceof Tensor || (typeof given[0] === "string" && !isDeviceString(given[0])));
    const args = overloaded ? [given[0], null, ...given.slice(1)] : given;
    const a = bindArgs<{ device: Device | DType | Tensor | number | null; dtype: DType | null; nonBlocking: boolean }>("torch.nn.Module.to", args);
    let device: Device | undefined;
    let dtype: DType | undefined = a.dtype ?? undefined;
    const first = a.device;
    if (first instanceof Tensor) {
      device = first.device;
      dtype = first.dtype;
    } else if (typeof first === "number") {
      device = `cuda:${first}`;
    } else if (typeof first === "string") {
      if (isDeviceString(first)) device = first;
      else if (dtype !== undefined) throw new TypeError(`Module.to(): two dtypes given (${first} and ${dtype})`);
      else dtype = first as DType;
    }
    if (dtype !== undefined && !FLOATING.has(dtype)) {
      throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dtype}`);
    }
    if (dtype === "complex64" || dtype === "complex128") {
      process.emitWarning(
        "Complex modules are a new feature under active development whose design may change, and some modules might not " +
          "work as expected when using complex tensors as parameters or buffers. Please file an issue at " +
          "https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml if a complex module does not work as expected.",
      );
    }
    return this.applyToTensors((t) => t.to({ device, dtype: dtype !== undefined && FLOATING.has(t.dtype) ? dtype : undefined }));
  }
  /** Moves parameters and buffers to a CUDA device: the current one, an index or `"cuda:1"`. */
  cuda(...args: PyArgs<[Param<"device", Device | number | null, true>]>): this {
    const { device } = bindArgs<{ device: Device | number | null }>("torch.nn.Module.cuda", args);
    const target = device === null ? "cuda" : typeof device === "number" ? `cuda:${device}` : device;
    if (!target.startsWith("cuda")) throw new Error(`Invalid device, must be cuda device`);
    return this.applyToTensors((t) => t.to({ device: target as Device }));
  }
  cpu(): this {
    bind("torch.nn.Module.cpu", arguments);
    return this.applyToTensors((t) => t.to({ device: "cpu" }));
  }
  /** Casts every parameter and buffer, integral ones too (`"float64"`, `"torch.DoubleTensor"`). */
  type(dstType: DType | string): this;
  type(options: { dstType: DType | string }): this;
  type(...args: unknown[]): this {
    const { dstType } = bindArgs<{ dstType: string }>("torch.nn.Module.type", args);
    return this.applyToTensors((t) => (t as unknown as { type(dtype: string): Tensor }).type(dstType));
  }
  /** Casts floating-point parameters and buffers to float32. */
  float(): this {
    bind("torch.nn.Module.float", arguments);
    return this.castFloating("float32");
  }
  double(): this {
    bind("torch.nn.Module.double", arguments);
    return this.castFloating("float64");
  }
  half(): this {
    bind("torch.nn.Module.half", arguments);
    return this.castFloating("float16");
  }
  bfloat16(): this {
    bind("torch.nn.Module.bfloat16", arguments);
    return this.castFloating("bfloat16");
  }
  private castFloating(dtype: DType): this {
    return this.applyToTensors((t) => (REAL_FLOATING.has(t.dtype) ? t.to(dtype) : t));
  }
  /** Gives every parameter and buffer new uninitialized storage on `device` (Python's to_empty). */
  toEmpty(options: { device: Device; recurse?: boolean }): this;
  toEmpty(...args: unknown[]): this {
    const { device, recurse } = bindArgs<{ device: Device; recurse: boolean }>("torch.nn.Module.to_empty", args);
    return this.applyToTensors((t) => emptyLike(t, { device }), recurse);
  }

  // ---- state dict ----

  /**
   * Parameters and persistent buffers by PyTorch's keys (`0.weight`, `bn.running_mean`,
   * `bn.num_batches_tracked`), in registration order, then the children's (a module shared
   * under two names under both, as Python's). Values share storage with the module's tensors
   * and are detached, unless `keepVars`. `destination` receives the entries and is returned.
   */
  stateDict(options?: StateDictOptions): StateDict;
  stateDict(...args: unknown[]): StateDict {
    const a = bindArgs<{ args: unknown[]; destination: StateDict | null; prefix: string; keepVars: boolean }>("torch.nn.Module.state_dict", args);
    let { destination, prefix, keepVars } = a;
    if (a.args.length > 0) {
      // Python's deprecated positional form state_dict(destination, prefix, keep_vars).
      const [d, p, k] = a.args;
      destination ??= d as StateDict | null;
      if (a.args.length > 1 && prefix === "") prefix = p as string;
      if (a.args.length > 2 && keepVars === false) keepVars = k as boolean;
      if ((destination !== null && typeof destination !== "object") || typeof prefix !== "string" || typeof keepVars !== "boolean") {
        throw new TypeError("Module.stateDict(): positional arguments are (destination: object, prefix: string, keepVars: boolean)");
      }
      process.emitWarning(
        "Positional args are being deprecated, use kwargs instead. Refer to " +
          "https://pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module.state_dict for details.",
      );
    }
    if (destination instanceof Map) throw new TypeError("nn.Module.stateDict(): destination must be a record (a plain object), not a Map");
    const out: StateDict = destination ?? {};
    const localMetadata: Record<string, unknown> = { version: (this.constructor as typeof Module)._version };
    for (const { hook } of this._stateDictPreHooks.values()) hook(this, prefix, keepVars);
    this.saveToStateDict(out, prefix, keepVars);
    for (const [name, child] of this.ownModules()) child.stateDict({ destination: out, prefix: `${prefix}${name}.`, keepVars });
    for (const { hook } of this._stateDictHooks.values()) {
      const result: unknown = hook(this, out, prefix, localMetadata);
      if (result !== undefined && result !== null) throw new Error("state_dict post-hook must return None");
    }
    return out;
  }

  /** This module's own entries (Python's _save_to_state_dict): parameters, persistent buffers, extra state. */
  protected saveToStateDict(destination: StateDict, prefix: string, keepVars: boolean): void {
    for (const [key, p] of this.ownParameters()) destination[prefix + key] = keepVars ? p : p.detach();
    for (const [key, b] of this.ownBuffers(true)) destination[prefix + key] = keepVars ? b : b.detach();
    if (this.getExtraState !== Module.prototype.getExtraState) {
      (destination as Record<string, unknown>)[prefix + EXTRA_STATE_KEY_SUFFIX] = this.getExtraState();
    }
  }

  /**
   * Copies parameters and buffers from `stateDict` (a record or a Map keyed as `stateDict()`),
   * or with `assign` puts its tensors in their place (the module then holds them). With `strict`
   * (default), missing or unexpected keys are an error listing them all, as PyTorch's message;
   * shape mismatches are always errors. Returns the missing and unexpected keys.
   */
  loadStateDict(...args: LoadStateDictArgs): IncompatibleKeys {
    const { stateDict, strict, assign } = bindArgs<{ stateDict: StateDictInput; strict: boolean; assign: boolean }>("torch.nn.Module.load_state_dict", args);
    const state: Record<string, unknown> = {};
    const entries = stateDict instanceof Map ? stateDict.entries() : Object.entries(stateDict);
    for (const [key, value] of entries) state[key as string] = value;
    // A Python checkpoint's OrderedDict keeps its _metadata (per-module versions) as a hidden property.
    const metadata = (stateDict as { _metadata?: unknown })._metadata;
    this.renameKeysAsWritten(state);
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errorMsgs: string[] = [];
    const incompatible: IncompatibleKeys = { missingKeys, unexpectedKeys };
    const load = (module: Module, local: Record<string, unknown>, prefix: string): void => {
      const localMetadata = { ...metadataOf(metadata, prefix.slice(0, -1)) };
      if (assign) localMetadata.assign_to_params_buffers = assign;
      module.loadFromStateDict(local, prefix, localMetadata, true, missingKeys, unexpectedKeys, errorMsgs);
      for (const [name, child] of module.ownModules()) {
        const childPrefix = `${prefix}${name}.`;
        const childState: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(local)) if (key.startsWith(childPrefix)) childState[key] = value;
        load(child, childState, childPrefix);
      }
      for (const { hook } of module._loadStateDictPostHooks.values()) {
        const out: unknown = hook(module, incompatible);
        if (out !== undefined && out !== null) {
          throw new Error(
            "Hooks registered with ``register_load_state_dict_post_hook`` are not expected to return new values, if " +
              "incompatible_keys need to be modified, it should be done inplace.",
          );
        }
      }
    };
    load(this, state, "");
    if (strict) {
      if (unexpectedKeys.length > 0) errorMsgs.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}. `);
      if (missingKeys.length > 0) errorMsgs.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}. `);
    }
    if (errorMsgs.length > 0) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errorMsgs.join("\n\t")}`);
    }
    return incompatible;
  }

  /**
   * Loads this module's own entries from its part of the state dict (Python's
   * _load_from_state_dict): runs the load pre-hooks, copies (or assigns) each parameter and
   * persistent buffer, the extra state, and lists missing and (with `strict`) unexpected keys.
   */
  protected loadFromStateDict(
    stateDict: Record<string, unknown>,
    prefix: string,
    localMetadata: Record<string, unknown>,
    strict: boolean,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
  ): void {
    for (const { hook } of this._loadStateDictPreHooks.values()) {
      hook(this, stateDict, prefix, localMetadata, strict, missingKeys, unexpectedKeys, errorMsgs);
    }
    const localState = new Map<string, [Tensor, string]>();
    for (const [key, p, property] of this.ownParameters()) localState.set(key, [p, property]);
    for (const [key, b, property] of this.ownBuffers(true)) localState.set(key, [b, property]);
    const assign = localMetadata.assign_to_params_buffers === true;
    for (const [name, [param, property]] of localState) {
      const key = prefix + name;
      if (!hasKey(stateDict, key)) {
        if (strict) missingKeys.push(key);
        continue;
      }
      const given = stateDict[key];
      if (!(given instanceof Tensor)) {
        errorMsgs.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyClass(given)}`);
        continue;
      }
      let input: Tensor = given;
      const lazy = isLazy(param);
      // Backward compatibility: a 1-element 1-d tensor of torch 0.3 loads into a 0-d one.
      if (!lazy && param.dim() === 0 && input.dim() === 1) input = input.idx(0) as Tensor;
      if (!lazy && !sameShape(input.shape, param.shape)) {
        errorMsgs.push(
          `size mismatch for ${key}: copying a param with shape ${pySize(input.shape)} from checkpoint, ` +
            `the shape in current model is ${pySize(param.shape)}.`,
        );
        continue;
      }
      const source = input;
      try {
        noGrad(() => {
          // A Lazy module's placeholder takes the checkpoint's shape (Python's _lazy_load_hook).
          if (isLazy(param)) param.materialize(source.shape);
          if (!assign) param.copy_(source);
          else if (param instanceof Parameter) {
            (this as unknown as Slots)[property] = source instanceof Parameter ? source.requiresGrad_(param.requiresGrad) : new Parameter(source, param.requiresGrad);
          } else {
            this.registerBuffer(property, source);
          }
        });
      } catch (error) {
        errorMsgs.push(
          `While copying the parameter named "${key}", whose dimensions in the model are ${pySize(param.shape)} and ` +
            `whose dimensions in the checkpoint are ${pySize(source.shape)}, an exception occurred : ('${error instanceof Error ? error.message : String(error)}',).`,
        );
      }
    }
    const extraStateKey = prefix + EXTRA_STATE_KEY_SUFFIX;
    if (this.setExtraState !== Module.prototype.setExtraState) {
      if (hasKey(stateDict, extraStateKey)) this.setExtraState(stateDict[extraStateKey]);
      else if (strict) missingKeys.push(extraStateKey);
    } else if (strict && hasKey(stateDict, extraStateKey)) {
      unexpectedKeys.push(extraStateKey);
    }
    if (!strict) return;
    const children = new Set(Array.from(this.ownModules(), ([key]) => key));
    for (const key of Object.keys(stateDict)) {
      if (!key.startsWith(prefix) || key === extraStateKey) continue;
      const rest = key.slice(prefix.length);
      const dot = rest.indexOf(".");
      const first = dot < 0 ? rest : rest.slice(0, dot);
      // torch 2.x: a dotted name must be a child's; 1.13 takes any child, parameter or buffer name.
      const known = version.major >= 2 ? (dot >= 0 ? children.has(first) : localState.has(first)) : children.has(first) || localState.has(first);
      if (!known) unexpectedKeys.push(key);
    }
  }

  /**
   * Checkpoints saved before keys were snake_case hold the property names as written
   * (`posEncoder.pe` for `pos_encoder.pe`): such a key is read as the key it stands for.
   */
  private renameKeysAsWritten(state: Record<string, unknown>): void {
    const visit = (module: Module, prefix: string, rawPrefix: string): void => {
      const alias = (key: string, raw: string): void => {
        if (key !== raw && !hasKey(state, key) && hasKey(state, raw)) {
          state[key] = state[raw];
          delete state[raw];
        }
      };
      for (const [key, , property] of module.ownParameters()) alias(prefix + key, rawPrefix + property);
      for (const [key, , property] of module.ownBuffers(true)) alias(prefix + key, rawPrefix + property);
      alias(prefix + EXTRA_STATE_KEY_SUFFIX, rawPrefix + EXTRA_STATE_KEY_SUFFIX);
      for (const [key, child, property] of module.ownModules()) visit(child, `${prefix}${key}.`, `${rawPrefix}${property}.`);
    };
    visit(this, "", "");
  }

  // ---- printing ----

  /** The text inside this module's parentheses in `toString()` (`in_features=3, ...`). */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's module printout: the class name, `extraRepr()` and the children, indented. */
  toString(): string {
    const extraLines: string[] = [];
    const extra = this.extraRepr();
    if (extra) extraLines.push(...extra.split("\n"));
    const childLines = Array.from(this.ownModules(), ([name, child]) => `(${name}): ${child.toString().split("\n").join("\n  ")}`);
    const lines = [...extraLines, ...childLines];
    const name = this.constructor.name;
    if (lines.length === 0) return `${name}()`;
    if (extraLines.length === 1 && childLines.length === 0) return `${name}(${extraLines[0]})`;
    return `${name}(\n  ${lines.join("\n  ")}\n)`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

registerTypeCheck("Module", (value) => value instanceof Module);
registerTypeCheck("Set", (value) => value instanceof Set);

function mapGenerator<T, U>(source: Generator<T>, fn: (value: T) => U): Generator<U> {
  return (function* () {
    for (const value of source) yield fn(value);
  })();
}

/** Whether a state dict (a plain record) holds `key` itself, not through its prototype. */
function hasKey(record: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** How Python prints the type of a value (`<class 'int'>`). */
function pyClass(value: unknown): string {
  const name =
    value === null || value === undefined ? "NoneType"
    : typeof value === "number" ? (Number.isInteger(value) ? "int" : "float")
    : typeof value === "boolean" ? "bool"
    : typeof value === "string" ? "str"
    : typeof value === "bigint" ? "int"
    : Array.isArray(value) ? "list"
    : ((value as object).constructor?.name ?? "object");
  return `<class '${name}'>`;
}

/** A shape as Python prints a torch.Size. */
function pySize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(", ")}])`;
}

/** The metadata of the module at `path` in a checkpoint's `_metadata` (a Map or a record), or {}. */
function metadataOf(metadata: unknown, path: string): Record<string, unknown> {
  const entry = metadata instanceof Map ? metadata.get(path) : metadata !== null && typeof metadata === "object" ? (metadata as Record<string, unknown>)[path] : undefined;
  if (entry instanceof Map) return Object.fromEntries(entry) as Record<string, unknown>;
  return entry !== null && typeof entry === "object" ? { ...(entry as Record<string, unknown>) } : {};
}

function checkName(module: Module, name: string, kind: string): void {
  if (name === "") throw new Error(`${kind} name can't be empty string ""`);
  if (name.includes(".")) throw new Error(kind === "module" ? `module name can't contain ".", got: ${name}` : `${kind} name can't contain "."`);
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
