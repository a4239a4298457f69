// How Experiment checkpoints reach the disk. The default writes PyTorch's checkpoint format in pure
// TypeScript (no libtorch): plain data and TensorRecords. `pystematic/torch` registers its
// torch.save/torch.load here when it loads, so live tensors are converted (and libtorch is loaded
// only when a checkpoint holding tensors is written or read).
import { loadObject, saveObject } from "../torch/serialization/checkpoint.js";

export interface CheckpointIO {
  /** Writes `state` to `file` atomically (a crash never leaves a torn file under that name). */
  save(state: unknown, file: string): void;
  /** Reads a file written by `save` (or by Python's torch.save). */
  load(file: string): unknown;
}

const recordsIO: CheckpointIO = {
  save: (state, file) => saveObject(state, file),
  load: (file) => loadObject(file),
};

let current: CheckpointIO | null = null;

/** Registers the checkpoint reader/writer for tensors (done by `pystematic/torch`); null resets it. */
export function setCheckpointIO(io: CheckpointIO | null): void {
  current = io;
}

/** The registered checkpoint IO, or the pure-TypeScript one for plain data and TensorRecords. */
export function getCheckpointIO(): CheckpointIO {
  return current ?? recordsIO;
}

/**
 * Checks a tensor in a state about to be saved: without a registered IO a live tensor cannot be
 * written, and pickling would only say "a Tensor instance has no Python equivalent".
 */
export function checkSavableTensor(where: string): void {
  if (current === null) {
    throw new Error(
      `cannot save the tensor at ${where}: import 'pystematic/torch' first (it registers tensor conversion for checkpoints)`,
    );
  }
}
