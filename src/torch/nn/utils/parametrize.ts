// torch.nn.utils.parametrize: a parameter or buffer computed by modules from an unconstrained
// original. The original moves to `module.parametrizations.<name>.original` (state-dict key
// `parametrizations.weight.original`, as Python's) and `module.<name>` becomes an accessor that
// runs the parametrization; assigning to it stores its right inverse.
import { Tensor, describe } from "../../tensor/tensor.js";
import { noGrad } from "../../tensor/runtime.js";
import { Module } from "../module.js";
import { ModuleDict, ModuleList } from "../container.js";
import { Parameter } from "../parameter.js";
import { bind, type ArgsOf } from "../../binding/index.js";
import type { AfterModule } from "./module-args.js";

/** What a parametrization's `rightInverse` throws when it cannot invert (Python's NotImplementedError). */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

type Slots = Record<string, unknown>;
type RightInverse = (value: Tensor) => Tensor | readonly Tensor[];

function rightInverseOf(module: Module): RightInverse | undefined {
  const fn = (module as unknown as { rightInverse?: unknown }).rightInverse;
  return typeof fn === "function" ? (fn as RightInverse).bind(module) : undefined;
}

function sameShape(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

function registerTensor(module: Module, name: string, value: Tensor): void {
  if (value instanceof Parameter) module.registerParameter(name, value);
  else module.registerBuffer(name, value);
}

/**
 * The parametrizations of one tensor, applied in order (torch.nn.utils.parametrize.ParametrizationList).
 * Holds `original` (or `original0`, `original1`, ... when the first right inverse returns several
 * tensors) and the modules as `0`, `1`, ...; `forward()` computes the parametrized tensor.
 */
export class ParametrizationList extends ModuleList {
  unsafe: boolean;
  declare readonly isTensor: boolean;
  declare readonly ntensors: number;
  /** The original tensor (a Parameter or a buffer), when the right inverse gave one tensor. */
  declare readonly original: Tensor;

  constructor(...args: ArgsOf<"torch.nn.utils.parametrize.ParametrizationList">) {
    const a = bind("torch.nn.utils.parametrize.ParametrizationList", args);
    const modules = Array.from(a.modules as Iterable<Module>);
    if (modules.length === 0) throw new Error("ParametrizationList requires one or more modules.");
    super(modules);
    this.unsafe = a.unsafe;
    const original = a.original;
    const originalShape = original.shape;
    const originalDtype = original.dtype;
    let value: Tensor | readonly Tensor[] = original;
    noGrad(() => {
      for (const module of [...modules].reverse()) {
        const inverse = rightInverseOf(module);
        if (inverse === undefined) continue;
        try {
          value = inverse(value as Tensor);
        } catch (e) {
          if (!(e instanceof NotImplementedError)) throw e;
        }
      }
    });
    const result = value as Tensor | readonly Tensor[];
    if (!(result instanceof Tensor) && !Array.isArray(result)) {
      throw new Error(`'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got ${describe(result)}`);
    }
    const hidden = (name: string, v: unknown): void => void Object.defineProperty(this, name, { value: v, enumerable: false });
    hidden("isTensor", result instanceof Tensor);
    hidden("ntensors", result instanceof Tensor ? 1 : result.length);
    if (result instanceof Tensor) {
      if (result.dtype !== original.dtype) {
        throw new Error(
          "When `right_inverse` outputs one tensor, it may not change the dtype.\n" +
            `original.dtype: ${original.dtype}\nright_inverse(original).dtype: ${result.dtype}`,
        );
      }
      if (result !== original) noGrad(() => original.set_(result));
      registerTensor(this, "original", original);
    } else {
      result.forEach((t, i) => {
        if (!(t instanceof Tensor)) {
          throw new Error(`'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got element ${i} of the sequence with type ${describe(t)}.`);
        }
        const copy = original instanceof Parameter ? new Parameter(t, original.requiresGrad) : t.requiresGrad_(original.requiresGrad);
        registerTensor(this, `original${i}`, copy);
      });
    }
    if (!this.unsafe) {
      const z = this.forward();
      if (!(z instanceof Tensor)) throw new Error(`A parametrization must return a tensor. Got ${describe(z)}.`);
      if (z.dtype !== originalDtype) {
        throw new Error(
          "Registering a parametrization may not change the dtype of the tensor, unless `unsafe` flag is enabled.\n" +
            `unparametrized dtype: ${originalDtype}\nparametrized dtype: ${z.dtype}`,
        );
      }
      if (z.shape.length !== originalShape.length || z.shape.some((d, i) => d !== originalShape[i])) {
        throw new Error(
          "Registering a parametrization may not change the shape of the tensor, unless `unsafe` flag is enabled.\n" +
            `unparametrized shape: [${originalShape.join(", ")}]\nparametrized shape: [${z.shape.join(", ")}]`,
        );
      }
    }
  }


  /** The i-th original, when the first right inverse returned several tensors. */
  originalAt(i: number): Tensor {
    return (this as unknown as Slots)[`original${i}`] as Tensor;
  }

  /** Stores `value` as the originals: each module's rightInverse, last to first. */
  rightInverse(...args: ArgsOf<"torch.nn.utils.parametrize.ParametrizationList.right_inverse">): void {
    let { value } = bind("torch.nn.utils.parametrize.ParametrizationList.right_inverse", args) as { value: Tensor | readonly Tensor[] };
    noGrad(() => {
      for (const module of [...this].reverse()) {
        const inverse = rightInverseOf(module);
        if (inverse === undefined) throw new Error(`parametrization ${module.constructor.name} does not implement right_inverse.`);
        value = inverse(value as Tensor);
      }
      if (this.isTensor) {
        if (!(value instanceof Tensor)) throw new Error(`\`right_inverse\` should return a tensor. Got ${describe(value)}`);
        if (value.dtype !== this.original.dtype) {
          throw new Error(`The tensor returned by \`right_inverse\` has dtype ${value.dtype} while \`original\` has dtype ${this.original.dtype}`);
        }
        this.original.set_(value);
      } else {
        if (!Array.isArray(value)) throw new Error(`'right_inverse' must return a sequence of tensors. Got ${describe(value)}.`);
        if (value.length !== this.ntensors) {
          throw new Error(`'right_inverse' must return a sequence of tensors of length ${this.ntensors}. Got a sequence of length ${value.length}.`);
        }
        (value as Tensor[]).forEach((t, i) => {
          const original = this.originalAt(i);
          if (t.dtype !== original.dtype) throw new Error(`Tensor ${i} returned by \`right_inverse\` has dtype ${t.dtype} while \`original${i}\` has dtype ${original.dtype}`);
          original.set_(t);
        });
      }
    });
  }

  /** The parametrized tensor: the modules applied in order to the original(s). */
  override forward(): Tensor {
    const modules = [...this];
    const originals = this.isTensor ? [this.original] : Array.from({ length: this.ntensors }, (_, i) => this.originalAt(i));
    let x = modules[0]!.call(...originals) as Tensor;
    for (const m of modules.slice(1)) x = m.call(x) as Tensor;
    return x;
  }
}

// ---- the parametrized module ----

let cacheEnabled = 0;
const cache = new Map<ParametrizationList, Tensor>();

/**
 * Runs `fn` with parametrized tensors computed once and reused (Python's
 * `with parametrize.cached():`), for a forward pass that reads one several times.
 */
export function cached<T>(fn: () => T): T {
  cacheEnabled++;
  try {
    return fn();
  } finally {
    cacheEnabled--;
    if (cacheEnabled === 0) cache.clear();
  }
}

function parametrizationsOf(module: Module): ModuleDict<ParametrizationList> | undefined {
  const value = (module as unknown as Slots).parametrizations;
  return value instanceof ModuleDict ? (value as ModuleDict<ParametrizationList>) : undefined;
}

/** The property that holds tensor `name` (given as the property or as its state-dict key) and its key. */
function resolveName(module: Module, name: string): { property: string; key: string } {
  const own = (module as unknown as Slots)[name];
  const keyed = new Map<Tensor, string>();
  for (const [key, p] of module.namedParameters({ recurse: false })) keyed.set(p, key);
  for (const [key, b] of module.namedBuffers({ recurse: false })) keyed.set(b, key);
  if (own instanceof Tensor && Object.prototype.hasOwnProperty.call(module, name)) return { property: name, key: keyed.get(own) ?? name };
  for (const property of Object.keys(module)) {
    const value = (module as unknown as Slots)[property];
    if (value instanceof Tensor && keyed.get(value) === name) return { property, key: name };
  }
  const dict = parametrizationsOf(module);
  if (dict?.has(name)) return { property: accessorNames.get(module)?.get(name) ?? name, key: name };
  for (const [key, property] of accessorNames.get(module) ?? []) if (property === name) return { property, key };
  return { property: name, key: name };
}

// Per parametrized module: the state-dict key of each parametrized tensor -> its property name.
const accessorNames = new WeakMap<Module, Map<string, string>>();

function injectAccessor(module: Module, property: string, key: string): void {
  Object.defineProperty(module, property, {
    configurable: true,
    enumerable: false,
    get(this: Module): Tensor {
      const list = parametrizationsOf(this)!.get(key)!;
      if (cacheEnabled === 0) return list.call();
      let tensor = cache.get(list);
      if (tensor === undefined) cache.set(list, (tensor = list.call()));
      return tensor;
    },
    set(this: Module, value: Tensor) {
      parametrizationsOf(this)!.get(key)!.rightInverse(value);
    },
  });
  let names = accessorNames.get(module);
  if (names === undefined) accessorNames.set(module, (names = new Map()));
  names.set(key, property);
}

/**
 * Registers `parametrization` on tensor `tensorName` of `module`: from now on `module[tensorName]`
 * is `parametrization.call(original)` (chained after earlier ones on the same tensor), the
 * original kept under `module.parametrizations[tensorName].original`. If the parametrization has
 * `rightInverse`, the original is initialised with it and assigning to the tensor goes through it.
 * `unsafe` skips the shape and dtype checks. Returns the module.
 *
 * Example:
 *   class Symmetric extends nn.Module { forward(X: Tensor) { return X.triu().add(X.triu(1).mT); } }
 *   parametrize.registerParametrization(layer, "weight", new Symmetric());
 *   layer.stateDict(); // bias, parametrizations.weight.original
 */
export function registerParametrization<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.parametrize.register_parametrization">): M;
export function registerParametrization(...args: ArgsOf<"torch.nn.utils.parametrize.register_parametrization">): Module {
  const { module, tensorName, parametrization, unsafe } = bind("torch.nn.utils.parametrize.register_parametrization", args);
  parametrization.train(module.training);
  const { property, key } = resolveName(module, tensorName);
  const dict = parametrizationsOf(module);
  if (dict?.has(key)) {
    if (!unsafe) {
      const y = (module as unknown as Slots)[property] as Tensor;
      const x = parametrization.call(y) as Tensor;
      if (!(x instanceof Tensor)) throw new Error(`A parametrization must return a tensor. Got ${describe(x)}.`);
      if (x.dtype !== y.dtype) {
        throw new Error(
          "Registering a parametrization may not change the dtype of the tensor, unless the `unsafe` flag is enabled.\n" +
            `module.${tensorName}.dtype: ${y.dtype}\nparametrization(module.${tensorName}).dtype: ${x.dtype}`,
        );
      }
      if (!sameShape(x, y)) {
        throw new Error(
          "Registering a parametrization may not change the shape of the tensor, unless the `unsafe` flag is enabled.\n" +
            `module.${tensorName}.shape: [${y.shape.join(", ")}]\nparametrization(module.${tensorName}).shape: [${x.shape.join(", ")}]`,
        );
      }
      const inverse = rightInverseOf(parametrization);
      if (inverse !== undefined) {
        let z: Tensor | readonly Tensor[] | undefined;
        try {
          z = inverse(x);
        } catch (e) {
          if (!(e instanceof NotImplementedError)) throw e;
        }
        if (z !== undefined) {
          if (!(z instanceof Tensor)) throw new Error(`parametrization.right_inverse must return a tensor. Got: ${describe(z)}`);
          if (z.dtype !== y.dtype || !sameShape(z, y)) {
            throw new Error(`The tensor returned by parametrization.right_inverse must have the same dtype and shape as module.${tensorName}, unless the \`unsafe\` flag is enabled.`);
          }
        }
      }
    }
    const list = dict.get(key)!;
    list.append(parametrization);
    list.unsafe ||= unsafe;
    return module;
  }
  const original = Object.prototype.hasOwnProperty.call(module, property) ? (module as unknown as Slots)[property] : undefined;
  if (!(original instanceof Tensor) || !(original instanceof Parameter || isOwnBuffer(module, original))) {
    throw new Error(`Module '${module.constructor.name}' does not have a parameter, a buffer, or a parametrized element with name '${tensorName}'`);
  }
  const list = new ParametrizationList([parametrization], original, unsafe);
  delete (module as unknown as Slots)[property];
  let parametrizations = dict;
  if (parametrizations === undefined) {
    parametrizations = new ModuleDict<ParametrizationList>();
    (module as unknown as Slots).parametrizations = parametrizations;
  }
  injectAccessor(module, property, key);
  parametrizations.set(key, list);
  return module;
}

function isOwnBuffer(module: Module, tensor: Tensor): boolean {
  for (const [, b] of module.namedBuffers({ recurse: false })) if (b === tensor) return true;
  return false;
}

/** Whether `module` has a parametrization (on `tensorName`, or on any tensor when null). */
export function isParametrized(...args: ArgsOf<"torch.nn.utils.parametrize.is_parametrized">): boolean {
  const { module, tensorName } = bind("torch.nn.utils.parametrize.is_parametrized", args);
  const dict = parametrizationsOf(module);
  if (dict === undefined) return false;
  if (tensorName === null) return dict.size > 0;
  return dict.has(resolveName(module, tensorName).key);
}

/**
 * Removes the parametrizations on `tensorName`: the tensor becomes a plain parameter (or buffer)
 * again, holding the parametrized value (leaveParametrized, default) or the original. Returns the module.
 */
export function removeParametrizations<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.parametrize.remove_parametrizations">): M;
export function removeParametrizations(...args: ArgsOf<"torch.nn.utils.parametrize.remove_parametrizations">): Module {
  const { module, tensorName, leaveParametrized } = bind("torch.nn.utils.parametrize.remove_parametrizations", args);
  const dict = parametrizationsOf(module);
  const { property, key } = resolveName(module, tensorName);
  const list = dict?.get(key);
  if (dict === undefined || list === undefined) throw new Error(`Module ${module.constructor.name} does not have a parametrization on ${tensorName}`);
  let original: Tensor;
  if (list.isTensor) {
    original = list.original;
    if (leaveParametrized) {
      const t = noGrad(() => (module as unknown as Slots)[property] as Tensor);
      noGrad(() => original.set_(t));
    }
  } else {
    if (!leaveParametrized) {
      throw new Error("Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized in terms of a sequence of tensors.");
    }
    const t = (module as unknown as Slots)[property] as Tensor;
    original = t.requiresGrad ? new Parameter(t) : t;
  }
  delete (module as unknown as Slots)[property];
  accessorNames.get(module)?.delete(key);
  dict.delete(key);
  registerTensor(module, property, original);
  if (dict.size === 0) delete (module as unknown as Slots).parametrizations;
  return module;
}

/** The module's class: parametrizing never changes it here (Python swaps in a subclass). */
export function typeBeforeParametrizations(...args: ArgsOf<"torch.nn.utils.parametrize.type_before_parametrizations">): abstract new (...args: never) => Module {
  const { module } = bind("torch.nn.utils.parametrize.type_before_parametrizations", args);
  return module.constructor as abstract new (...args: never) => Module;
}

/**
 * Copies the parametrizations on `tensorName` (all when null) of `fromModule`, and their
 * originals, onto `toModule`; a tensor `toModule` lacks is created from `fromModule`'s. Returns toModule.
 */
export function transferParametrizationsAndParams(...args: ArgsOf<"torch.nn.utils.parametrize.transfer_parametrizations_and_params">): Module {
  const { fromModule, toModule, tensorName } = bind("torch.nn.utils.parametrize.transfer_parametrizations_and_params", args);
  const from = parametrizationsOf(fromModule);
  if (from === undefined) return toModule;
  const names = tensorName === null ? from.keys() : [resolveName(fromModule, tensorName).key];
  for (const key of names) {
    const source = from.get(key)!;
    const property = accessorNames.get(fromModule)?.get(key) ?? key;
    if (!(property in toModule)) {
      (toModule as unknown as Slots)[property] = new Parameter((fromModule as unknown as Slots)[property] as Tensor);
    }
    for (const parametrization of source) registerParametrization(toModule, property, parametrization);
    const target = parametrizationsOf(toModule)!.get(key)!;
    noGrad(() => {
      if (source.isTensor) target.original.set_(source.original);
      else for (let i = 0; i < source.ntensors; i++) target.originalAt(i).set_(source.originalAt(i));
    });
  }
  return toModule;
}
