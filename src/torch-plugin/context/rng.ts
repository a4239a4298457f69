// The random state a bitwise resume needs, stored under `__rng__` in a Context's state dict:
// the run's master generator (every `newSeed()` after the resume repeats the original run's)
// and libtorch's default CPU generator (dropout, init, shuffles without their own generator).
import { getMasterRngState, setMasterRngState, type MasterRngState } from "../../core/run/seed.js";
import { isNativeLoaded } from "../../torch/native.js";
import { Tensor } from "../../torch/tensor/tensor.js";
import { getRngState, setRngState } from "../../torch/ops/generator.js";

/** The key a Context's state dict keeps the RNG states under. */
export const RNG_KEY = "__rng__";

export interface RngStates {
  /** The master generator (present during a run). */
  master?: MasterRngState;
  /** libtorch's default CPU generator (present once libtorch is loaded). */
  torch?: Tensor;
}

function masterState(): MasterRngState | undefined {
  try {
    return getMasterRngState();
  } catch {
    return undefined; // outside a run there is no master generator to save
  }
}

export function captureRngStates(): RngStates {
  const states: RngStates = {};
  const master = masterState();
  if (master !== undefined) states.master = master;
  // Before libtorch loads nothing has drawn from its generator: the run's seed recreates it.
  if (isNativeLoaded()) states.torch = getRngState();
  return states;
}

export function restoreRngStates(states: unknown): void {
  if (typeof states !== "object" || states === null) {
    throw new Error(`Error when setting state for item '${RNG_KEY}', expected a dict, got '${states === null ? "null" : typeof states}'.`);
  }
  const { master, torch } = states as RngStates;
  if (master !== undefined && master !== null && masterState() !== undefined) setMasterRngState(master);
  if (torch instanceof Tensor) setRngState(torch.cpu());
}
