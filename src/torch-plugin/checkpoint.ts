// pystematic's checkpoints (spec 5.2, DECISIONS "Checkpoints and files"): a plain torch.save of
// a state (usually a Context's) into the run directory, written by the master only, atomically.
import { isAbsolute, join } from "node:path";
import { getCurrentRun } from "../core/current-run.js";
import { getRankProvider } from "../core/providers.js";
import { getLogger } from "../core/run/logging.js";
import { load, save } from "../torch/serialization/torch-io.js";

const logger = getLogger("pystematic.torch");

/** Something whose state is saved through `stateDict()` (a Context, a module, an optimizer). */
export interface HasStateDict {
  stateDict(): unknown;
}

function hasStateDict(value: unknown): value is HasStateDict {
  return typeof value === "object" && value !== null && typeof (value as HasStateDict).stateDict === "function";
}

/** Where a checkpoint goes: `checkpoint-<id>.pt` for a number, the name as given for a string. */
export function checkpointPath(idOrFilename: number | string): string {
  let name: string;
  if (typeof idOrFilename === "number" || typeof idOrFilename === "bigint") {
    name = `checkpoint-${idOrFilename}.pt`;
  } else if (typeof idOrFilename === "string" && idOrFilename.length > 0) {
    name = idOrFilename;
  } else {
    throw new TypeError(`saveCheckpoint(): expected a checkpoint id (number) or a file name (string), got ${JSON.stringify(idOrFilename)}.`);
  }
  if (isAbsolute(name)) return name;
  const run = getCurrentRun();
  if (run === null) {
    throw new Error(`saveCheckpoint(): '${name}' goes in the run directory, and no experiment is running (give an absolute path to save outside a run).`);
  }
  return join(run.outputDir, name);
}

/**
 * Saves a checkpoint in the run directory: `saveCheckpoint(ctx.stateDict(), 3)` writes
 * `<run dir>/checkpoint-3.pt`; `saveCheckpoint(ctx, "best.pt")` saves `ctx.stateDict()` as
 * `<run dir>/best.pt`. PyTorch's format (Python's `torch.load` reads it), written atomically (a
 * crash leaves the previous file intact). In a distributed run only the master writes (no
 * barrier); the others return null. Returns the path written.
 */
export function saveCheckpoint(stateOrCtx: unknown, idOrFilename: number | string): string | null {
  const path = checkpointPath(idOrFilename);
  if (!getRankProvider().isMaster()) return null;
  const state = hasStateDict(stateOrCtx) ? stateOrCtx.stateDict() : stateOrCtx;
  logger.info(`Saving checkpoint '${path}'.`);
  save(state, path);
  return path;
}

/**
 * Loads a checkpoint with every tensor on the CPU, also tensors saved from CUDA devices (Python
 * needs `map_location="cpu"` for that). Restore it with `ctx.loadStateDict(state)`, which moves
 * each part to the device of the object it restores.
 */
export function loadCheckpoint(path: string): unknown {
  if (typeof path !== "string" || path.length === 0) throw new TypeError("loadCheckpoint(): expected a file path.");
  return load(path, { mapLocation: "cpu" });
}
