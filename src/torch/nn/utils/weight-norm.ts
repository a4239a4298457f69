// torch.nn.utils.weight_norm (the forward-pre-hook version, torch/nn/utils/weight_norm.py):
// `weight` recomputed before each call() as g · v / ‖v‖ from the parameters weight_g and weight_v.
import { Tensor } from "../../tensor/tensor.js";
import { noGrad } from "../../tensor/runtime.js";
import { untrack } from "../../tensor/scope.js";
import * as ops from "../../generated/torch.js";
import { aten } from "../../ops/aten.js";
import { Module, type RemovableHandle } from "../module.js";
import { Parameter } from "../parameter.js";
import { bind, type ArgsOf } from "../../binding/index.js";
import type { AfterModule } from "./module-args.js";

type Slots = Record<string, unknown>;

// The weight-norm hooks of each module: tensor name -> [dim, hook handle].
const hooks = new WeakMap<Module, Map<string, [number, RemovableHandle]>>();

function computeWeight(module: Module, name: string, dim: number): Tensor {
  const slots = module as unknown as Slots;
  return aten._weight_norm!(slots[`${name}_v`], slots[`${name}_g`], dim) as Tensor;
}

/**
 * Splits parameter `module[name]` into a magnitude `<name>_g` and a direction `<name>_v`,
 * recomputing the weight g · v / ‖v‖ before every `call()`; the norm is over every dimension
 * but `dim` (null: the whole tensor). Returns the module. PyTorch 2.x prefers
 * nn.utils.parametrizations.weightNorm.
 *
 * Example:
 *   const m = nn.utils.weightNorm(new nn.Linear(20, 40)); // m.weight_g (40, 1), m.weight_v (40, 20)
 */
export function weightNorm<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.weight_norm">): M;
export function weightNorm(...args: ArgsOf<"torch.nn.utils.weight_norm">): Module {
  const a = bind("torch.nn.utils.weight_norm", args);
  const { module, name } = a;
  const dim = (a.dim as number | null) ?? -1;
  const existing = hooks.get(module);
  if (existing?.has(name)) throw new Error(`Cannot register two weight_norm hooks on the same parameter ${name}`);
  const slots = module as unknown as Slots;
  const weight = slots[name];
  if (!(weight instanceof Parameter)) throw new Error(`Module '${module.constructor.name}' has no parameter with name '${name}'`);
  delete slots[name];
  module.registerParameter(`${name}_g`, new Parameter(noGrad(() => ops.normExceptDim(weight, 2, dim))));
  module.registerParameter(`${name}_v`, new Parameter(weight));
  slots[name] = computeWeight(module, name, dim);
  const handle = module.registerForwardPreHook((m) => {
    // Kept as long as the module keeps it, as Python's attribute (a tidy() around call() must not free it).
    const weight = computeWeight(m, name, dim);
    untrack(weight);
    (m as unknown as Slots)[name] = weight;
  });
  const map = existing ?? new Map<string, [number, RemovableHandle]>();
  map.set(name, [dim, handle]);
  hooks.set(module, map);
  return module;
}

/** Undoes weightNorm: `module[name]` becomes one parameter again, holding g · v / ‖v‖. Returns the module. */
export function removeWeightNorm<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.remove_weight_norm">): M;
export function removeWeightNorm(...args: ArgsOf<"torch.nn.utils.remove_weight_norm">): Module {
  const { module, name } = bind("torch.nn.utils.remove_weight_norm", args);
  const entry = hooks.get(module)?.get(name);
  if (entry === undefined) throw new Error(`weight_norm of '${name}' not found in ${module.constructor.name}`);
  const [dim, handle] = entry;
  const weight = computeWeight(module, name, dim);
  const slots = module as unknown as Slots;
  for (const key of [name, `${name}_g`, `${name}_v`]) delete slots[key];
  module.registerParameter(name, new Parameter(weight.detach()));
  handle.remove();
  hooks.get(module)!.delete(name);
  return module;
}
