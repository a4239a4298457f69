// nn.Module's hooks: the ordered hook tables (torch/utils/hooks.py RemovableHandle, with
// `prepend`), and the machinery of the backward hooks: full backward (pre-)hooks through identity
// graph nodes around the module's tensors (torch/utils/hooks.py BackwardHook), and the deprecated
// non-full backward hooks on the output's grad_fn (torch/nn/modules/module.py _call_impl).
import { Tensor, describe, native } from "../tensor/tensor.js";
import { isGradEnabled } from "../tensor/runtime.js";
import { zerosLike } from "../tensor/creation.js";
import type { Handle } from "../native.js";
import type { Module } from "./module.js";

/** Returned by the hook registrations; `remove()` unregisters the hook (torch.utils.hooks.RemovableHandle). */
export interface RemovableHandle {
  /** The hook's id, unique in the process (Python's `handle.id`). */
  readonly id: number;
  remove(): void;
}

/** A module's positional inputs and its trailing options object (Python's args and kwargs). */
export type HookKwargs = Record<string, unknown>;
/** A gradient slot of a backward hook: null where the input or output is not a Tensor or has no gradient. */
export type HookGrads = (Tensor | null)[];

/** A forward pre-hook: may return replacement positional arguments (an array, or one value). */
export type ForwardPreHook = (module: Module, args: unknown[]) => unknown;
/** A forward pre-hook registered `withKwargs`: may return `[newArgs, newKwargs]`. */
export type ForwardPreHookWithKwargs = (module: Module, args: unknown[], kwargs: HookKwargs) => readonly [unknown[], HookKwargs] | null | undefined | void;
/** A forward hook: may return a replacement output. */
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;
/** A forward hook registered `withKwargs`: may return a replacement output. */
export type ForwardHookWithKwargs = (module: Module, args: unknown[], kwargs: HookKwargs, output: unknown) => unknown;
/** A backward hook: may return replacement gradients for the inputs (one per positional input). */
export type BackwardHook = (module: Module, gradInput: HookGrads, gradOutput: HookGrads) => readonly (Tensor | null)[] | null | undefined | void;
/** A backward pre-hook: may return replacement gradients for the outputs. */
export type BackwardPreHook = (module: Module, gradOutput: HookGrads) => readonly (Tensor | null)[] | null | undefined | void;

/** One registered hook and the flags it was registered with. */
export interface HookEntry<H> {
  readonly hook: H;
  readonly withKwargs: boolean;
  readonly alwaysCall: boolean;
}
/** A module's hooks of one kind by handle id, in calling order. */
export type HookTable<H> = Map<number, HookEntry<H>>;

let nextHookId = 0;

/** Adds `hook` to `table`, first when `prepend` (Python's move_to_end(id, last=False)); returns its handle. */
export function addHook<H>(table: HookTable<H>, hook: H, flags: { prepend?: boolean; withKwargs?: boolean; alwaysCall?: boolean } = {}): RemovableHandle {
  const id = nextHookId++;
  const entry: HookEntry<H> = { hook, withKwargs: flags.withKwargs ?? false, alwaysCall: flags.alwaysCall ?? false };
  if (flags.prepend) {
    const rest = [...table];
    table.clear();
    table.set(id, entry);
    for (const [key, value] of rest) table.set(key, value);
  } else {
    table.set(id, entry);
  }
  return { id, remove: () => void table.delete(id) };
}

const isNone = (value: unknown): value is null | undefined => value === null || value === undefined;

function gradsOf(handles: readonly (Handle | undefined)[]): HookGrads {
  return handles.map((h) => (h === undefined ? null : new Tensor(h)));
}

function handlesOf(grads: readonly (Tensor | null | undefined)[], what: string): (Handle | undefined)[] {
  return grads.map((g) => {
    if (isNone(g)) return undefined;
    if (!(g instanceof Tensor)) throw new TypeError(`${what} must return Tensors or null, got ${typeof g}`);
    return g._h;
  });
}

function checkGradList(result: unknown, expected: number, message: (got: number) => string): readonly (Tensor | null)[] {
  if (!Array.isArray(result)) throw new TypeError(`a backward hook must return an array of gradients (Tensor or null) or nothing, got ${describe(result)}`);
  if (result.length !== expected) throw new Error(message(result.length));
  return result as (Tensor | null)[];
}

/**
 * One call's full backward hooks (torch/utils/hooks.py BackwardHook): the module's tensor inputs
 * and outputs that require grad pass through identity graph nodes; the outputs' node captures the
 * output gradients (and runs the pre-hooks), the inputs' node calls the hooks with the input
 * gradients and passes on what they return.
 */
