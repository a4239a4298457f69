// How Experiment checkpoints reach the disk: PyTorch's checkpoint format (torch.save/torch.load).
// A checkpoint of plain data is written and read in pure TypeScript; libtorch is loaded only for
// one holding tensors (saving a live Tensor means it is loaded already; reading turns the file's
// tensors into Tensors).
import { loadObject } from "../torch/serialization/checkpoint.js";
import { TensorRecord } from "../torch/serialization/records.js";
import { fromRecords, save, type MapLocation } from "../torch/serialization/torch-io.js";

export type { MapLocation };

/** Writes `state` to `file` atomically (temp file, fsync, rename): a crash never leaves a torn file. */
export function writeCheckpoint(state: unknown, file: string): void {
  save(state, file);
}

/** Reads a checkpoint; its tensors become Tensors on `mapLocation` (default: where they were saved). */
export function readCheckpoint(file: string, mapLocation?: MapLocation): unknown {
  const value = loadObject(file);
  return holdsTensors(value) ? fromRecords(value, mapLocation) : value;
}

function holdsTensors(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) return false;
  if (value instanceof TensorRecord) return true;
  seen.add(value);
  const items = value instanceof Map ? value.values() : Array.isArray(value) ? value : Object.values(value);
  for (const item of items) if (holdsTensors(item, seen)) return true;
  return false;
}
