// Spec 3.5: one master generator per run, seeded by `--random-seed`, from which every other
// generator is seeded. The same master seed gives the same sequence in every process and rank.
import { createRequire } from "node:module";
import type seedrandomType from "seedrandom";

// Loaded on first use (a run's start), not when a script only lists or shows --help.
type Seedrandom = typeof seedrandomType;
let seedrandomModule: Seedrandom | undefined;
const seedrandom: Seedrandom = ((...args: Parameters<Seedrandom>) =>
  (seedrandomModule ??= createRequire(import.meta.url)("seedrandom") as Seedrandom)(...args)) as Seedrandom;

/** The master generator's state, as stored under `__rng__` in a Context's state dict. */
export interface MasterRngState {
  readonly seed: string;
  readonly arc4: seedrandomType.State.Arc4;
}

let master: seedrandomType.StatefulPRNG<seedrandomType.State.Arc4> | null = null;
let masterSeed = "";

/** (Re)seeds the master generator; the standard plugin calls this when a run starts. */
export function seedMasterGenerator(seed: number | bigint): void {
  masterSeed = String(seed);
  master = seedrandom(masterSeed, { state: true });
}

/** Forgets the master generator when a run ends: seeds belong to a run. */
export function clearMasterGenerator(): void {
  master = null;
}

function requireMaster(what: string): seedrandomType.StatefulPRNG<seedrandomType.State.Arc4> {
  if (master === null) {
    throw new Error(`${what} can only be called while an experiment is running (the master random generator is seeded from --random-seed when the run starts).`);
  }
  return master;
}

/**
 * A new seed drawn from the run's master generator: `nbits` random bits, a number up to 53 bits
 * and a bigint above. Use it to seed any other generator, so a run is reproducible from its
 * `random-seed` alone.
 */
export function newSeed(): number;
export function newSeed(nbits: number): number | bigint;
export function newSeed(nbits = 32): number | bigint {
  if (!Number.isInteger(nbits) || nbits < 1) {
    throw new Error(`newSeed(nbits): nbits must be a positive integer, got ${String(nbits)}.`);
  }
  const generator = requireMaster("newSeed()");
  const word = (): number => generator.int32() >>> 0;
  if (nbits <= 32) return word() >>> (32 - nbits);
  // Like Python's getrandbits: 32-bit words, least significant first, the last one shortened.
  let value = 0n;
  for (let shift = 0, left = nbits; left > 0; shift += 32, left -= 32) {
    const bits = left < 32 ? word() >>> (32 - left) : word();
    value |= BigInt(bits) << BigInt(shift);
  }
  return nbits <= 53 ? Number(value) : value;
}

/** The master generator's state (for checkpoints that resume bit for bit). */
export function getMasterRngState(): MasterRngState {
  const generator = requireMaster("getMasterRngState()");
  return { seed: masterSeed, arc4: generator.state() };
}

/** Restores a state from `getMasterRngState()`. */
export function setMasterRngState(state: MasterRngState): void {
  requireMaster("setMasterRngState()");
  if (typeof state !== "object" || state === null || typeof state.arc4 !== "object" || !Array.isArray(state.arc4.S)) {
    throw new Error("setMasterRngState(): expected an object from getMasterRngState().");
  }
  masterSeed = String(state.seed);
  master = seedrandom("", { state: state.arc4 });
}
