// The base of every optimizer (torch.optim.Optimizer): parameter groups with per-group options,
// lazily created per-parameter state, `zeroGrad`, and state dicts in PyTorch's exact layout.
//
// Per-parameter state lives as raw native handles, never as tracked Tensors: a step taken inside
// a user's `tidy()` scope must not have its momentum buffers freed when the scope ends. Updates
// run with gradient recording off, as multi-tensor `_foreach_*` ops over a whole group (see
// foreach.ts), so a step costs a few native calls per group, not per parameter.
import type { Handle, NativeAddon } from "../native.js";
import { native, Tensor, describe } from "../tensor/tensor.js";
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

/** PyTorch's `optimizer.state_dict()`: `state` keyed by parameter index, groups in snake_case. */
export interface OptimizerStateDict {
  state: Map<number, Record<string, Tensor | number | null>>;
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

export abstract class Optimizer<O extends object = Record<string, unknown>> {
  /** The options a group takes when it does not set them. */
  readonly defaults: Readonly<O>;
  /** The parameter groups; their options may be changed between steps (schedulers do). */
  readonly paramGroups: (ParamGroup & O)[] = [];
  /** Per-parameter state in the order parameters first got state (as Python's dict). */
  protected readonly stateOf = new Map<Tensor, ParamState>();
  /** Whether `step` in the state dict is a float32 0-d tensor (Adam) or a Python int (RMSprop). */
  protected readonly stepIsTensor: boolean = true;
  /** Keys of the options in PyTorch's order (the state dict writes them in this order). */
  private readonly optionOrder: string[];

  protected constructor(params: ParamsInput<O>, defaults: O) {
    this.defaults = Object.freeze({ ...defaults });
    this.optionOrder = Object.keys(defaults);
    const list = Array.isArray(params) ? params : Array.from(params as Iterable<Tensor>);
    if (list.length === 0) throw new Error("optimizer got an empty parameter list");
    const groups: ParamGroupInput<O>[] =
      list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>] : (list as ParamGroupInput<O>[]);
    for (const g of groups) this.addParamGroup(g);
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
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const N = native();
    const setToNone = options.setToNone ?? true;
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
   * Performs one update of every parameter that has a gradient. `closure`, if given, re-evaluates
   * the model and returns the loss (with gradient recording on); step returns what it returned.
   */
  step<L = undefined>(closure?: () => L): L | undefined {
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
   * Every parameter's state, as Python's `optimizer.state[p]` (tensors share memory with the
   * optimizer's own; `step` is a number or a 0-d tensor as in PyTorch).
   */
  get state(): Map<Tensor, Record<string, Tensor | number | null>> {
    const out = new Map<Tensor, Record<string, Tensor | number | null>>();
    for (const [p, s] of this.stateOf) out.set(p, this.exportState(s));
    return out;
  }

  /** The state of one parameter as PyTorch shows it (tensors share memory with the optimizer's). */
  stateFor(param: Tensor): Record<string, Tensor | number | null> | undefined {
    const s = this.stateOf.get(param);
    return s === undefined ? undefined : this.exportState(s);
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
    const state = new Map<number, Record<string, Tensor | number | null>>();
    for (const [p, s] of this.stateOf) {
      const i = index.get(p);
      if (i !== undefined) state.set(i, this.exportState(s));
    }
    return { state, param_groups: paramGroups };
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
    const newState = new Map<Tensor, ParamState>();
    withoutGrad_(() => {
      for (const [key, value] of entries) {
        const p = byIndex.get(Number(key));
        if (p === undefined) continue; // Python keeps state of unknown keys aside; nothing uses it
        if (typeof value !== "object" || value === null) throw new TypeError(`loadStateDict(): state[${key}] must be an object`);
        const floating = isFloatingDtype(dtypeFromCode(N.dtype(p._h)));
        const s: ParamState = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (v instanceof Tensor) {
            if (k === "step") s[k] = Number(v.item());
            else {
              const dtype = floating ? N.dtype(p._h) : undefined;
              s[k] = N.to(v._h, dtype, N.device(p._h), true)!;
            }
          } else if (v === null || v === undefined) s[k] = null;
          else if (typeof v === "number" || typeof v === "bigint") s[k] = Number(v);
          else throw new TypeError(`loadStateDict(): state[${key}].${k} must be a Tensor, a number or null, got ${describe(v)}`);
        }
        newState.set(p, s);
      }
    });
    for (const s of this.stateOf.values()) for (const v of Object.values(s)) if (v !== null && typeof v === "object") N.dispose(v);
    this.stateOf.clear();
    for (const [p, s] of newState) this.stateOf.set(p, s);
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
    return this.stateOf.size;
  }
}

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
