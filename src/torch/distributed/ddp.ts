// DistributedDataParallel: gradient synchronisation through c10d's Reducer, PyTorch's own
// engine: parameters go into buckets (1 MB first, then 25 MB), and each bucket's all-reduce
// starts from an autograd hook as soon as its gradients are ready, overlapping backward.
import { Module } from "../nn/module.js";
import { Tensor } from "../tensor/tensor.js";
import { isGradEnabled } from "../tensor/runtime.js";
import type { ReducerHandle } from "../native.js";
import { c10d, requireGroup, type ProcessGroup } from "./process-group.js";

export interface DistributedDataParallelOptions {
  /** Search the forward's outputs for parameters that got no gradient (default false). */
  findUnusedParameters?: boolean;
  /** Bucket size for gradient all-reduces, MB (default 25, as PyTorch). */
  bucketCapMB?: number;
  /** Broadcast buffers (BatchNorm statistics) from rank 0 before every forward (default true). */
  broadcastBuffers?: boolean;
  /** Let `.grad` view the communication buckets (saves a copy; default false). */
  gradientAsBucketView?: boolean;
}

const BROADCAST_BUCKET_BYTES = 250 * 1024 * 1024;

function tensorsIn(value: unknown, out: Tensor[] = [], seen = new Set<unknown>()): Tensor[] {
  if (value instanceof Tensor) out.push(value);
  else if (typeof value === "object" && value !== null && !seen.has(value)) {
    seen.add(value);
    for (const v of value instanceof Map ? value.values() : Object.values(value)) tensorsIn(v, out, seen);
  }
  return out;
}

/**
 * Wraps a module for data-parallel training across the ranks of the process group
 * (torch.nn.parallel.DistributedDataParallel). At construction, rank 0's parameters and
 * buffers are copied to every rank; after each backward pass, every rank holds the average of
 * all ranks' gradients, so identical optimizer steps keep parameters identical.
 *
 * The wrapped module is `ddp.module`; its state-dict keys get a `module.` prefix, as in PyTorch.
 *
 * @example
 * const model = new DistributedDataParallel(new Net());
 * const loss = lossFn(model.call(x), y);
 * loss.backward(); // gradients are averaged across ranks here
 */
export class DistributedDataParallel<M extends Module = Module> extends Module {
  readonly module: M;
  #reducer: ReducerHandle;
  #group: ProcessGroup;
  #findUnused: boolean;
  #broadcastBuffers: boolean;
  #requireSync = true;

  constructor(module: M, options: DistributedDataParallelOptions = {}) {
    super();
    if (!(module instanceof Module)) throw new TypeError("DistributedDataParallel: expected an nn.Module");
    this.module = module;
    this.#group = requireGroup("DistributedDataParallel");
    this.#findUnused = options.findUnusedParameters ?? false;
    this.#broadcastBuffers = options.broadcastBuffers ?? true;
    const d = c10d();
    const named = Array.from(module.namedParameters()).filter(([, p]) => p.requiresGrad);
    if (named.length === 0) {
      throw new Error("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
    }
    // Every rank starts from rank 0's state (PyTorch's _sync_module_states).
    const state = [...module.parameters(), ...module.buffers()].map((t) => t._h);
    if (state.length) d.broadcastCoalesced(this.#group.handle, state, 0, BROADCAST_BUCKET_BYTES);
    this.#reducer = d.reducer(
      this.#group.handle,
      named.map(([, p]) => p._h),
      Math.round((options.bucketCapMB ?? 25) * 1024 * 1024),
      this.#findUnused,
      options.gradientAsBucketView ?? false,
      named.map(([name]) => name),
    );
  }

  /** Runs the wrapped module, arming gradient synchronisation for the next backward. */
  override forward(...args: unknown[]): unknown {
    const d = c10d();
    const sync = isGradEnabled() && this.#requireSync;
    if (sync) d.reducerPrepareForward(this.#reducer);
    if (this.#broadcastBuffers && this.#group.worldSize > 1) {
      const buffers = this.module.buffers().map((b) => b._h);
      if (buffers.length) d.broadcastCoalesced(this.#group.handle, buffers, 0, BROADCAST_BUCKET_BYTES);
    }
    const output = (this.module.call as (...a: unknown[]) => unknown)(...args);
    if (sync) d.reducerPrepareBackward(this.#reducer, this.#findUnused ? tensorsIn(output).map((t) => t._h) : []);
    return output;
  }

  /**
   * Runs `fn` without gradient synchronisation: backward passes inside accumulate local
   * gradients, which the first synchronised backward after it averages (gradient accumulation).
   */
  noSync<T>(fn: () => T): T {
    const previous = this.#requireSync;
    this.#requireSync = false;
    try {
      return fn();
    } finally {
      this.#requireSync = previous;
    }
  }
}
