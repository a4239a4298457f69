// torch.nn.utils.parametrizations: orthogonal, spectralNorm and weightNorm as parametrizations
// (torch/nn/utils/parametrizations.py), registered through parametrize.registerParametrization
// so their state-dict keys are Python's (`parametrizations.weight.original`, `...0._u`).
import { Tensor } from "../../tensor/tensor.js";
import { eye, randn, zerosLike } from "../../tensor/creation.js";
import { noGrad } from "../../tensor/runtime.js";
import * as ops from "../../generated/torch.js";
import * as linalg from "../../generated/linalg.js";
import { aten } from "../../ops/aten.js";
import { Module, type LoadStateDictPreHook } from "../module.js";
import { normalize } from "../functional/normalization.js";
import { bind, type ArgsOf } from "../../binding/index.js";
import type { AfterModule } from "./module-args.js";
import { NotImplementedError, registerParametrization } from "./parametrize.js";
import { defaultSpectralDim } from "./spectral-norm.js";

type OrthogonalMap = "matrix_exp" | "cayley" | "householder";

const EPS: Record<string, number> = { float32: 1.1920928955078125e-7, float64: 2.220446049250313e-16, float16: 0.0009765625, bfloat16: 0.0078125 };

function isOrthogonal(q: Tensor): boolean {
  const n = q.size(-2);
  const k = q.size(-1);
  const id = eye(k, { dtype: q.dtype, device: q.device });
  const eps = 10 * n * (EPS[q.dtype] ?? EPS.float32!);
  return q.mH.matmul(q).allclose(id, { atol: eps });
}

/** The Q factor of a tall matrix with a real non-negative diagonal of R. */
function makeOrthogonal(a: Tensor): Tensor {
  const [x, tau] = ops.geqrf(a);
  return linalg.householderProduct(x, tau).mul(x.diagonal(0, -2, -1).sgn().unsqueeze(-2));
}

/** The orthogonal parametrization (Python's _Orthogonal): Q from an unconstrained matrix. */
class Orthogonal extends Module {
  readonly shape: readonly number[];
  readonly orthogonalMap: OrthogonalMap;
  readonly useTrivialization: boolean;
  declare base: Tensor | null;

  constructor(weight: Tensor, orthogonalMap: OrthogonalMap, useTrivialization: boolean) {
    super();
    if (weight.isComplex() && orthogonalMap === "householder") throw new Error("The householder parametrization does not support complex tensors.");
    this.shape = weight.shape;
    this.orthogonalMap = orthogonalMap;
    this.useTrivialization = useTrivialization;
    if (useTrivialization) this.registerBuffer("base", null);
  }

  override forward(x: Tensor): Tensor {
    let n = x.size(-2);
    let k = x.size(-1);
    const transposed = n < k;
    if (transposed) {
      x = x.mT;
      [n, k] = [k, n];
    }
    let q: Tensor;
    if (this.orthogonalMap === "matrix_exp" || this.orthogonalMap === "cayley") {
      x = x.tril();
      if (n !== k) x = ops.cat([x, x.newZeros([n, n - k]).expand([...x.shape.slice(0, -2), -1, -1])], -1);
      const a = x.sub(x.mH);
      if (this.orthogonalMap === "matrix_exp") {
        q = linalg.matrixExp(a);
      } else {
        const id = eye(n, { dtype: a.dtype, device: a.device });
        q = linalg.solve(ops.add(id, a, { alpha: -0.5 }), ops.add(id, a, { alpha: 0.5 }));
      }
      if (n !== k) q = q.narrow(-1, 0, k);
    } else {
      const a = x.tril(-1);
      const tau = a.mul(a).sum(-2).add(1).reciprocal().mul(2);
      q = linalg.householderProduct(a, tau);
      q = q.mul(x.diagonal(0, -2, -1).int().unsqueeze(-2));
    }
    if (this.useTrivialization) q = this.base!.matmul(q);
    return transposed ? q.mT : q;
  }

