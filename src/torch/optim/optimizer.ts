// The base of every optimizer (torch.optim.Optimizer): parameter groups with per-group options,
// per-parameter state, `zeroGrad`, and state dicts in PyTorch's exact layout. A subclass written
// as in Python overrides `step(closure)`, reads `p.grad`, keeps tensors in `this.state.get(p)` and
// updates under `torch.noGrad` (see `Optimizer`'s example).
//
// The built-in optimizers extend `ForeachOptimizer`: their per-parameter state lives as raw
// native handles, never as tracked Tensors (a step taken inside a user's `tidy()` scope must not
// free momentum buffers), and updates run as multi-tensor `_foreach_*` ops over a whole group
// (see foreach.ts), so a step costs a few native calls per group, not per parameter.
import type { Handle, NativeAddon } from "../native.js";
import { native, Tensor, describe } from "../tensor/tensor.js";
import { untrack } from "../tensor/scope.js";
import { bindArgs, registerTypeCheck, type Param, type PyArgs, type PySignatures } from "../binding/index.js";
import { scalarTensor } from "../tensor/creation.js";
import { dtypeFromCode, isFloatingDtype } from "../tensor/dtype.js";
import { PyTuple } from "../serialization/records.js";
import * as F from "./foreach.js";

/** The options every param group has; each optimizer adds its own (camelCase). */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  /** Options added by others (schedulers put `initialLr` here, as Python's `initial_lr`). */
  [option: string]: unknown;
}

/** What a constructor takes: an iterable of tensors, or groups with options overriding defaults. */
export type ParamsInput<O> = Iterable<Tensor> | readonly ParamGroupInput<O>[];
export type ParamGroupInput<O> = { params: Iterable<Tensor> | Tensor } & Partial<O> & { [option: string]: unknown };

/** One parameter's state: tensors (handles), numbers (`step`) or null (SGD's unset buffer). */
export type ParamState = Record<string, Handle | number | null>;

type Refined<Ps, R> = {
  [I in keyof Ps]: Ps[I] extends Param<infer N, unknown, infer Opt> ? (N extends keyof R ? Param<N, R[N], Opt> : Ps[I]) : Ps[I];
};
/**
 * The call forms of a built-in optimizer `Q` (Python's parameters positionally, or by name in one
 * trailing options object), with `params` and the options typed by `O`.
 */
export type OptimizerArgs<Q extends keyof PySignatures, O> = RefinedArgs<Q, { params: ParamsInput<O> } & O>;

/** The call forms of the Python callable `Q`, with the parameters named in `R` typed by `R`. */
export type RefinedArgs<Q extends keyof PySignatures, R> = PyArgs<
  Extract<Refined<PySignatures[Q]["p"], R>, readonly Param[]>,
  Extract<Refined<PySignatures[Q]["k"], R>, readonly Param[]>
>;

/** Binds a built-in optimizer's arguments: its params and every option (Python's defaults filled in). */
export function bindOptimizer<O>(qualname: keyof PySignatures, args: ArrayLike<unknown>): { params: ParamsInput<O>; options: O } {
  const { params, ...options } = bindArgs<{ params: ParamsInput<O> } & Record<string, unknown>>(qualname, args);
  return { params, options: options as O };
}

/** PyTorch's `optimizer.state_dict()`: `state` keyed by parameter index, groups in snake_case. */
export interface OptimizerStateDict {
  state: Map<number, Record<string, unknown>>;
  param_groups: (Record<string, unknown> & { params: number[] })[];
}

/** camelCase option name -> PyTorch's snake_case key (`weightDecay` -> `weight_decay`). */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}
/** PyTorch's snake_case key -> our camelCase option name. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** One parameter's state in a user-written optimizer: Python's `optimizer.state[p]` dict. */
export type OptimizerState = Record<string, unknown>;

/** Keeps tensors stored in a state entry alive past the `tidy()` scope they were made in. */
function keeping(entry: OptimizerState): OptimizerState {
  for (const v of Object.values(entry)) if (v instanceof Tensor) untrack(v);
  return new Proxy(entry, {
    set(target, key, value: unknown) {
      if (value instanceof Tensor) untrack(value);
      return Reflect.set(target, key, value);
    },
  });
}

/**
 * `optimizer.state`: each parameter's state, created empty on first `get` (Python's
 * `defaultdict(dict)`), in the order parameters first got state. Tensors stored in it outlive
 * `tidy()` scopes.
 */
