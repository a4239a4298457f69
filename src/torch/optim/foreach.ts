// The multi-tensor kernels the optimizers run on: aten's `_foreach_*` ops, called straight
// through the boxed op engine on raw handles (one native call per op for a whole param group,
// no Tensor wrappers). On CPU each foreach op loops the single-tensor op it names, so the
// results are bitwise those of PyTorch's per-parameter (`foreach=False`) path.
import type { Handle, NativeAddon } from "../native.js";
import { native } from "../tensor/tensor.js";

type Scalar = number;
type Handles = readonly Handle[];

const ids = new Map<string, number>();
let N: NativeAddon | undefined;

function op(name: string, overload: string): number {
  const key = `${name}.${overload}`;
  let id = ids.get(key);
  if (id === undefined) {
    N ??= native();
    id = N.opResolve(`aten::${name}`, [overload]);
    ids.set(key, id);
  }
  return id;
}

function call(name: string, overload: string, positional: readonly unknown[], kwargs?: object): unknown {
  const id = op(name, overload);
  return N!.opCall(id, kwargs, undefined, undefined, ...positional);
}

/** self[i] += alpha * other[i] */
export function addList_(self: Handles, other: Handles, alpha: Scalar = 1): void {
  call("_foreach_add_", "List", [self, other], alpha === 1 ? undefined : { alpha });
}
/** self[i] + alpha * other[i] (new tensors) */
export function addList(self: Handles, other: Handles, alpha: Scalar = 1): Handle[] {
  return call("_foreach_add", "List", [self, other], alpha === 1 ? undefined : { alpha }) as Handle[];
}
/** self[i] += scalar */
export function addScalar_(self: Handles, scalar: Scalar): void {
  call("_foreach_add_", "Scalar", [self, scalar]);
}
/** self[i] *= scalar */
export function mulScalar_(self: Handles, scalar: Scalar): void {
  call("_foreach_mul_", "Scalar", [self, scalar]);
}
/** self[i] /= scalars[i] */
export function divScalarList_(self: Handles, scalars: readonly Scalar[]): void {
  call("_foreach_div_", "ScalarList", [self, scalars]);
}
/** self[i] += value * t1[i] * t2[i] */
export function addcmul_(self: Handles, t1: Handles, t2: Handles, value: Scalar = 1): void {
  call("_foreach_addcmul_", "Scalar", [self, t1, t2, value]);
}
/** self[i] + value * t1[i] * t2[i] (new tensors) */
export function addcmul(self: Handles, t1: Handles, t2: Handles, value: Scalar = 1): Handle[] {
  return call("_foreach_addcmul", "Scalar", [self, t1, t2, value]) as Handle[];
}
/** self[i] += value * t1[i] / t2[i] */
export function addcdiv_(self: Handles, t1: Handles, t2: Handles, value: Scalar = 1): void {
  call("_foreach_addcdiv_", "Scalar", [self, t1, t2, value]);
}
/** self[i] += scalars[i] * t1[i] / t2[i] */
export function addcdivScalarList_(self: Handles, t1: Handles, t2: Handles, scalars: readonly Scalar[]): void {
  call("_foreach_addcdiv_", "ScalarList", [self, t1, t2, scalars]);
}
/** self[i] += weight * (end[i] - self[i]) (lerp_, what torch 2.x's optimizers use for running averages) */
export function lerp_(self: Handles, end: Handles, weight: Scalar): void {
  call("_foreach_lerp_", "Scalar", [self, end, weight]);
}
/** self[i] = max(self[i], other[i]) */
export function maximum_(self: Handles, other: Handles): void {
  call("_foreach_maximum_", "List", [self, other]);
}
export function sqrt(self: Handles): Handle[] {
  return call("_foreach_sqrt", "", [self]) as Handle[];
}
export function sqrt_(self: Handles): void {
  call("_foreach_sqrt_", "", [self]);
}
export function neg(self: Handles): Handle[] {
  return call("_foreach_neg", "", [self]) as Handle[];
}
export function zero_(self: Handles): void {
  call("_foreach_zero_", "", [self]);
}

/**
 * Drops our references to temporaries now instead of at the next GC: a step's gradient handles
 * and intermediate results hold megabytes that the GC would otherwise keep for a while.
 */
export function release(...lists: readonly Handles[]): void {
  N ??= native();
  for (const list of lists) for (const h of list) N.dispose(h);
}

/** A zero-filled tensor shaped, typed and placed like `h` (one native call). */
export function zerosLike(h: Handle): Handle {
  return call("zeros_like", "", [h], { memoryFormat: "preserve_format" }) as Handle;
}
/** A tensor filled with `value`, shaped, typed and placed like `h`. */
export function fullLike(h: Handle, value: Scalar): Handle {
  return call("full_like", "", [h, value], { memoryFormat: "preserve_format" }) as Handle;
}
