// torch.Generator and the default generator's state (DECISIONS: data shuffling and bitwise
// resume need them). A Generator wraps a libtorch CPU generator; ops taking `generator` use it.
import { native, Tensor } from "../tensor/tensor.js";

export class Generator {
  readonly device: "cpu";

  /** A new CPU generator (seeded with libtorch's default seed until `manualSeed`). */
  constructor(device: "cpu" = "cpu") {
    this.device = device;
    native().generatorAttach(this, device);
  }
  /** Seeds this generator; returns it, as PyTorch does. */
  manualSeed(seed: number | bigint): this {
    native().generatorManualSeed(this, seed);
    return this;
  }
  /** The seed this generator was last seeded with. */
  initialSeed(): bigint {
    return native().generatorInitialSeed(this);
  }
  /** Seeds from a nondeterministic source and returns that seed. */
  seed(): bigint {
    return native().generatorSeed(this);
  }
  /** The full state as a uint8 tensor (a copy): `setState` restores it exactly. */
  getState(): Tensor {
    return new Tensor(native().generatorGetState(this));
  }
  setState(state: Tensor): this {
    native().generatorSetState(this, state._h);
    return this;
  }
}

/** The default CPU generator's state as a uint8 tensor (torch.get_rng_state). */
export function getRngState(): Tensor {
  return new Tensor(native().generatorGetState(undefined));
}
/** Restores the default CPU generator's state (torch.set_rng_state). */
export function setRngState(state: Tensor): void {
  native().generatorSetState(undefined, state._h);
}
/** Seeds the default generator from a nondeterministic source and returns the seed (torch.seed). */
export function seed(): bigint {
  return native().generatorSeed(undefined);
}