export class ParamStateMap extends Map<Tensor, OptimizerState> {
  override get(param: Tensor): OptimizerState {
    let entry = super.get(param);
    if (entry === undefined) super.set(param, (entry = keeping({})));
    return entry;
  }
  override set(param: Tensor, entry: OptimizerState): this {
    return super.set(param, keeping(entry));
  }
}

/**
 * The base class of optimizers (torch.optim.Optimizer). A subclass passes its parameters and its
 * default options to `super`, and overrides `step`.
 *
 * @param params - an iterable of Tensors, or of groups `{ params, ...options }`
 * @param defaults - the options a group takes when it does not set them
 *
 * @example
 * class MySGD extends optim.Optimizer<{ lr: number; momentum: number }> {
 *   constructor(params: Iterable<Tensor>, lr = 0.01, momentum = 0.9) { super(params, { lr, momentum }); }
 *   override step(closure?: () => Tensor): Tensor | undefined {
 *     const loss = closure === undefined ? undefined : torch.enableGrad(closure);
 *     torch.noGrad(() => {
 *       for (const group of this.paramGroups) for (const p of group.params) {
 *         if (p.grad === undefined) continue;
 *         const state = this.state.get(p);
 *         const buf = (state.momentumBuffer as Tensor | undefined)?.mul_(group.momentum).add_(p.grad) ?? (state.momentumBuffer = p.grad.clone());
 *         p.add_(buf, { alpha: -group.lr });
 *       }
 *     });
 *     return loss;
 *   }
 * }
 */
export class Optimizer<O extends object = Record<string, unknown>> {
  /** The options a group takes when it does not set them. */
  readonly defaults: Readonly<O>;
  /** The parameter groups; their options may be changed between steps (schedulers do). */
  readonly paramGroups: (ParamGroup & O)[] = [];
  /** Keys of the options in PyTorch's order (the state dict writes them in this order). */
  private readonly optionOrder: string[];
  private readonly ownState = new ParamStateMap();