  rightInverse(q: Tensor): Tensor {
    return noGrad(() => {
      if (q.shape.length !== this.shape.length || q.shape.some((d, i) => d !== this.shape[i])) {
        throw new Error(`Expected a matrix or batch of matrices of shape [${this.shape.join(", ")}]. Got a tensor of shape [${q.shape.join(", ")}].`);
      }
      const qInit = q;
      let n = q.size(-2);
      let k = q.size(-1);
      const transpose = n < k;
      if (transpose) {
        q = q.mT;
        [n, k] = [k, n];
      }
      if (!this.useTrivialization) {
        if (this.orthogonalMap === "cayley" || this.orthogonalMap === "matrix_exp") {
          throw new NotImplementedError("It is not possible to assign to the matrix exponential or the Cayley parametrizations when use_trivialization=False.");
        }
        const [a, tau] = ops.geqrf(q);
        const diagonal = a.diagonal(0, -2, -1);
        diagonal.sign_();
        diagonal.mul_(tau.eq(0).to(diagonal.dtype).mul(-2).add(1));
        return transpose ? a.mT : a;
      }
      if (n === k) {
        q = isOrthogonal(q) ? q.clone() : makeOrthogonal(q);
      } else {
        const extra = randn([...q.shape.slice(0, -2), n, n - k], { dtype: q.dtype, device: q.device });
        q = makeOrthogonal(ops.cat([q, extra], -1));
      }
      this.registerBuffer("base", q);
      const negId = zerosLike(qInit);
      negId.diagonal(0, -2, -1).fill_(-1);
      return negId;
    });
  }
}

/**
 * Makes `module[name]` an orthogonal (unitary) matrix or batch of matrices, through
 * orthogonalMap "matrix_exp", "cayley" or "householder" (default: matrix_exp for square or
 * complex, householder otherwise). With useTrivialization (default) the map runs from a base
 * kept as buffer `parametrizations.<name>.0.base`. Returns the module.
 *
 * Example:
 *   const orth = nn.utils.parametrizations.orthogonal(new nn.Linear(20, 40));
 */
export function orthogonal<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.parametrizations.orthogonal">): M;
export function orthogonal(...args: ArgsOf<"torch.nn.utils.parametrizations.orthogonal">): Module {
  const { module, name, orthogonalMap, useTrivialization } = bind("torch.nn.utils.parametrizations.orthogonal", args);
  const weight = (module as unknown as Record<string, unknown>)[name];
  if (!(weight instanceof Tensor)) throw new Error(`Module '${module.constructor.name}' has no parameter or buffer with name '${name}'`);
  if (weight.dim() < 2) throw new Error(`Expected a matrix or batch of matrices. Got a tensor of ${weight.dim()} dimensions.`);
  const map = orthogonalMap ?? (weight.size(-2) === weight.size(-1) || weight.isComplex() ? "matrix_exp" : "householder");
  if (map !== "matrix_exp" && map !== "cayley" && map !== "householder") {
    throw new Error(`orthogonal_map has to be one of "matrix_exp", "cayley", "householder". Got: ${map}`);
  }
  registerParametrization(module, name, new Orthogonal(weight, map, useTrivialization), { unsafe: true });
  return module;
}

/** The spectral-norm parametrization (Python's _SpectralNorm): the weight over its largest singular value. */
class SpectralNorm extends Module {
  readonly dim: number;
  readonly eps: number;
  readonly nPowerIterations: number;
  declare _u: Tensor;
  declare _v: Tensor;

  constructor(weight: Tensor, nPowerIterations: number, dim: number, eps: number) {
    super();
    const ndim = weight.dim();
    if (dim >= ndim || dim < -ndim) throw new RangeError(`Dimension out of range (expected to be in range of [-${ndim}, ${ndim - 1}] but got ${dim})`);
    if (nPowerIterations <= 0) throw new RangeError(`Expected n_power_iterations to be positive, but got n_power_iterations=${nPowerIterations}`);
    this.dim = dim >= 0 ? dim : dim + ndim;
    this.eps = eps;
    this.nPowerIterations = nPowerIterations;
    if (ndim > 1) {
      const weightMat = this.reshapeWeightToMatrix(weight);
      const [h, w] = weightMat.shape as [number, number];
      const u = weightMat.newEmpty([h]).normal_(0, 1);
      const v = weightMat.newEmpty([w]).normal_(0, 1);
      this.registerBuffer("_u", normalize(u, { dim: 0, eps }));
      this.registerBuffer("_v", normalize(v, { dim: 0, eps }));
      // Start u and v from reasonable values: 15 power iterations, as Python.
      this.powerMethod(weightMat, 15);
    }
  }

