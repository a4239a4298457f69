// torch.meshgrid: Python's wrapper over aten::meshgrid: tensors as varargs or one list, `indexing`.
import type { Tensor } from "../tensor/tensor.js";
import { bindArgs } from "../binding/index.js";
import { atenTensors, tensorList } from "./raw.js";

/**
 * Coordinate grids from 1-d tensors: output `i` varies along dimension `i` (`indexing: "ij"`,
 * the default in torch 1.13) or with the first two dimensions swapped (`"xy"`).
 *
 * Args:
 *   tensors: 1-d (or 0-d) tensors, as varargs or one array.
 *   indexing (option): `"ij"` or `"xy"`.
 *
 * Shape: N tensors of sizes s1..sN give N tensors of shape [s1, ..., sN] ("ij").
 *
 * @example
 * const [gx, gy] = torch.meshgrid(torch.arange(2), torch.arange(3), { indexing: "xy" });
 */
export function meshgrid(...args: [...tensors: Tensor[]] | [...tensors: Tensor[], options: { indexing?: "ij" | "xy" | null }] | [tensors: readonly Tensor[], options?: { indexing?: "ij" | "xy" | null }]): Tensor[] {
  const a = bindArgs<{ tensors: unknown[]; indexing: string | null }>("torch.meshgrid", args);
  const tensors = tensorList("meshgrid", a.tensors);
  const indexing = a.indexing ?? "ij";
  if (indexing !== "ij" && indexing !== "xy") {
    throw new TypeError(`meshgrid(): indexing must be one of "xy" or "ij", but received: ${indexing}`);
  }
  return atenTensors("meshgrid", tensors, { indexing });
}
