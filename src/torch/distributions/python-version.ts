// The distributions follow the Python torch that matches the running libtorch (values, names,
// errors), as the optimizers do (src/torch/optim/python-layout.ts): 2.x added names (InverseGamma,
// Gamma.cdf, PositiveDefiniteTransform) and changed a few formulas.
import { version } from "../version.js";

/** Whether the distributions follow torch 2.x's Python code (the running libtorch is 2.x). */
export function followsTorch2(): boolean {
  return version.major >= 2;
}

/** Throws where `name` is a torch 2.x addition and the running libtorch is 1.x. */
export function requireTorch2(name: string): void {
  if (!followsTorch2()) {
    throw new Error(`${name} was added in torch 2.0; the running libtorch is ${version.__version__}`);
  }
}
