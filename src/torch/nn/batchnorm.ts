// Batch normalization: BatchNorm1d/2d/3d.
import type { Tensor } from "../tensor/tensor.js";
import { empty, scalarTensor, zeros, ones } from "../tensor/creation.js";
import { noGrad } from "../tensor/runtime.js";
import { Module, pyFloat } from "./module.js";
import { Parameter } from "./parameter.js";
import * as F from "./functional.js";
import * as init from "./init.js";
import { checkPositiveInt, factoryOf } from "./linear.js";
import type { Device } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { bind, type ArgsOf } from "../binding/index.js";

/** A batch norm's bound constructor arguments (Python's _BatchNorm keywords). */
export interface BatchNormArgs {
  numFeatures: number;
  eps: number;
  momentum: number | null;
  affine: boolean;
  trackRunningStats: boolean;
  device: Device | null;
  dtype: DType | null;
}

/**
 * Python's _NormBase._load_from_state_dict: a state dict of format version 1 (or with no version,
 * as one built by hand) has no num_batches_tracked; a running-stats module then keeps its own.
 */
export function defaultNumBatchesTracked(
  module: { trackRunningStats: boolean; numBatchesTracked: Tensor | null },
  stateDict: Record<string, unknown>,
  prefix: string,
  localMetadata: Record<string, unknown>,
): void {
  const version = localMetadata.version;
  if ((version === undefined || version === null || (typeof version === "number" && version < 2)) && module.trackRunningStats) {
    const key = `${prefix}num_batches_tracked`;
    if (!(key in stateDict)) stateDict[key] = module.numBatchesTracked ?? scalarTensor(0, { dtype: "int64" });
  }
}

/** The common part of the batch norms (PyTorch's _BatchNorm); state keys as PyTorch's. */
export abstract class BatchNormNd extends Module {
  static override readonly _version: number = 2;
  readonly numFeatures: number;
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  protected constructor(options: BatchNormArgs) {
    super();
    const { numFeatures } = options;
    checkPositiveInt(numFeatures, this.constructor.name, "numFeatures");
    this.numFeatures = numFeatures;
    this.eps = options.eps;
    this.momentum = options.momentum;
    this.affine = options.affine;
    this.trackRunningStats = options.trackRunningStats;
    const factory = factoryOf(options);
    this.weight = this.affine ? new Parameter(empty([numFeatures], factory)) : null;
    this.bias = this.affine ? new Parameter(empty([numFeatures], factory)) : null;
    this.stateKeys({ runningMean: "running_mean", runningVar: "running_var", numBatchesTracked: "num_batches_tracked" });
    if (this.trackRunningStats) {
      this.registerBuffer("runningMean", zeros([numFeatures], factory));
      this.registerBuffer("runningVar", ones([numFeatures], factory));
      this.registerBuffer("numBatchesTracked", scalarTensor(0, { dtype: "int64", device: factory.device }));
    } else {
      this.registerBuffer("runningMean", null);
      this.registerBuffer("runningVar", null);
      this.registerBuffer("numBatchesTracked", null);
    }
    this.resetParameters();
  }

  protected override loadFromStateDict(
    stateDict: Record<string, unknown>,
    prefix: string,
    localMetadata: Record<string, unknown>,
    strict: boolean,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
  ): void {
    defaultNumBatchesTracked(this, stateDict, prefix, localMetadata);
    super.loadFromStateDict(stateDict, prefix, localMetadata, strict, missingKeys, unexpectedKeys, errorMsgs);
  }

  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.runningMean!.zero_();
      this.runningVar!.fill_(1);
      this.numBatchesTracked!.zero_();
    });
  }

  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      init.ones_(this.weight!);
      init.zeros_(this.bias!);
    }
  }

  /** Throws unless the input has the dimensions this layer expects. */
  protected abstract checkInputDim(input: Tensor): void;

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked !== null) {
      noGrad(() => this.numBatchesTracked!.add_(1));
      if (this.momentum === null) factor = 1 / Number(this.numBatchesTracked.item());
    }
    const useBatchStats = this.training || (this.runningMean === null && this.runningVar === null);
    const track = !this.training || this.trackRunningStats;
    return F.batchNorm(input, track ? this.runningMean : null, track ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    const py = (b: boolean): string => (b ? "True" : "False");
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? "None" : pyFloat(this.momentum)}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