  private reshapeWeightToMatrix(weight: Tensor): Tensor {
    if (this.dim !== 0) {
      const rest = Array.from({ length: weight.dim() }, (_, d) => d).filter((d) => d !== this.dim);
      weight = weight.permute(this.dim, ...rest);
    }
    return weight.flatten(1);
  }

  private powerMethod(weightMat: Tensor, iterations: number): void {
    noGrad(() => {
      for (let i = 0; i < iterations; i++) {
        normalize(ops.mv(weightMat, this._v), 2, 0, this.eps, this._u);
        normalize(ops.mv(weightMat.mH, this._u), 2, 0, this.eps, this._v);
      }
    });
  }

  override forward(weight: Tensor): Tensor {
    if (weight.dim() === 1) return normalize(weight, { dim: 0, eps: this.eps });
    const weightMat = this.reshapeWeightToMatrix(weight);
    if (this.training) this.powerMethod(weightMat, this.nPowerIterations);
    const u = this._u.clone();
    const v = this._v.clone();
    const sigma = ops.vdot(u, ops.mv(weightMat, v));
    return weight.div(sigma);
  }

  rightInverse(value: Tensor): Tensor {
    return value;
  }
}

/**
 * Divides `module[name]` by its spectral norm (largest singular value), estimated by
 * nPowerIterations power iterations per training-mode call (PyTorch's
 * parametrizations.spectral_norm); u and v are buffers `parametrizations.<name>.0._u` / `._v`.
 * dim defaults to 1 for ConvTranspose, else 0. Returns the module.
 */
export function spectralNorm<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.parametrizations.spectral_norm">): M;
export function spectralNorm(...args: ArgsOf<"torch.nn.utils.parametrizations.spectral_norm">): Module {
  const { module, name, nPowerIterations, eps, dim } = bind("torch.nn.utils.parametrizations.spectral_norm", args);
  const weight = (module as unknown as Record<string, unknown>)[name];
  if (!(weight instanceof Tensor)) throw new Error(`Module '${module.constructor.name}' has no parameter or buffer with name '${name}'`);
  registerParametrization(module, name, new SpectralNorm(weight, nPowerIterations, defaultSpectralDim(module, dim), eps));
  return module;
}

/** The weight-norm parametrization (Python 2.x's _WeightNorm): weight = g · v / ‖v‖. */
class WeightNorm extends Module {
  readonly dim: number;
  constructor(dim: number | null) {
    super();
    this.dim = dim ?? -1;
  }
  override forward(weightG: Tensor, weightV: Tensor): Tensor {
    return aten._weight_norm!(weightV, weightG, this.dim) as Tensor;
  }
  rightInverse(weight: Tensor): [Tensor, Tensor] {
    return [ops.normExceptDim(weight, 2, this.dim), weight];
  }
}

/**
 * Splits `module[name]` into a magnitude `original0` (g) and a direction `original1` (v) with
 * weight = g · v / ‖v‖ over every dimension but `dim` (PyTorch 2.x's
 * parametrizations.weight_norm; dim null normalises over the whole tensor). Returns the module.
 */
export function weightNorm<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.parametrizations.weight_norm">): M;
export function weightNorm(...args: ArgsOf<"torch.nn.utils.parametrizations.weight_norm">): Module {
  const { module, name, dim } = bind("torch.nn.utils.parametrizations.weight_norm", args);
  registerParametrization(module, name, new WeightNorm(dim), { unsafe: true });
  module.registerLoadStateDictPreHook(weightNormCompatHook(name));
  return module;
}

/**
 * Python's `_weight_norm_compat_hook`: a state dict saved by the old nn.utils.weightNorm
 * (`<name>_g`, `<name>_v`) loads as `parametrizations.<name>.original0` / `original1`.
 */
function weightNormCompatHook(name: string): LoadStateDictPreHook {
  return (_module, stateDict, prefix) => {
    const gKey = `${prefix}${name}_g`;
    const vKey = `${prefix}${name}_v`;
    if (!(gKey in stateDict) || !(vKey in stateDict)) return;
    const original0 = stateDict[gKey];
    const original1 = stateDict[vKey];
    delete stateDict[gKey];
    delete stateDict[vKey];
    stateDict[`${prefix}parametrizations.${name}.original0`] = original0;
    stateDict[`${prefix}parametrizations.${name}.original1`] = original1;
  };
}