  constructor(params: ParamsInput<O>, defaults: O) {
    if (typeof defaults !== "object" || defaults === null) throw new TypeError(`Optimizer(): defaults must be an object, got ${describe(defaults)}`);
    this.defaults = Object.freeze({ ...defaults });
    this.optionOrder = Object.keys(defaults);
    if (params instanceof Tensor) {
      throw new TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, but got a Tensor");
    }
    if (params === null || typeof params !== "object" || typeof (params as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${describe(params)}`);
    }
    const list = Array.isArray(params) ? params : Array.from(params as Iterable<Tensor>);
    if (list.length === 0) throw new Error("optimizer got an empty parameter list");
    const groups: ParamGroupInput<O>[] =
      list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>] : (list as ParamGroupInput<O>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /**
   * Each parameter's state, as Python's `optimizer.state[p]` (a dict created on first access).
   * The built-in optimizers return a view: their tensors share memory with the optimizer's own,
   * and `step` is a number or a 0-d tensor as in PyTorch.
   */
  get state(): ParamStateMap {
    return this.ownState;
  }

  /**
   * Performs one update. A subclass overrides it: `closure`, if given, re-evaluates the model
   * and returns the loss, which step returns.
   */
  step(closure?: () => unknown): unknown {
    void closure;
    throw new Error(`${this.constructor.name}.step(): not implemented (a subclass of Optimizer overrides step)`);
  }


  /** Adds a group of parameters with its own options (the rest from `defaults`). */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (typeof group !== "object" || group === null || !("params" in group)) {
      throw new TypeError(`addParamGroup(): expected { params, ...options }, got ${describe(group)}`);
    }
    const raw = group.params;
    if (raw instanceof Tensor) {
      // one tensor is allowed, as in Python
    } else if (raw === undefined || typeof (raw as Iterable<Tensor>)[Symbol.iterator] !== "function") {
      throw new TypeError(`optimizer params must be an iterable of Tensors, got ${describe(raw)}`);
    }
    const params = raw instanceof Tensor ? [raw] : Array.from(raw as Iterable<Tensor>);
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, got ${describe(p)}`);
      if (!p.isLeaf) throw new Error("can't optimize a non-leaf Tensor");
    }
    if (new Set(params).size !== params.length) {
      throw new Error("optimizer contains a parameter group with duplicate parameters");
    }
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (params.includes(p)) throw new Error("some parameters appear in more than one parameter group");
      }
    }
    // Python's order: the group's own options as given, then the defaults it lacks
    const full: Record<string, unknown> = { params };
    for (const [key, value] of Object.entries(group)) if (key !== "params") full[key] = value;
    for (const key of this.optionOrder) if (!(key in full)) full[key] = (this.defaults as Record<string, unknown>)[key];
    this.validate(full as ParamGroup & O);
    this.paramGroups.push(full as ParamGroup & O);
  }

  /** Checks a group's options (Python's "Invalid learning rate: -1" errors). */
  protected validate(group: ParamGroup & O): void {
    checkNonNegative("learning rate", group.lr);
  }

  /**
   * Resets the gradients of all optimized tensors: to undefined (default, PyTorch 2's default:
   * less memory, and the next backward writes instead of adding), or to zeros.
   */
  zeroGrad(...args: [setToNone?: boolean] | [options: { setToNone?: boolean }]): void {
    const N = native();
    // the common call, zeroGrad(), skips the binder: it runs every training step
    const setToNone = args.length === 0 ? true : bindArgs<{ setToNone: boolean }>("torch.optim.Optimizer.zero_grad", args).setToNone;
    const zeroing: Handle[] = [];
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = N.grad(p._h);
        if (g === undefined) continue;
        if (setToNone) N.setGrad(p._h, undefined);
        else {
          if (N.gradFnName(g) !== null) N.setGrad(p._h, N.detach(g)); // a grad with history: cut it, as Python's detach_()
          zeroing.push(N.grad(p._h)!);
        }
        N.dispose(g);
      }
    }
    if (zeroing.length) withoutGrad(N, () => F.zero_(zeroing));
    F.release(zeroing);
  }

  /**
   * PyTorch's `state_dict()`: `{ state: Map(index -> {step, exp_avg, ...}), param_groups:
   * [{ lr, betas, weight_decay, ..., params: [indices] }] }`. Parameters are numbered in group
   * order from 0. The tensors share memory with the optimizer's state (save or clone them).
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups: OptimizerStateDict["param_groups"] = [];
    for (const group of this.paramGroups) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(group)) {
        if (k === "params") continue;
        out[snakeCase(k)] = k === "betas" && Array.isArray(v) ? PyTuple.fromItems(v) : v;
      }
      out.params = group.params.map((p) => {
        let i = index.get(p);
        if (i === undefined) index.set(p, (i = index.size));
        return i;
      });
      paramGroups.push(out as Record<string, unknown> & { params: number[] });
    }
    const state = new Map<number, OptimizerState>();
    for (const [p, s] of this.stateEntries()) {
      const i = index.get(p);
      if (i !== undefined) state.set(i, s);
    }
    return { state, param_groups: paramGroups };
  }

  /** Each parameter's state as the state dict holds it. */
  protected stateEntries(): Iterable<[Tensor, OptimizerState]> {
    return this.ownState.entries();
  }

  /** Replaces all state with loaded values (tensors as fresh handles in `{ handle }`). */
  protected replaceState(loaded: Map<Tensor, Record<string, unknown>>): void {
    this.ownState.clear();
    for (const [p, s] of loaded) {
      const entry: OptimizerState = {};
      for (const [k, v] of Object.entries(s)) entry[k] = isLoadedTensor(v) ? new Tensor(v.handle) : v;
      this.ownState.set(p, entry);
    }
  }


  /**
   * Loads a state dict from `stateDict()` or from Python's `optimizer.state_dict()` (through
   * `torch.load`). Groups must match in number and sizes. State tensors are copied, cast to their
   * parameter's dtype (floating-point params, except `step`) and moved to its device.
   */
  loadStateDict(stateDict: OptimizerStateDict | { state: unknown; param_groups: unknown }): void {
    const N = native();
    const savedGroups = stateDict?.param_groups;
    if (!Array.isArray(savedGroups)) throw new TypeError("loadStateDict(): param_groups must be an array");
    if (savedGroups.length !== this.paramGroups.length) {
      throw new Error("loaded state dict has a different number of parameter groups");
    }
    const byIndex = new Map<number, Tensor>();
    savedGroups.forEach((saved: unknown, gi: number) => {
      const ids = (saved as { params?: unknown }).params;
      const own = this.paramGroups[gi]!.params;
      if (!Array.isArray(ids) || ids.length !== own.length) {
        throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
      ids.forEach((id, j) => byIndex.set(Number(id), own[j]!));
    });
    const entries = stateEntries(stateDict.state);
    const withoutGrad_ = (fn: () => void): void => withoutGrad(N, fn);
    const newState = new Map<Tensor, Record<string, unknown>>();
    withoutGrad_(() => {
      for (const [key, value] of entries) {
        const p = byIndex.get(Number(key));
        if (p === undefined) continue; // Python keeps state of unknown keys aside; nothing uses it
        if (typeof value !== "object" || value === null) throw new TypeError(`loadStateDict(): state[${key}] must be an object`);
        const floating = isFloatingDtype(dtypeFromCode(N.dtype(p._h)));
        const s: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (v instanceof Tensor) {
            // a copy (handle), cast to the parameter's floating dtype and device; `step` keeps its dtype
            const dtype = floating && k !== "step" ? N.dtype(p._h) : undefined;
            s[k] = { handle: N.to(v._h, dtype, k === "step" ? undefined : N.device(p._h), true)! } satisfies LoadedTensor;
          } else if (v === undefined) s[k] = null;
          else if (typeof v === "bigint") s[k] = Number(v);
          else s[k] = v;
        }
        newState.set(p, s);
      }
    });
    this.replaceState(newState);
    savedGroups.forEach((saved: Record<string, unknown>, gi: number) => {
      const group = this.paramGroups[gi]! as Record<string, unknown>;
      for (const [k, v] of Object.entries(saved)) {
        if (k === "params") continue;
        group[camelCase(k)] = Array.isArray(v) ? [...(v as unknown[])] : v;
      }
    });
  }

  /** The number of parameters with state (tests and diagnostics). */
  get stateSize(): number {
    return [...this.stateEntries()].length;
  }
}

