// torch.nn.utils.spectral_norm (the forward-pre-hook version, torch/nn/utils/spectral_norm.py):
// `weight` recomputed before each call() as weight_orig / σ, σ estimated by power iteration
// with the buffers weight_u and weight_v.
import { Tensor } from "../../tensor/tensor.js";
import { noGrad } from "../../tensor/runtime.js";
import { untrack } from "../../tensor/scope.js";
import * as ops from "../../generated/torch.js";
import { Module, type RemovableHandle } from "../module.js";
import { Parameter } from "../parameter.js";
import { ConvTransposeNd } from "../conv.js";
import { normalize } from "../functional/normalization.js";
import { bind, type ArgsOf } from "../../binding/index.js";
import type { AfterModule } from "./module-args.js";

type Slots = Record<string, unknown>;

/** dim of the spectral norm when not given: 1 for ConvTranspose (its output channels), else 0. */
export function defaultSpectralDim(module: Module, dim: number | null): number {
  return dim ?? (module instanceof ConvTransposeNd ? 1 : 0);
}

interface SpectralNormHook {
  readonly name: string;
  readonly nPowerIterations: number;
  readonly dim: number;
  readonly eps: number;
  readonly handle: RemovableHandle;
}

// The spectral-norm hooks of each module, by tensor name.
const hooks = new WeakMap<Module, Map<string, SpectralNormHook>>();

function weightToMatrix(weight: Tensor, dim: number): Tensor {
  let mat = weight;
  if (dim !== 0) {
    const rest = Array.from({ length: mat.dim() }, (_, d) => d).filter((d) => d !== dim);
    mat = mat.permute(dim, ...rest);
  }
  return mat.reshape(mat.size(0), -1);
}

function computeWeight(module: Module, fn: Omit<SpectralNormHook, "handle">, doPowerIteration: boolean): Tensor {
  const slots = module as unknown as Slots;
  const weight = slots[`${fn.name}_orig`] as Tensor;
  let u = slots[`${fn.name}_u`] as Tensor;
  let v = slots[`${fn.name}_v`] as Tensor;
  const weightMat = weightToMatrix(weight, fn.dim);
  if (doPowerIteration) {
    noGrad(() => {
      for (let i = 0; i < fn.nPowerIterations; i++) {
        normalize(ops.mv(weightMat.t(), u), 2, 0, fn.eps, v);
        normalize(ops.mv(weightMat, v), 2, 0, fn.eps, u);
      }
      // Clones so that autograd keeps the values this forward used, not the buffers' next ones.
      u = u.clone();
      v = v.clone();
    });
  }
  const sigma = ops.dot(u, ops.mv(weightMat, v));
  return weight.div(sigma);
}

/**
 * Divides `module[name]` by its spectral norm before every `call()`: the parameter moves to
 * `<name>_orig`, with buffers `<name>_u` and `<name>_v` for the power iteration (one per
 * training-mode call by default). dim defaults to 1 for ConvTranspose, else 0. Returns the module.
 * PyTorch 2.x prefers nn.utils.parametrizations.spectralNorm.
 */
export function spectralNorm<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.spectral_norm">): M;
export function spectralNorm(...args: ArgsOf<"torch.nn.utils.spectral_norm">): Module {
  const { module, name, nPowerIterations, eps, dim } = bind("torch.nn.utils.spectral_norm", args);
  const existing = hooks.get(module);
  if (existing?.has(name)) throw new Error(`Cannot register two spectral_norm hooks on the same parameter ${name}`);
  if (nPowerIterations <= 0) throw new RangeError(`Expected n_power_iterations to be positive, but got n_power_iterations=${nPowerIterations}`);
  const slots = module as unknown as Slots;
  const weight = slots[name];
  if (!(weight instanceof Parameter)) throw new Error(`Module '${module.constructor.name}' has no parameter with name '${name}'`);
  const fn = { name, nPowerIterations, dim: defaultSpectralDim(module, dim), eps };
  const [u, v] = noGrad(() => {
    const [h, w] = weightToMatrix(weight, fn.dim).shape as [number, number];
    return [
      normalize(weight.newEmpty([h]).normal_(0, 1), { dim: 0, eps }),
      normalize(weight.newEmpty([w]).normal_(0, 1), { dim: 0, eps }),
    ];
  });
  delete slots[name];
  module.registerParameter(`${name}_orig`, weight);
  slots[name] = weight.detach();
  module.registerBuffer(`${name}_u`, u);
  module.registerBuffer(`${name}_v`, v);
  const handle = module.registerForwardPreHook((m) => {
    // Kept as long as the module keeps it, as Python's attribute (a tidy() around call() must not free it).
    const weight = computeWeight(m, fn, m.training);
    untrack(weight);
    (m as unknown as Slots)[name] = weight;
  });
  const map = existing ?? new Map<string, SpectralNormHook>();
  map.set(name, { ...fn, handle });
  hooks.set(module, map);
  return module;
}

/** Undoes spectralNorm: `module[name]` becomes a parameter holding the normalised weight. Returns the module. */
export function removeSpectralNorm<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.remove_spectral_norm">): M;
export function removeSpectralNorm(...args: ArgsOf<"torch.nn.utils.remove_spectral_norm">): Module {
  const { module, name } = bind("torch.nn.utils.remove_spectral_norm", args);
  const fn = hooks.get(module)?.get(name);
  if (fn === undefined) throw new Error(`spectral_norm of '${name}' not found in ${module.constructor.name}`);
  const weight = noGrad(() => computeWeight(module, fn, false));
  const slots = module as unknown as Slots;
  for (const key of [name, `${name}_u`, `${name}_v`, `${name}_orig`]) delete slots[key];
  module.registerParameter(name, new Parameter(weight.detach()));
  fn.handle.remove();
  hooks.get(module)!.delete(name);
  return module;
}
