// torch.broadcast_tensors and torch.broadcast_shapes (torch/functional.py).
import type { Tensor } from "../tensor/tensor.js";
import { atenTensors, tensorList } from "./raw.js";

/**
 * Expands tensors to their common broadcast shape (views, no copies).
 *
 * @example
 * const [a, b] = torch.broadcastTensors(torch.zeros(3, 1), torch.zeros(1, 4)); // both [3, 4]
 */
export function broadcastTensors(...tensors: Tensor[] | [readonly Tensor[]]): Tensor[] {
  return atenTensors("broadcast_tensors", tensorList("broadcastTensors", tensors));
}

/**
 * The shape tensors of the given shapes broadcast to, without making tensors.
 *
 * Args:
 *   shapes: each an integer or an array of integers.
 *
 * @example
 * torch.broadcastShapes([2], [3, 1], [1, 1, 1]); // [1, 3, 2]
 */
export function broadcastShapes(...shapes: (number | readonly number[])[]): number[] {
  let length = 0;
  for (const shape of shapes) {
    if (typeof shape === "number") length = Math.max(length, 1);
    else if (Array.isArray(shape)) length = Math.max(length, shape.length);
    else throw new TypeError(`broadcastShapes(): shapes should be integers or arrays of integers, got ${String(shape)}`);
  }
  const result = new Array<number>(length).fill(1);
  for (const given of shapes) {
    const shape = typeof given === "number" ? [given] : given;
    for (let i = -1; i >= -shape.length; i--) {
      const size = shape[shape.length + i]!;
      if (!Number.isInteger(size)) throw new TypeError(`broadcastShapes(): sizes must be integers, got ${String(size)}`);
      if (size < 0) throw new RangeError(`broadcastShapes(): Trying to create tensor with negative dimension (${size})`);
      const r = length + i;
      if (size === 1 || size === result[r]) continue;
      if (result[r] !== 1) throw new RangeError("broadcastShapes(): Shape mismatch: objects cannot be broadcast to a single shape");
      result[r] = size;
    }
  }
  return result;
}
