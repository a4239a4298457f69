// What every Context shares (ContextObject, ContextDict, ContextList and the 1.x Context):
// moving the whole session between devices, DDP, one state dict, and autotransform().
import { toSnakeCase } from "../../util/naming.js";
import { getCurrentRun } from "../../core/current-run.js";
import { getLogger } from "../../core/run/logging.js";
import { loadCheckpoint } from "../checkpoint.js";
import { cudaWanted, currentCudaDevice } from "../devices.js";
import { isDeviceString, type Device } from "../../torch/tensor/tensor.js";
import { requireDdpWrapper, type DdpWrapper } from "./ddp-hook.js";
import { ddpItem, ddpItems } from "./ddp.js";
import { moveItem, moveItems } from "./move.js";
import { RNG_KEY, captureRngStates, restoreRngStates } from "./rng.js";
import { collectState, joinPath, restoreItem, restoreState, stateError, stateOf } from "./state.js";
import { typeName } from "./items.js";

const logger = getLogger("pystematic.torch");

/** Method names of every Context: they cannot name items. */
export const CONTEXT_METHODS: ReadonlySet<string> = new Set([
  "to",
  "cuda",
  "cpu",
  "ddp",
  "stateDict",
  "loadStateDict",
  "autotransform",
  "constructor",
]);

export abstract class ContextBase {
  /** @internal Items as [key, value] pairs, in order. */
  abstract _entries(): [string, unknown][];
  /** @internal Replaces one item's value. */
  abstract _replace(key: string, value: unknown): void;

  /**
   * Moves every tensor, module, data loader and optimizer state (nested contexts included) to
   * `device` and returns this context. Items that cannot move (recorders, numbers) stay.
   */
  to(device: Device): this {
    if (typeof device !== "string" || !isDeviceString(device)) {
      throw new TypeError(`to(): expected a device such as "cpu" or "cuda:0", got ${JSON.stringify(device)}.`);
    }
    const deferred: (() => void)[] = [];
    this[moveItems](device, deferred);
    for (const reload of deferred) reload();
    return this;
  }

  /** `to("cuda:<current device>")`; a clear error without CUDA. */
  cuda(): this {
    return this.to(currentCudaDevice());
  }

  cpu(): this {
    return this.to("cpu");
  }

  /**
   * Wraps every module with trainable parameters in DistributedDataParallel (once: a second call
   * changes nothing) and silences every Recorder on ranks other than 0. Needs a distributed run.
   */
  ddp(): this {
    this[ddpItems](requireDdpWrapper());
    return this;
  }

  /** The state of every item (see the subclasses). */
  abstract stateDict(): unknown;
  /** Restores a state from `stateDict()` (see the subclasses). */
  abstract loadStateDict(state: unknown): void;

  /**
   * @internal The state of the whole session: each item's `stateDict()` (modules without a DDP
   * `module.` prefix), tensors, plain values, nested contexts, and under `__rng__` the random
   * states a bitwise resume needs.
   */
  protected _sessionState(): Record<string, unknown> {
    const state = this[collectState]("") as Record<string, unknown>;
    state[RNG_KEY] = captureRngStates();
    return state;
  }

  /**
   * @internal Restores a session state: stateful items load in place, moved to their own device
   * first; plain values are replaced. Keys without an item are ignored, items without a key are
   * left as they are. Errors name the item's full path. `__rng__` restores the random states.
   */
  protected _loadSessionState(state: unknown): void {
    this[restoreState](state, "");
    if (Object.hasOwn(state as object, RNG_KEY)) restoreRngStates((state as Record<string, unknown>)[RNG_KEY]);
  }

  /**
   * Applies the run's parameters: loads the `checkpoint` file if one is given, then moves to CUDA
   * if `cuda` is set (falling back to the CPU with a warning when CUDA is not available), then
   * wraps in DDP if `distributed` is set. Returns this context.
   */
  autotransform(): this {
    const run = getCurrentRun();
    if (run === null) throw new Error("autotransform() reads the run's parameters: call it while an experiment is running.");
    const { checkpoint, distributed } = run.params;
    if (typeof checkpoint === "string" && checkpoint.length > 0) {
      logger.info(`Loading checkpoint '${checkpoint}'.`);
      this.loadStateDict(loadCheckpoint(checkpoint));
    }
    if (cudaWanted()) this.cuda();
    if (distributed === true) this.ddp();
    return this;
  }

  /** @internal */
  [moveItems](device: Device, deferred: (() => void)[]): void {
    for (const [key, value] of this._entries()) this._replace(key, moveItem(value, device, deferred));
  }

  /** @internal */
  [ddpItems](wrapper: DdpWrapper): void {
    for (const [key, value] of this._entries()) this._replace(key, ddpItem(value, wrapper));
  }

  /** @internal */
  [collectState](path: string): unknown {
    const state: Record<string, unknown> = {};
    const from = new Map<string, string>();
    for (const [key, value] of this._entries()) {
      // Item names follow the parameters rule (lrScheduler -> lr_scheduler), as Python pystematic-torch's attributes.
      const stateKey = toSnakeCase(key);
      const clash = from.get(stateKey);
      if (clash !== undefined) throw stateError(joinPath(path, key), `its state key '${stateKey}' is also item '${joinPath(path, clash)}''s.`);
      from.set(stateKey, key);
      state[stateKey] = stateOf(value, joinPath(path, stateKey));
    }
    return state;
  }

  /** @internal */
  [restoreState](state: unknown, path: string): void {
    if (typeof state !== "object" || state === null || Array.isArray(state)) {
      throw stateError(path, `expected a dict, got '${typeName(state)}'.`);
    }
    const s = state as Record<string, unknown>;
    for (const [key, value] of this._entries()) {
      // snake_case keys, or the names as written (checkpoints saved before item names were converted).
      const snake = toSnakeCase(key);
      const stateKey = Object.hasOwn(s, snake) ? snake : key;
      if (Object.hasOwn(s, stateKey)) this._replace(key, restoreItem(value, s[stateKey], joinPath(path, stateKey)));
    }
  }
}