/**
 * The built-in optimizers' base: state as native handles, updates as multi-tensor ops over each
 * group (a subclass implements `initState` and `update`).
 */
export abstract class ForeachOptimizer<O extends object = Record<string, unknown>> extends Optimizer<O> {
  /** Per-parameter state in the order parameters first got state (as Python's dict). */
  protected readonly stateOf = new Map<Tensor, ParamState>();
  /** Whether `step` in the state dict is a float32 0-d tensor (Adam) or a Python int (RMSprop). */
  protected readonly stepIsTensor: boolean = true;

  protected constructor(params: ParamsInput<O>, defaults: O) {
    super(params, defaults);
  }

  /**
   * Performs one update of every parameter that has a gradient. `closure`, if given, re-evaluates
   * the model and returns the loss (with gradient recording on); step returns what it returned.
   */
  override step<L = undefined>(closure?: () => L): L | undefined {
    const N = native();
    let loss: L | undefined;
    if (closure) {
      const previous = N.setGradEnabled(true);
      try {
        loss = closure();
      } finally {
        N.setGradEnabled(previous);
      }
    }
    withoutGrad(N, () => {
      for (const group of this.paramGroups) {
        const params: Handle[] = [];
        const grads: Handle[] = [];
        const states: ParamState[] = [];
        for (const p of group.params) {
          const g = N.grad(p._h);
          if (g === undefined) continue;
          params.push(p._h);
          grads.push(g);
          let s = this.stateOf.get(p);
          if (s === undefined) {
            s = this.initState(group, p._h);
            if (this.keepsState(group)) this.stateOf.set(p, s);
          }
          states.push(s);
        }
        if (params.length) this.update(group, params, grads, states);
        F.release(grads);
      }
    });
    return loss;
  }

  /** Whether a group's parameters keep state between steps (SGD without momentum on 2.x does not). */
  protected keepsState(_group: ParamGroup & O): boolean {
    return true;
  }

  /** A parameter's fresh state (Python creates it on the parameter's first step). */
  protected abstract initState(group: ParamGroup & O, param: Handle): ParamState;

  /** Updates one group's parameters that have gradients; runs with gradient recording off. */
  protected abstract update(group: ParamGroup & O, params: Handle[], grads: Handle[], states: ParamState[]): void;

