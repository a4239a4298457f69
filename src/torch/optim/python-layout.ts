// Optimizers and lr schedulers follow the Python torch that matches the running libtorch, so a
// checkpoint reads as Python's own and the values are Python's bits on both sides: 2.x added
// group keys (`fused`, `differentiable`, RMSprop's `capturable`), keeps RMSprop's step as a
// tensor, gives SGD without momentum no per-parameter state, renamed or added scheduler fields,
// and moves Adam's and RMSprop's running averages with lerp_.
import { version } from "../version.js";

/** Whether optimizers and schedulers follow torch 2.x (the running libtorch is 2.x). */
export function torch2Layout(): boolean {
  return version.major >= 2;
}

/**
 * A group's defaults with the keys, in order, that the running version's Python puts in
 * `param_groups` (1.13's list or 2.x's), each read from the bound arguments by camelCase name.
 */
export function groupDefaults<O>(bound: object, keys: { readonly v1: readonly string[]; readonly v2: readonly string[] }): O {
  const values = bound as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of torch2Layout() ? keys.v2 : keys.v1) out[key] = values[key];
  return out as O;
}