function checkDims(input: Tensor, allowed: number[], what: string): void {
  const d = input.dim();
  if (!allowed.includes(d)) throw new Error(`expected ${what} input (got ${d}D input)`);
}

/**
 * Batch normalization over a 2-d or 3-d input (torch.nn.BatchNorm1d):
 * y = (x − E[x]) / √(Var[x] + eps) · γ + β, statistics per channel over the batch.
 *
 * Args (positionally or by name, in Python's order): numFeatures (C), eps (1e-5), momentum
 * (0.1; null for a cumulative average), affine (true), trackRunningStats (true), device, dtype.
 *
 * Shape: Input (N, C) or (N, C, L); Output the same.
 *
 * State dict: weight, bias, running_mean, running_var, num_batches_tracked.
 */
export class BatchNorm1d extends BatchNormNd {
  constructor(...args: ArgsOf<"torch.nn.BatchNorm1d">) {
    super(bind("torch.nn.BatchNorm1d", args));
  }
  protected checkInputDim(input: Tensor): void {
    checkDims(input, [2, 3], "2D or 3D");
  }
}
/**
 * Batch normalization over a 4-d input (torch.nn.BatchNorm2d), per channel C.
 *
 * Shape: Input (N, C, H, W); Output the same.
 */
export class BatchNorm2d extends BatchNormNd {
  constructor(...args: ArgsOf<"torch.nn.BatchNorm2d">) {
    super(bind("torch.nn.BatchNorm2d", args));
  }
  protected checkInputDim(input: Tensor): void {
    checkDims(input, [4], "4D");
  }
}
/** Batch normalization over a 5-d input (torch.nn.BatchNorm3d). Shape: (N, C, D, H, W). */
export class BatchNorm3d extends BatchNormNd {
  constructor(...args: ArgsOf<"torch.nn.BatchNorm3d">) {
    super(bind("torch.nn.BatchNorm3d", args));
  }
  protected checkInputDim(input: Tensor): void {
    checkDims(input, [5], "5D");
  }
}

/**
 * Batch normalization over N-d inputs (torch.nn.SyncBatchNorm). Statistics are synchronised
 * across the processes of a process group in PyTorch; this build has one process per module, so
 * it is BatchNorm over the local batch (what PyTorch's SyncBatchNorm computes with world size 1).
 * A `processGroup` other than null is refused.
 *
 * Shape: (N, C, *); Output the same.
 */
export class SyncBatchNorm extends BatchNormNd {
  constructor(...args: ArgsOf<"torch.nn.SyncBatchNorm">) {
    const { processGroup, ...a } = bind("torch.nn.SyncBatchNorm", args);
    if (processGroup !== null) throw new TypeError("SyncBatchNorm(): argument 'processGroup' is not supported (one process: leave it null)");
    super(a);
  }
  protected checkInputDim(input: Tensor): void {
    if (input.dim() < 2) throw new Error(`expected at least 2D input (got ${input.dim()}D input)`);
  }
  /** A copy of `module` with every BatchNorm*d replaced by a SyncBatchNorm holding the same state. */
  static convertSyncBatchnorm<M extends Module>(module: M): M | SyncBatchNorm {
    if (module instanceof BatchNormNd && !(module instanceof SyncBatchNorm)) {
      const sync = new SyncBatchNorm(module.numFeatures, module.eps, module.momentum, module.affine, module.trackRunningStats);
      sync.loadStateDict(module.stateDict());
      sync.training = module.training;
      return sync;
    }
    const slots = module as unknown as Record<string, unknown>;
    for (const [name, child] of Array.from(module.namedChildren())) {
      const key = Object.keys(slots).find((k) => slots[k] === child) ?? name;
      slots[key] = SyncBatchNorm.convertSyncBatchnorm(child);
    }
    return module;
  }
}
