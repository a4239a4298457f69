// Binds the methods of distributions, transforms and constraints through the shared binder, with
// the signature Python's method resolution finds: the first class up the prototype chain whose
// Python counterpart defines the method (MixtureSameFamily.log_prob(x), HalfNormal.icdf(prob),
// Wishart.rsample(sample_shape, max_try_correction)). The base classes call it; subclasses
// implement the underscored hooks (`_logProb`, `_logAbsDetJacobian`, `_check`, ...).
import { bindArgs, signatureNames, type BoundArgs } from "../binding/index.js";
import { toSnakeCase } from "../../util/naming.js";

/** The Python module whose classes a family of ours mirrors. */
export type MethodFamily = "torch.distributions" | "torch.distributions.transforms" | "torch.distributions.constraints";

let known: Set<string> | undefined;
const resolved = new WeakMap<object, Map<string, string>>();

/**
 * The table's qualname of `pythonMethod` for instances of `ctor`: a class's static `_pythonName`
 * where its Python name differs, its own name (`Normal`, `AffineTransform`), or its snake_case
 * public alias (`GreaterThan` is `constraints.greater_than`), tried from `ctor` up to the root.
 */
function qualnameOf(ctor: object, family: MethodFamily, pythonMethod: string): string {
  let byMethod = resolved.get(ctor);
  const hit = byMethod?.get(pythonMethod);
  if (hit !== undefined) return hit;
  known ??= new Set(signatureNames());
  for (let c: unknown = ctor; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const name = (c as { name: string }).name;
    const alias = Object.prototype.hasOwnProperty.call(c, "_pythonName") ? [(c as unknown as { _pythonName: string })._pythonName] : [];
    for (const candidate of [...alias, name, toSnakeCase(name)].map((n) => `${family}.${n}.${pythonMethod}`)) {
      if (!known.has(candidate)) continue;
      if (byMethod === undefined) resolved.set(ctor, (byMethod = new Map()));
      byMethod.set(pythonMethod, candidate);
      return candidate;
    }
  }
  throw new Error(`internal: no Python signature of ${pythonMethod} for ${(ctor as { name: string }).name} in ${family}`);
}

/**
 * Binds `args` (as a method of `self` received them) to the Python signature of `pythonMethod`
 * (`log_prob`, `__call__`) as `self`'s class resolves it.
 */
export function bindMethod(self: object, family: MethodFamily, pythonMethod: string, args: ArrayLike<unknown>): BoundArgs {
  return bindArgs(qualnameOf(self.constructor, family, pythonMethod), args);
}
