// What a Context holds, recognised by shape (duck typing): the Context works with any module,
// optimizer, scheduler, data loader or recorder that has the PyTorch-shaped methods, so nn, optim
// and data stay independent of it.
import { Tensor, type Device } from "../../torch/tensor/tensor.js";
import { OrderedDict } from "../../torch/serialization/records.js";

/** Anything with PyTorch's state-dict contract (modules, optimizers, schedulers, recorders, ...). */
export interface Stateful {
  stateDict(): unknown;
  loadStateDict(state: never): unknown;
}

/** Anything that moves itself to a device and returns the moved object (modules, loaders, ...). */
export interface Movable {
  to(device: Device): unknown;
}

/** An optimizer as the Context sees it: its state moves through stateDict/loadStateDict. */
export interface OptimizerLike extends Stateful {
  readonly paramGroups: readonly { readonly params: readonly unknown[] }[];
  step(...args: never[]): unknown;
}

export function isStateful(value: unknown): value is Stateful {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Stateful).stateDict === "function" &&
    typeof (value as Stateful).loadStateDict === "function"
  );
}

export function isMovable(value: unknown): value is Movable {
  return typeof value === "object" && value !== null && !(value instanceof Tensor) && typeof (value as Movable).to === "function";
}

/** An optimizer without its own `to()`: moved by reloading its moved state. */
export function isOptimizerLike(value: unknown): value is OptimizerLike {
  return (
    isStateful(value) &&
    !isMovable(value) &&
    Array.isArray((value as OptimizerLike).paramGroups) &&
    typeof (value as OptimizerLike).step === "function"
  );
}

/** An nn.Module as the Context sees it. */
export interface ModuleLike extends Stateful, Movable {
  parameters(): Iterable<Tensor>;
}

export function isModuleLike(value: unknown): value is ModuleLike {
  return isStateful(value) && isMovable(value) && typeof (value as ModuleLike).parameters === "function";
}

/** Numbers, strings, booleans, bigints: values saved and restored as themselves. */
export type Primitive = number | string | boolean | bigint;

export function isPrimitive(value: unknown): value is Primitive {
  const t = typeof value;
  return t === "number" || t === "string" || t === "boolean" || t === "bigint";
}

/** A plain `{...}` object (or an OrderedDict from a checkpoint): walked key by key. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || value instanceof OrderedDict;
}

/** A short type name for error messages: 'number', 'array', 'Tensor', 'Linear', 'null'. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") {
    if (isPlainObject(value)) return "object";
    return (value as object).constructor?.name ?? "object";
  }
  return typeof value;
}

/** The device of a module, tensor or optimizer (its first parameter's), when it has one. */
export function deviceOf(value: unknown): Device | undefined {
  if (value instanceof Tensor) return value.device;
  if (typeof value !== "object" || value === null) return undefined;
  const device = (value as { device?: unknown }).device;
  if (typeof device === "string") return device as Device;
  if (typeof (value as ModuleLike).parameters === "function") {
    for (const p of (value as ModuleLike).parameters()) return p instanceof Tensor ? p.device : undefined;
    return undefined;
  }
  const groups = (value as OptimizerLike).paramGroups;
  if (Array.isArray(groups)) {
    for (const group of groups) for (const p of group.params ?? []) if (p instanceof Tensor) return p.device;
  }
  return undefined;
}
