// The underscore-prefixed aten ops the distributions sample with (`torch._standard_gamma`,
// `torch._sample_dirichlet`, `torch._dirichlet_grad`): the generated surface leaves `_` ops out,
// and Python's samplers call these, so the same draws need the same ops.
import { native, Tensor } from "../tensor/tensor.js";
import type { Handle } from "../native.js";

const ids = new Map<string, number>();

function call(name: string, ...args: Tensor[]): Tensor {
  const N = native();
  let id = ids.get(name);
  if (id === undefined) {
    id = N.opResolve(`aten::${name}`, [""], `torch.${name}`);
    ids.set(name, id);
  }
  return new Tensor(N.opCall(id, undefined, undefined, undefined, ...args.map((a) => a._h)) as Handle);
}

/** Gamma(concentration, 1) samples, differentiable in `concentration` (aten::_standard_gamma). */
export function standardGamma(concentration: Tensor): Tensor {
  return call("_standard_gamma", concentration);
}
/** Dirichlet samples (aten::_sample_dirichlet; not differentiable). */
export function sampleDirichlet(concentration: Tensor): Tensor {
  return call("_sample_dirichlet", concentration);
}
/** The reparameterization gradient of Dirichlet samples (aten::_dirichlet_grad). */
export function dirichletGrad(x: Tensor, concentration: Tensor, total: Tensor): Tensor {
  return call("_dirichlet_grad", x, concentration, total);
}
