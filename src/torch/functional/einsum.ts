// torch.einsum: Python's wrapper (torch/functional.py) over aten::einsum: operands as varargs or
// one list, and the sublist form `einsum(a, [0, 1], b, [1, 2], [0, 2])`.
import { Tensor, describe } from "../tensor/tensor.js";
import { atenTensor } from "./raw.js";

/** A subscript of the sublist form: an integer in [0, 52) or `"..."` (Python's Ellipsis). */
export type Sublist = readonly (number | "...")[];

function subscript(n: number | "..."): string {
  if (n === "...") return "...";
  if (Number.isInteger(n) && n >= 0 && n < 26) return String.fromCharCode(65 + n);
  if (Number.isInteger(n) && n >= 26 && n < 52) return String.fromCharCode(97 + n - 26);
  throw new RangeError("einsum(): subscript in subscript list is not within the valid range [0, 52)");
}

/**
 * Sums the product of the operands' elements over the indices the equation names (Einstein
 * summation), as `torch.einsum`.
 *
 * Args:
 *   equation: subscripts such as `"ij,jk->ik"`; or, in the sublist form, operands each followed
 *     by its subscript list, with an optional output list last.
 *   operands: the tensors, as varargs or one array.
 *
 * @example
 * torch.einsum("ij,jk->ik", a, b);          // a @ b
 * torch.einsum("ii", [torch.eye(3)]);        // trace
 * torch.einsum(a, [0, 1], b, [1, 2], [0, 2]); // sublist form of a @ b
 */
export function einsum(equation: string, ...operands: Tensor[] | [readonly Tensor[]]): Tensor;
export function einsum(...sublistForm: (Tensor | Sublist)[]): Tensor;
export function einsum(...args: unknown[]): Tensor {
  if (args.length < 2) {
    throw new TypeError(
      "einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list",
    );
  }
  let equation: string;
  let operands: unknown[];
  if (args[0] instanceof Tensor) {
    const lists = args.filter((_, i) => i % 2 === 1) as Sublist[];
    equation = lists.map((l) => l.map(subscript).join("")).join(",");
    if (args.length % 2 === 1) {
      equation += "->" + (args[args.length - 1] as Sublist).map(subscript).join("");
      operands = args.slice(0, -1).filter((_, i) => i % 2 === 0);
    } else operands = args.filter((_, i) => i % 2 === 0);
  } else {
    if (typeof args[0] !== "string") throw new TypeError(`einsum(): equation must be a string, not ${describe(args[0])}`);
    equation = args[0];
    operands = args.slice(1);
    if (operands.length === 1 && Array.isArray(operands[0])) operands = operands[0] as unknown[];
  }
  operands.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`einsum(): operand ${i} must be a Tensor, not ${describe(t)}`);
  });
  return atenTensor("einsum", equation, operands);
}