export class BackwardHookCall {
  private gradOutputs: HookGrads | null = null;
  private nInputs = -1;
  private inputTensorsIndex: number[] | null = null;
  private nOutputs = -1;
  private outputTensorsIndex: number[] | null = null;

  constructor(
    private readonly module: Module,
    private readonly hooks: readonly BackwardHook[],
    private readonly preHooks: readonly BackwardPreHook[],
  ) {}

  /** The positional inputs, the tensors among them routed through the input node. */
  setupInputHook(args: unknown[]): unknown[] {
    this.nInputs = args.length;
    const [result, index] = this.applyOnTensors(args, true, (grads) => this.inputHook(grads));
    this.inputTensorsIndex = index;
    return result;
  }

  /** The output (a Tensor or an array, Python's tuple), its tensors routed through the output node. */
  setupOutputHook(output: unknown): unknown {
    const isTuple = Array.isArray(output);
    const args = isTuple ? (output as unknown[]) : [output];
    this.nOutputs = args.length;
    const [result, index] = this.applyOnTensors(args, false, (grads) => this.outputHook(grads));
    this.outputTensorsIndex = index;
    return isTuple ? result : result[0];
  }

  /**
   * Routes the tensors of `args` that require grad through one identity node whose backward is
   * `onBackward` (given a gradient per tensor position of `args`); returns the new args and the
   * tensor positions, or the args as they are and null when nothing requires grad.
   */
  private applyOnTensors(
    args: unknown[],
    materializeGrads: boolean,
    onBackward: (grads: HookGrads) => HookGrads,
  ): [unknown[], number[] | null] {
    const tensorIndex: number[] = [];
    args.forEach((a, i) => {
      if (a instanceof Tensor) tensorIndex.push(i);
    });
    const tracked = tensorIndex.filter((i) => (args[i] as Tensor).requiresGrad);
    if (tracked.length === 0 || !isGradEnabled()) return [args, null];
    const handles = tracked.map((i) => (args[i] as Tensor)._h);
    const attached = native().functionAttach(
      handles,
      handles,
      (grads) => {
        // Python's BackwardHookFunction marks the tensors that need no grad non-differentiable:
        // their gradient arrives materialized as zeros on the input side, as None on the output side.
        const full: HookGrads = tensorIndex.map((i) => (materializeGrads ? zerosLike(args[i] as Tensor) : null));
        const gradOf = new Map(tracked.map((i, k) => [i, grads[k]]));
        tensorIndex.forEach((i, k) => {
          if (gradOf.has(i)) {
            const h = gradOf.get(i);
            full[k] = h === undefined ? null : new Tensor(h);
          }
        });
        const result = onBackward(full);
        return handlesOf(tracked.map((i) => result[tensorIndex.indexOf(i)]), "a backward hook");
      },
      "BackwardHookFunctionBackward",
      materializeGrads,
    );
    const out = args.slice();
    tracked.forEach((i, k) => {
      out[i] = new Tensor(attached[k]!);
    });
    return [out, tensorIndex];
  }

  /** The gradients of the positional inputs: the hooks' turn (Python's _set_user_hook). */
  private inputHook(gradInputs: HookGrads): HookGrads {
    if (this.gradOutputs === null) return gradInputs; // reached without passing the outputs (double backward)
    let res = packWithNone(this.inputTensorsIndex!, gradInputs, this.nInputs);
    for (const hook of this.hooks) {
      const out = hook(this.module, res, this.gradOutputs);
      if (isNone(out)) continue;
      res = checkGradList(out, res.length, (got) => `Backward hook returned an invalid number of grad_input, got ${got}, but expected ${res.length}`).slice();
    }
    this.gradOutputs = null;
    return this.inputTensorsIndex!.map((i) => res[i] ?? null);
  }