  /**
   * Every parameter's state, as Python's `optimizer.state[p]` (a view: tensors share memory with
   * the optimizer's own; `step` is a number or a 0-d tensor as in PyTorch).
   */
  override get state(): ParamStateMap {
    const view = new ParamStateMap();
    for (const [p, s] of this.stateEntries()) view.set(p, s);
    return view;
  }

  /** The state of one parameter as PyTorch shows it (tensors share memory with the optimizer's). */
  stateFor(param: Tensor): OptimizerState | undefined {
    const s = this.stateOf.get(param);
    return s === undefined ? undefined : this.exportState(s);
  }

  protected override *stateEntries(): Iterable<[Tensor, OptimizerState]> {
    for (const [p, s] of this.stateOf) yield [p, this.exportState(s)];
  }

  protected override replaceState(loaded: Map<Tensor, Record<string, unknown>>): void {
    const N = native();
    const next = new Map<Tensor, ParamState>();
    for (const [p, s] of loaded) {
      const entry: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        if (isLoadedTensor(v)) {
          if (k === "step") {
            const t = new Tensor(v.handle);
            entry[k] = Number(t.item());
            t.dispose();
          } else entry[k] = v.handle;
        } else if (v === null || typeof v === "number") entry[k] = v;
        else throw new TypeError(`loadStateDict(): state.${k} must be a Tensor, a number or null, got ${describe(v)}`);
      }
      next.set(p, entry);
    }
    for (const s of this.stateOf.values()) for (const v of Object.values(s)) if (v !== null && typeof v === "object") N.dispose(v);
    this.stateOf.clear();
    for (const [p, s] of next) this.stateOf.set(p, s);
  }

  private exportState(s: ParamState): Record<string, Tensor | number | null> {
    const N = native();
    const out: Record<string, Tensor | number | null> = {};
    for (const [k, v] of Object.entries(s)) {
      if (v === null) out[k] = null;
      else if (typeof v === "number") {
        out[k] = k === "step" && this.stepIsTensor ? scalarTensor(v, { dtype: "float32" }) : v;
      } else out[k] = new Tensor(N.detach(v)); // a new handle on the same memory: disposing it frees nothing of ours
    }
    return out;
  }
}

/** A tensor of a loaded state dict, copied to a fresh handle. */
interface LoadedTensor {
  handle: Handle;
}
function isLoadedTensor(v: unknown): v is LoadedTensor {
  return typeof v === "object" && v !== null && Object.keys(v).length === 1 && "handle" in v && !(v instanceof Tensor);
}

registerTypeCheck("Optimizer", (v) => v instanceof Optimizer);

function stateEntries(state: unknown): [string | number, unknown][] {
  if (state instanceof Map) return [...state.entries()] as [string | number, unknown][];
  if (typeof state === "object" && state !== null) return Object.entries(state);
  throw new TypeError(`loadStateDict(): state must be a Map or an object, got ${describe(state)}`);
}

/** Runs `fn` with gradient recording off (optimizer updates are not part of any graph). */
export function withoutGrad(N: NativeAddon, fn: () => void): void {
  const previous = N.setGradEnabled(false);
  try {
    fn();
  } finally {
    N.setGradEnabled(previous);
  }
}

export function checkNonNegative(what: string, value: unknown): void {
  if (typeof value !== "number" || !(value >= 0)) throw new RangeError(`Invalid ${what}: ${String(value)}`);
}

export function checkBeta(index: number, value: unknown): void {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) {
    throw new RangeError(`Invalid beta parameter at index ${index}: ${String(value)}`);
  }
}

/** Options PyTorch 1.13 keeps in every group that we accept but do not vary. */
export function checkUnsupported(group: Record<string, unknown>): void {
  if (group.differentiable === true) throw new Error("differentiable=true is not supported");
  if (group.capturable === true) throw new Error("capturable=true is not supported (CUDA graphs)");
  if (group.fused === true) throw new Error("fused=true is not supported");
}

/**
 * The gradient an update uses: negated when maximizing, plus weightDecay·p for L2 decay. The
 * second value lists the temporaries made here, for `F.release` after the update.
 */
export function effectiveGrads(grads: Handle[], params: Handle[], maximize: unknown, weightDecay: number): [Handle[], Handle[][]] {
  const temps: Handle[][] = [];
  let g = grads;
  if (maximize) temps.push((g = F.neg(g)));
  if (weightDecay !== 0) temps.push((g = F.addList(g, params, weightDecay)));
  return [g, temps];
}
