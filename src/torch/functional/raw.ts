// The functional helpers call ATen ops by name through torch.ops.aten (their public names are
// the Python-level wrappers of this folder).
import { aten } from "../ops/aten.js";
import { Tensor, describe } from "../tensor/tensor.js";

/** Calls `aten::<name>` and returns its single Tensor result. */
export function atenTensor(name: string, ...args: unknown[]): Tensor {
  return aten[name]!(...args) as Tensor;
}

/** Calls `aten::<name>` and returns its Tensor list or tuple result. */
export function atenTensors(name: string, ...args: unknown[]): Tensor[] {
  return aten[name]!(...args) as Tensor[];
}

/** Python's `*tensors` that also takes one list: `f(a, b)` and `f([a, b])`. */
export function tensorList(fn: string, values: readonly unknown[]): Tensor[] {
  const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${fn}(): expected Tensors, argument ${i} is ${describe(t)}`);
  });
  return list as Tensor[];
}