  /** The gradients of the outputs: the pre-hooks' turn, and the hooks' when no input needs grad. */
  private outputHook(gradOutputs: HookGrads): HookGrads {
    this.gradOutputs = packWithNone(this.outputTensorsIndex!, gradOutputs, this.nOutputs);
    const expected = this.gradOutputs.length;
    for (const preHook of this.preHooks) {
      const out = preHook(this.module, this.gradOutputs);
      if (isNone(out)) continue;
      this.gradOutputs = checkGradList(out, expected, (got) => `Backward pre hook returned an invalid number of grad_output, got ${got}, but expected ${expected}`).slice();
    }
    const local = this.gradOutputs;
    if (this.inputTensorsIndex === null) {
      const gradInputs: HookGrads = new Array<Tensor | null>(this.nInputs).fill(null);
      for (const hook of this.hooks) {
        const res = hook(this.module, gradInputs, this.gradOutputs);
        if (!isNone(res) && !(Array.isArray(res) && res.every(isNone))) {
          throw new Error("Backward hook for Modules where no input requires gradient should always return None or None for all gradients.");
        }
      }
      this.gradOutputs = null;
    }
    return this.outputTensorsIndex!.map((i) => local[i] ?? null);
  }
}

function packWithNone(indices: readonly number[], values: HookGrads, size: number): HookGrads {
  const res: HookGrads = new Array<Tensor | null>(size).fill(null);
  indices.forEach((index, k) => {
    res[index] = values[k] ?? null;
  });
  return res;
}

/**
 * The deprecated non-full backward hooks (Module.register_backward_hook): each runs as a post hook
 * of the grad_fn of the output's first tensor, with that node's gradients, and Python's warnings
 * where those are not the module's.
 */
export function registerNonFullBackwardHooks(module: Module, hooks: readonly BackwardHook[], args: readonly unknown[], result: unknown): void {
  let value: unknown = result;
  while (!(value instanceof Tensor)) {
    if (Array.isArray(value) && value.length > 0) value = value[0];
    else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      value = Object.values(value as Record<string, unknown>).find((v) => v instanceof Tensor);
      if (value === undefined) return;
    } else return;
  }
  const N = native();
  const output = value;
  if (output.gradFn === null) return;
  for (const hook of hooks) {
    N.registerNodePostHook(output._h, (gradInputs, gradOutputs) => {
      const out = hook(module, gradsOf(gradInputs), gradsOf(gradOutputs));
      return isNone(out) ? undefined : handlesOf(out as readonly (Tensor | null)[], "a backward hook");
    });
  }
  warnIfNotFullBackwardHook(args, result, output);
}

// Python's Module._maybe_warn_non_full_backward_hook.
function warnIfNotFullBackwardHook(inputs: readonly unknown[], result: unknown, output: Tensor): void {
  const N = native();
  const outputs = result instanceof Tensor ? [result] : result;
  if (!(Array.isArray(outputs) && outputs.every((r) => r instanceof Tensor))) {
    process.emitWarning(
      "Using non-full backward hooks on a Module that does not return a single Tensor or a tuple of Tensors is deprecated " +
        "and will be removed in future versions. This hook will be missing some of the grad_output. Please use " +
        "register_full_backward_hook to get the documented behavior.",
    );
    return;
  }
  if (!inputs.every((i) => i instanceof Tensor)) {
    process.emitWarning(
      "Using non-full backward hooks on a Module that does not take as input a single Tensor or a tuple of Tensors is " +
        "deprecated and will be removed in future versions. This hook will be missing some of the grad_input. Please use " +
        "register_full_backward_hook to get the documented behavior.",
    );
    return;
  }
  const [gradFn] = N.gradFnKeys([output._h]);
  const outGradFns = new Set(N.gradFnKeys((outputs as Tensor[]).map((t) => t._h)).filter((k) => k !== null));
  if (outGradFns.size === 0 || (outGradFns.size === 1 && !outGradFns.has(gradFn!))) {
    process.emitWarning(
      "Using a non-full backward hook when outputs are nested in python data structure is deprecated and will be removed " +
        "in future versions. This hook will be missing some grad_output.",
    );
  } else if (outGradFns.size > 1) {
    process.emitWarning(
      "Using a non-full backward hook when outputs are generated by different autograd Nodes is deprecated and will be " +
        "removed in future versions. This hook will be missing some grad_output. Please use register_full_backward_hook to " +
        "get the documented behavior.",
    );
  } else {
    const inputGradFns = new Set(N.gradFnKeys((inputs as Tensor[]).map((t) => t._h)).filter((k) => k !== null));
    const next = new Set(N.nextFunctionKeys(output._h));
    const same = inputGradFns.size === next.size && [...inputGradFns].every((k) => next.has(k));
    if (!same) {
      process.emitWarning(
        "Using a non-full backward hook when the forward contains multiple autograd Nodes is deprecated and will be removed " +
          "in future versions. This hook will be missing some grad_input. Please use register_full_backward_hook to get the " +
          "documented behavior.",
      );
    }
  }
}
