// Learning-rate schedulers (torch.optim.lr_scheduler): each sets `lr` in its optimizer's param
// groups, step by step, computing exactly what PyTorch's (chainable) forms compute. Their
// `stateDict()` holds PyTorch's keys (`base_lrs`, `last_epoch`, `_step_count`, ...), so a
// scheduler's state interchanges with Python's `scheduler.state_dict()`.
import type { Optimizer, ParamGroup, RefinedArgs } from "./optimizer.js";
import { torch2Layout } from "./python-layout.js";
import { bindArgs, isPlainObject, type BoundOf, type PySignatures } from "../binding/index.js";

/** A scheduler's bound arguments: every parameter by camelCase name, those Python leaves untyped typed by `R`. */
type SchedulerBound<Q extends keyof PySignatures, R> = Omit<BoundOf<Q>, keyof R> & R;

/** Our earlier option names (`tMax`) as aliases of Python's (`T_max` is `TMax` by the camelCase rule). */
function withAliases(args: readonly unknown[], aliases: Record<string, string>): unknown[] {
  const last = args[args.length - 1];
  if (!isPlainObject(last)) return [...args];
  const renamed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(last)) renamed[aliases[k] ?? k] = v;
  return [...args.slice(0, -1), renamed];
}

/** A scheduler state dict: Python's `scheduler.__dict__` without the optimizer. */
export type SchedulerStateDict = Record<string, unknown>;

/** Python's `'{:.4e}'.format(x)` (two-digit exponent), for verbose messages. */
function formatE(x: number): string {
  return x.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
}

function copyValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyValue);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, copyValue(x)]));
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyValue(x)]));
  return v;
}

/**
 * The base of the epoch-driven schedulers (Python's `LRScheduler`). Construction sets each group's
 * `initialLr` (when `lastEpoch` is -1) and takes the first step, which sets the lr for epoch 0.
 * Call `step()` after `optimizer.step()`, once per epoch (or per iteration, for per-step schedules).
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** Each group's `initialLr`. */
  baseLrs: number[];
  /** The index of the last epoch stepped to. */
  lastEpoch: number;
  verbose: boolean;
  protected stepCount = 0;
  protected getLrCalledWithinStep = false;
  protected lastLr: number[] = [];
  /** Subclass attributes in the state dict: [Python key, property], in Python's order. */
  protected abstract readonly ownState: readonly (readonly [string, string])[];

  // verbose: torch 2.x's default is the string "deprecated" (no messages); only `true` prints.
  protected constructor(optimizer: Optimizer, lastEpoch = -1, verbose: boolean | string = false, initialStep = true) {
    if (typeof optimizer !== "object" || optimizer === null || !Array.isArray(optimizer.paramGroups)) {
      throw new TypeError("scheduler: expected an Optimizer");
    }
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups as ParamGroup[];
    if (lastEpoch === -1) {
      for (const g of groups) if (!("initialLr" in g)) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (!("initialLr" in g)) {
          throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this.verbose = verbose === true;
    if (initialStep) this.initialStep();
  }

  /** @internal Resets the step count and takes the step for epoch `lastEpoch + 1`. */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The lr of each group as last set by this scheduler. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The chainable form: the next lrs from the current ones (Python's `get_lr`). */
  protected abstract getLr(): number[];
  /** The closed form for an explicit epoch, where the schedule has one. */
  protected closedFormLr?(): number[];

  /** Advances one epoch; `epoch` (deprecated in PyTorch) jumps to that epoch, using the closed form. */
  step(epoch?: number): void {
    this.stepCount++;
    this.getLrCalledWithinStep = true;
    let values: number[];
    try {
      if (epoch === undefined) {
        this.lastEpoch++;
        values = this.getLr();
      } else {
        this.lastEpoch = epoch;
        values = this.closedFormLr ? this.closedFormLr() : this.getLr();
      }
    } finally {
      this.getLrCalledWithinStep = false;
    }
    const groups = this.optimizer.paramGroups as ParamGroup[];
    groups.forEach((g, i) => {
      g.lr = values[i]!;
      if (this.verbose) {
        console.log(
          epoch === undefined
            ? `Adjusting learning rate of group ${i} to ${formatE(g.lr)}.`
            : `Epoch ${String(epoch).padStart(5, "0")}: adjusting learning rate of group ${i} to ${formatE(g.lr)}.`,
        );
      }
    });
    this.lastLr = groups.map((g) => g.lr);
  }

  protected get groups(): ParamGroup[] {
    return this.optimizer.paramGroups as ParamGroup[];
  }

  /** This scheduler's own state keys (a subclass may hold some only conditionally). */
  protected stateKeysOwn(): readonly (readonly [string, string])[] {
    return this.ownState;
  }

  private stateKeys(): (readonly [string, string])[] {
    return [
      ...this.stateKeysOwn(),
      ["base_lrs", "baseLrs"],
      ["last_epoch", "lastEpoch"],
      ["verbose", "verbose"],
      ["_step_count", "stepCount"],
      ["_get_lr_called_within_step", "getLrCalledWithinStep"],
      ["_last_lr", "lastLr"],
    ];
  }

  /** PyTorch's `state_dict()`: every attribute but the optimizer, under Python's names. */
  stateDict(): SchedulerStateDict {
    const self = this as unknown as Record<string, unknown>;
    const out: SchedulerStateDict = {};
    for (const [key, prop] of this.stateKeys()) out[key] = copyValue(self[prop]);
    return out;
  }

  /** Restores a state from `stateDict()` or Python's `scheduler.state_dict()`. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    if (typeof stateDict !== "object" || stateDict === null) throw new TypeError("loadStateDict(): expected an object");
    const self = this as unknown as Record<string, unknown>;
    for (const [key, prop] of this.stateKeys()) {
      if (key in stateDict) self[prop] = this.readState(key, copyValue(stateDict[key]));
    }
  }

  /** Converts a loaded value (subclasses with non-plain attributes override). */
  protected readState(_key: string, value: unknown): unknown {
    return value;
  }
}

type LrLambda = (epoch: number) => number;

/** One lambda per param group: the same function for all, or a list with one per group. */
function lambdasPerGroup(optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[]): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (typeof lrLambda === "function") return new Array<LrLambda>(n).fill(lrLambda);
  if (lrLambda.length !== n) throw new RangeError(`Expected ${n} lr_lambdas, but got ${lrLambda.length}`);
  return [...lrLambda];
}

/** Multiplies each group's initial lr by `lrLambda(epoch)` (one function, or one per group). */
export class LambdaLR extends LRScheduler {
  protected readonly ownState = [] as const;
  readonly lrLambdas: LrLambda[];

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.LambdaLR", { optimizer: Optimizer; lrLambda: LrLambda | readonly LrLambda[] }>) {
    const { optimizer, lrLambda, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.LambdaLR", { optimizer: Optimizer; lrLambda: LrLambda | readonly LrLambda[] }>>("torch.optim.lr_scheduler.LambdaLR", args);
    const lambdas = lambdasPerGroup(optimizer, lrLambda);
    super(optimizer, options.lastEpoch, options.verbose, false);
    this.lrLambdas = lambdas;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i]!(this.lastEpoch));
  }

  /** As Python's: the functions themselves are not saved (`lr_lambdas` holds nulls). */
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: this.lrLambdas.map(() => null) };
  }
}

/** Multiplies the lr by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  protected readonly ownState = [["step_size", "stepSize"], ["gamma", "gamma"]] as const;
  stepSize: number;
  gamma: number;

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.StepLR", { optimizer: Optimizer; stepSize: number }>) {
    const { optimizer, stepSize, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.StepLR", { optimizer: Optimizer; stepSize: number }>>("torch.optim.lr_scheduler.StepLR", args);
    super(optimizer, options.lastEpoch, options.verbose, false);
    if (!Number.isInteger(stepSize) || stepSize <= 0) throw new RangeError(`StepLR: stepSize must be a positive integer, got ${stepSize}`);
    this.stepSize = stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** Multiplies the lr by `gamma` at each milestone epoch (a repeated milestone, once per repeat). */
export class MultiStepLR extends LRScheduler {
  protected readonly ownState = [["milestones", "milestones"], ["gamma", "gamma"]] as const;
  /** Milestone -> how many times it was given (Python's Counter). */
  milestones: Map<number, number>;
  gamma: number;

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.MultiStepLR", { optimizer: Optimizer; milestones: readonly number[] }>) {
    const { optimizer, milestones, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.MultiStepLR", { optimizer: Optimizer; milestones: readonly number[] }>>("torch.optim.lr_scheduler.MultiStepLR", args);
    super(optimizer, options.lastEpoch, options.verbose, false);
    this.milestones = new Map();
    for (const m of milestones) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const count = this.milestones.get(this.lastEpoch);
    if (count === undefined) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    let passed = 0;
    for (const [m, c] of this.milestones) if (m <= this.lastEpoch) passed += c;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }

  protected override readState(key: string, value: unknown): unknown {
    if (key !== "milestones") return value;
    if (value instanceof Map) return new Map([...value].map(([k, c]) => [Number(k), Number(c)]));
    if (Array.isArray(value)) {
      const m = new Map<number, number>();
      for (const x of value) m.set(Number(x), (m.get(Number(x)) ?? 0) + 1);
      return m;
    }
    return new Map(Object.entries(value as Record<string, number>).map(([k, c]) => [Number(k), Number(c)]));
  }
}

/** Multiplies the lr by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  protected readonly ownState = [["gamma", "gamma"]] as const;
  gamma: number;

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.ExponentialLR", { optimizer: Optimizer; gamma: number }>) {
    const { optimizer, gamma, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.ExponentialLR", { optimizer: Optimizer; gamma: number }>>("torch.optim.lr_scheduler.ExponentialLR", args);
    super(optimizer, options.lastEpoch, options.verbose, false);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}

/** Multiplies the lr by `lrLambda(epoch)` every epoch (one function, or one per group). */
export class MultiplicativeLR extends LRScheduler {
  protected readonly ownState = [] as const;
  readonly lrLambdas: LrLambda[];

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.MultiplicativeLR", { optimizer: Optimizer; lrLambda: LrLambda | readonly LrLambda[] }>) {
    const { optimizer, lrLambda, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.MultiplicativeLR", { optimizer: Optimizer; lrLambda: LrLambda | readonly LrLambda[] }>>("torch.optim.lr_scheduler.MultiplicativeLR", args);
    const lambdas = lambdasPerGroup(optimizer, lrLambda);
    super(optimizer, options.lastEpoch, options.verbose, false);
    this.lrLambdas = lambdas;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch > 0) return this.groups.map((g, i) => g.lr * this.lrLambdas[i]!(this.lastEpoch));
    return this.groups.map((g) => g.lr);
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: this.lrLambdas.map(() => null) };
  }
}

/** Multiplies the lr by `factor` until epoch `totalIters`, then restores it (a warm-up). */
export class ConstantLR extends LRScheduler {
  protected readonly ownState = [["factor", "factor"], ["total_iters", "totalIters"]] as const;
  factor: number;
  totalIters: number;

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.ConstantLR", { optimizer: Optimizer }>) {
    const { optimizer, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.ConstantLR", { optimizer: Optimizer }>>("torch.optim.lr_scheduler.ConstantLR", args);
    const factor = options.factor ?? 1 / 3;
    if (factor > 1 || factor < 0) throw new RangeError("Constant multiplicative factor expected to be between 0 and 1.");
    super(optimizer, options.lastEpoch, options.verbose, false);
    this.factor = factor;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1.0 / this.factor));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}

/** Decays the lr polynomially to 0 over `totalIters` epochs: lr_0·(1 − t/totalIters)^power. */
export class PolynomialLR extends LRScheduler {
  protected readonly ownState = [["total_iters", "totalIters"], ["power", "power"]] as const;
  totalIters: number;
  power: number;

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.PolynomialLR", { optimizer: Optimizer }>) {
    const { optimizer, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.PolynomialLR", { optimizer: Optimizer }>>("torch.optim.lr_scheduler.PolynomialLR", args);
    super(optimizer, options.lastEpoch, options.verbose, false);
    this.totalIters = options.totalIters ?? 5;
    this.power = options.power ?? 1.0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, totalIters: n } = this;
    if (t === 0 || t > n) return this.groups.map((g) => g.lr);
    const decay = ((1.0 - t / n) / (1.0 - (t - 1) / n)) ** this.power;
    return this.groups.map((g) => g.lr * decay);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (1.0 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}

/**
 * Cosine annealing from the initial lr to `etaMin` over `tMax` epochs (then back up, as
 * PyTorch's recursive form does):
 *   lr_t = etaMin + (lr_0 − etaMin)·(1 + cos(π·t/tMax))/2
 */
export class CosineAnnealingLR extends LRScheduler {
  protected readonly ownState = [["T_max", "tMax"], ["eta_min", "etaMin"]] as const;
  tMax: number;
  etaMin: number;

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.CosineAnnealingLR", { optimizer: Optimizer; TMax: number }>) {
    const { optimizer, TMax: tMax, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.CosineAnnealingLR", { optimizer: Optimizer; TMax: number }>>(
      "torch.optim.lr_scheduler.CosineAnnealingLR",
      withAliases(args, { tMax: "TMax" }),
    );
    super(optimizer, options.lastEpoch, options.verbose, false);
    this.tMax = tMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, tMax: T, etaMin } = this;
    if (t === 0) return this.groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) {
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((t * Math.PI) / T))) / 2);
    }
    if ((t - 1 - T) % (2 * T) === 0) {
      return this.groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return this.groups.map(
      (g) => ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (g.lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}

/**
 * Cosine annealing with warm restarts (SGDR): the lr falls from the initial lr to `etaMin` over
 * `t0` epochs, then restarts, each cycle `tMult` times longer than the last. `step(epoch)` takes
 * fractional epochs (call it per batch with `epoch + i / iters`).
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  protected readonly ownState = [["T_0", "t0"], ["T_i", "tI"], ["T_mult", "tMult"], ["eta_min", "etaMin"], ["T_cur", "tCur"]] as const;
  t0: number;
  tI: number;
  tMult: number;
  etaMin: number;
  tCur: number;

  constructor(
    ...args:
      | RefinedArgs<"torch.optim.lr_scheduler.CosineAnnealingWarmRestarts", { optimizer: Optimizer; T0: number }>
      // our earlier option names, kept as aliases
      | [optimizer: Optimizer, t0: number, options: { tMult?: number; etaMin?: number; lastEpoch?: number; verbose?: boolean }]
  ) {
    const { optimizer, T0: t0, TMult: tMult, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.CosineAnnealingWarmRestarts", { optimizer: Optimizer; T0: number }>>(
      "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts",
      withAliases(args, { t0: "T0", tMult: "TMult" }),
    );
    if (!Number.isInteger(t0) || t0 <= 0) throw new RangeError(`Expected positive integer T_0, but got ${t0}`);
    if (!Number.isInteger(tMult) || tMult < 1) throw new RangeError(`Expected integer T_mult >= 1, but got ${tMult}`);
    super(optimizer, options.lastEpoch, options.verbose, false);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = options.etaMin ?? 0;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  /** As PyTorch's own step: it keeps no step count of its own. */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else {
      if (epoch < 0) throw new RangeError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.t0) {
        if (this.tMult === 1) this.tCur = epoch % this.t0;
        else {
          const n = Math.floor(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this.getLrCalledWithinStep = true;
    let values: number[];
    try {
      values = this.getLr();
    } finally {
      this.getLrCalledWithinStep = false;
    }
    this.groups.forEach((g, i) => (g.lr = values[i]!));
    this.lastLr = this.groups.map((g) => g.lr);
  }
}

/** Scales the lr linearly from `startFactor` to `endFactor` of the initial lr over `totalIters` epochs. */
export class LinearLR extends LRScheduler {
  protected readonly ownState = [["start_factor", "startFactor"], ["end_factor", "endFactor"], ["total_iters", "totalIters"]] as const;
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.LinearLR", { optimizer: Optimizer }>) {
    const { optimizer, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.LinearLR", { optimizer: Optimizer }>>("torch.optim.lr_scheduler.LinearLR", args);
    const startFactor = options.startFactor ?? 1 / 3;
    const endFactor = options.endFactor ?? 1.0;
    if (startFactor > 1 || startFactor < 0) throw new RangeError("Starting multiplicative factor expected to be between 0 and 1.");
    if (endFactor > 1 || endFactor < 0) throw new RangeError("Ending multiplicative factor expected to be between 0 and 1.");
    super(optimizer, options.lastEpoch, options.verbose, false);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    if (t === 0) return this.groups.map((g) => g.lr * s);
    if (t > n) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(n, this.lastEpoch)) / n));
  }
}

interface OneCyclePhase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

export interface OneCycleLROptions {
  /** The number of steps in the cycle, or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** The fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum (or Adam's beta1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  /** initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** min lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
  verbose?: boolean;
}

/**
 * The 1cycle policy (Smith & Topsom): the lr rises from maxLr/divFactor to maxLr, then anneals to
 * a minimum far below; momentum moves the other way. Step it after every batch.
 */
export class OneCycleLR extends LRScheduler {
  protected readonly ownState = [
    ["total_steps", "totalSteps"],
    ["_schedule_phases", "schedulePhases"],
    ["_anneal_func_type", "annealStrategy"],
    ["cycle_momentum", "cycleMomentum"],
    ["use_beta1", "useBeta1"],
  ] as const;
  totalSteps: number;
  annealStrategy: "cos" | "linear";
  cycleMomentum: boolean;
  useBeta1 = false;
  private schedulePhases: OneCyclePhase[];

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.OneCycleLR", { optimizer: Optimizer; maxLr: number | readonly number[]; totalSteps: number | null; epochs: number | null; stepsPerEpoch: number | null; annealStrategy: "cos" | "linear"; baseMomentum: number | readonly number[]; maxMomentum: number | readonly number[] }>) {
    const { optimizer, maxLr, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.OneCycleLR", { optimizer: Optimizer; maxLr: number | readonly number[]; totalSteps: number | null; epochs: number | null; stepsPerEpoch: number | null; annealStrategy: "cos" | "linear"; baseMomentum: number | readonly number[]; maxMomentum: number | readonly number[] }>>("torch.optim.lr_scheduler.OneCycleLR", args);
    const lastEpoch = options.lastEpoch ?? -1;
    let totalSteps: number;
    if (options.totalSteps !== null) {
      if (!Number.isInteger(options.totalSteps) || options.totalSteps <= 0) {
        throw new RangeError(`Expected positive integer total_steps, but got ${options.totalSteps}`);
      }
      totalSteps = options.totalSteps;
    } else if (options.epochs != null && options.stepsPerEpoch != null) {
      if (!Number.isInteger(options.epochs) || options.epochs <= 0) throw new RangeError(`Expected positive integer epochs, but got ${options.epochs}`);
      if (!Number.isInteger(options.stepsPerEpoch) || options.stepsPerEpoch <= 0) {
        throw new RangeError(`Expected positive integer steps_per_epoch, but got ${options.stepsPerEpoch}`);
      }
      totalSteps = options.epochs * options.stepsPerEpoch;
    } else throw new Error("You must define either total_steps OR (epochs AND steps_per_epoch)");
    const pct = options.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) throw new RangeError(`Expected float between 0 and 1 pct_start, but got ${pct}`);
    const anneal = options.annealStrategy ?? "cos";
    if (anneal !== "cos" && anneal !== "linear") {
      throw new RangeError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(anneal)}`);
    }
    const phases: OneCyclePhase[] = options.threePhase
      ? [
          { end_step: pct * totalSteps - 1, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" },
          { end_step: 2 * pct * totalSteps - 2, start_lr: "max_lr", end_lr: "initial_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" },
          { end_step: totalSteps - 1, start_lr: "initial_lr", end_lr: "min_lr", start_momentum: "max_momentum", end_momentum: "max_momentum" },
        ]
      : [
          { end_step: pct * totalSteps - 1, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" },
          { end_step: totalSteps - 1, start_lr: "max_lr", end_lr: "min_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" },
        ];
    const groups = optimizer.paramGroups as ParamGroup[];
    const perGroup = (name: string, v: number | readonly number[]): number[] => {
      if (typeof v === "number") return new Array(groups.length).fill(v);
      if (v.length !== groups.length) throw new RangeError(`expected ${groups.length} values for ${name}, got ${v.length}`);
      return [...v];
    };
    const maxLrs = perGroup("max_lr", maxLr);
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        g.maxLr = maxLrs[i]!;
        g.minLr = (g.initialLr as number) / finalDivFactor;
      });
    }
    const cycleMomentum = options.cycleMomentum ?? true;
    let useBeta1 = false;
    if (cycleMomentum) {
      const defaults = optimizer.defaults as Record<string, unknown>;
      if (!("momentum" in defaults) && !("betas" in defaults)) {
        throw new Error("optimizer must support momentum with `cycle_momentum` option enabled");
      }
      useBeta1 = "betas" in defaults;
      const maxM = perGroup("max_momentum", options.maxMomentum ?? 0.95);
      const baseM = perGroup("base_momentum", options.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i]!, ...(g.betas as number[]).slice(1)];
          else g.momentum = maxM[i]!;
          g.maxMomentum = maxM[i]!;
          g.baseMomentum = baseM[i]!;
        });
      }
    }
    super(optimizer, lastEpoch, options.verbose, false);
    this.totalSteps = totalSteps;
    this.schedulePhases = phases;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "cos") return end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new RangeError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    const key = (snake: string): string => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    return this.groups.map((group) => {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      const phases = this.schedulePhases;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i]!;
        const endStep = phase.end_step;
        if (stepNum <= endStep || i === phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(group[key(phase.start_lr)] as number, group[key(phase.end_lr)] as number, pct);
          if (this.cycleMomentum) {
            momentum = this.anneal(group[key(phase.start_momentum)] as number, group[key(phase.end_momentum)] as number, pct);
          }
          break;
        }
        startStep = phase.end_step;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)];
        else group.momentum = momentum;
      }
      return lr;
    });
  }
}

/**
 * Runs `schedulers` one after another, switching at each epoch in `milestones` (one fewer than
 * schedulers). The schedulers must share `optimizer`.
 */
export class SequentialLR {
  readonly optimizer: Optimizer;
  readonly schedulers: LRScheduler[];
  milestones: number[];
  lastEpoch: number;
  private lastLr: number[];

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.SequentialLR", { optimizer: Optimizer; schedulers: readonly LRScheduler[]; milestones: readonly number[] }>) {
    const { optimizer, schedulers, milestones, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.SequentialLR", { optimizer: Optimizer; schedulers: readonly LRScheduler[]; milestones: readonly number[] }>>("torch.optim.lr_scheduler.SequentialLR", args);
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new Error(
          `Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`,
        );
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(
        "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, " +
          `but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    }
    this.optimizer = optimizer;
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = (options.lastEpoch ?? -1) + 1;
    // back to the initial lrs, undoing the first step each scheduler took when it was made
    for (const g of optimizer.paramGroups as ParamGroup[]) g.lr = g.initialLr as number;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  step(): void {
    this.lastEpoch++;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return {
      _milestones: [...this.milestones],
      last_epoch: this.lastEpoch,
      _last_lr: [...this.lastLr],
      _schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    if ("_milestones" in stateDict) this.milestones = (stateDict._milestones as number[]).map(Number);
    if ("last_epoch" in stateDict) this.lastEpoch = Number(stateDict.last_epoch);
    if ("_last_lr" in stateDict) this.lastLr = [...(stateDict._last_lr as number[])];
    const inner = stateDict._schedulers as SchedulerStateDict[] | undefined;
    inner?.forEach((sd, i) => this.schedulers[i]?.loadStateDict(sd));
  }
}

/** Steps several schedulers together, each multiplying its factor into the lr. */
export class ChainedScheduler {
  readonly optimizer: Optimizer;
  readonly schedulers: LRScheduler[];
  private lastLr: number[];

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.ChainedScheduler", { schedulers: readonly LRScheduler[] }>) {
    const { schedulers } = bindArgs<{ schedulers: readonly LRScheduler[] }>("torch.optim.lr_scheduler.ChainedScheduler", args);
    if (schedulers.length === 0) throw new RangeError("ChainedScheduler needs at least one scheduler");
    schedulers.forEach((s, i) => {
      if (s.optimizer !== schedulers[0]!.optimizer) {
        throw new Error(`ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`);
      }
    });
    this.schedulers = [...schedulers];
    this.optimizer = schedulers[0]!.optimizer;
    this.lastLr = (this.optimizer.paramGroups as ParamGroup[]).map((g) => g.lr);
  }

  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = (this.optimizer.paramGroups as ParamGroup[]).map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return { _last_lr: [...this.lastLr], _schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    if ("_last_lr" in stateDict) this.lastLr = [...(stateDict._last_lr as number[])];
    (stateDict._schedulers as SchedulerStateDict[] | undefined)?.forEach((sd, i) => this.schedulers[i]?.loadStateDict(sd));
  }
}

function bisectRight(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface ReduceLROnPlateauOptions {
  /** Whether the metric should fall ("min", default) or rise ("max"). */
  mode?: "min" | "max";
  /** new lr = lr·factor (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  threshold?: number;
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again. */
  cooldown?: number;
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped. */
  eps?: number;
  verbose?: boolean;
}

/** Reduces the lr by `factor` when a metric has stopped improving for `patience` epochs. */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  factor: number;
  /** torch 2.x: the single `minLr` given (null when a list was), kept for groups added later. */
  defaultMinLr: number | null;
  minLrs: number[];
  patience: number;
  verbose: boolean;
  cooldown: number;
  cooldownCounter = 0;
  mode: "min" | "max";
  threshold: number;
  thresholdMode: "rel" | "abs";
  best: number;
  numBadEpochs = 0;
  modeWorse: number;
  eps: number;
  lastEpoch = 0;
  private lastLr?: number[];

  private static readonly keys = [
    ["factor", "factor"],
    ["min_lrs", "minLrs"],
    ["patience", "patience"],
    ["verbose", "verbose"],
    ["cooldown", "cooldown"],
    ["cooldown_counter", "cooldownCounter"],
    ["mode", "mode"],
    ["threshold", "threshold"],
    ["threshold_mode", "thresholdMode"],
    ["best", "best"],
    ["num_bad_epochs", "numBadEpochs"],
    ["mode_worse", "modeWorse"],
    ["eps", "eps"],
    ["last_epoch", "lastEpoch"],
    ["_last_lr", "lastLr"],
  ] as const;
  // torch 2.x's attributes, in the order its constructor sets them.
  private static readonly keys2 = [
    ["factor", "factor"],
    ["default_min_lr", "defaultMinLr"],
    ["min_lrs", "minLrs"],
    ["patience", "patience"],
    ["verbose", "verbose"],
    ["cooldown", "cooldown"],
    ["cooldown_counter", "cooldownCounter"],
    ["mode", "mode"],
    ["threshold", "threshold"],
    ["threshold_mode", "thresholdMode"],
    ["eps", "eps"],
    ["last_epoch", "lastEpoch"],
    ["_last_lr", "lastLr"],
    ["mode_worse", "modeWorse"],
    ["best", "best"],
    ["num_bad_epochs", "numBadEpochs"],
  ] as const;

  private static stateKeys(): readonly (readonly [string, string])[] {
    return torch2Layout() ? ReduceLROnPlateau.keys2 : ReduceLROnPlateau.keys;
  }

  constructor(...args: RefinedArgs<"torch.optim.lr_scheduler.ReduceLROnPlateau", { optimizer: Optimizer; mode: "min" | "max"; thresholdMode: "rel" | "abs"; minLr: number | readonly number[] }>) {
    const { optimizer, ...options } = bindArgs<SchedulerBound<"torch.optim.lr_scheduler.ReduceLROnPlateau", { optimizer: Optimizer; mode: "min" | "max"; thresholdMode: "rel" | "abs"; minLr: number | readonly number[] }>>("torch.optim.lr_scheduler.ReduceLROnPlateau", args);
    this.factor = options.factor ?? 0.1;
    if (this.factor >= 1.0) throw new RangeError("Factor should be < 1.0.");
    this.optimizer = optimizer;
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    this.defaultMinLr = typeof minLr === "number" ? minLr : null;
    if (typeof minLr === "number") this.minLrs = new Array(n).fill(minLr);
    else {
      if (minLr.length !== n) throw new RangeError(`expected ${n} min_lrs, got ${minLr.length}`);
      this.minLrs = [...minLr];
    }
    this.patience = options.patience ?? 10;
    this.verbose = options.verbose === true;
    this.cooldown = options.cooldown ?? 0;
    this.mode = options.mode ?? "min";
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? "rel";
    this.eps = options.eps ?? 1e-8;
    this.modeWorse = this.initIsBetter();
    this.best = this.modeWorse;
    // torch 2.x records the groups' lrs from the start, 1.13 only from the first step
    if (torch2Layout()) this.lastLr = (optimizer.paramGroups as ParamGroup[]).map((g) => g.lr);
  }

  private initIsBetter(): number {
    if (this.mode !== "min" && this.mode !== "max") throw new RangeError(`mode ${String(this.mode)} is unknown!`);
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs") {
      throw new RangeError(`threshold mode ${String(this.thresholdMode)} is unknown!`);
    }
    return this.mode === "min" ? Infinity : -Infinity;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") return a < best * (1 - this.threshold);
    if (this.mode === "min") return a < best - this.threshold;
    if (this.thresholdMode === "rel") return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** Records this epoch's metric (a number or a one-element tensor's `item()`). */
  step(metric: number | { item(): number }, epoch?: number): void {
    const current = typeof metric === "number" ? metric : Number(metric.item());
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr(this.lastEpoch);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = (this.optimizer.paramGroups as ParamGroup[]).map((g) => g.lr);
  }

  private reduceLr(epoch: number): void {
    (this.optimizer.paramGroups as ParamGroup[]).forEach((g, i) => {
      const old = g.lr;
      const next = Math.max(old * this.factor, this.minLrs[i]!);
      if (old - next > this.eps) {
        g.lr = next;
        if (this.verbose) console.log(`Epoch ${String(epoch).padStart(5, "0")}: reducing learning rate of group ${i} to ${formatE(next)}.`);
      }
    });
  }

  getLastLr(): number[] {
    return [...(this.lastLr ?? (this.optimizer.paramGroups as ParamGroup[]).map((g) => g.lr))];
  }

  stateDict(): SchedulerStateDict {
    const self = this as unknown as Record<string, unknown>;
    const out: SchedulerStateDict = {};
    for (const [key, prop] of ReduceLROnPlateau.stateKeys()) if (self[prop] !== undefined) out[key] = copyValue(self[prop]);
    return out;
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    const self = this as unknown as Record<string, unknown>;
    for (const [key, prop] of ReduceLROnPlateau.stateKeys()) if (key in stateDict) self[prop] = copyValue(stateDict[key]);
    this.modeWorse = this.initIsBetter();
  }
}

type ScaleFn = (x: number) => number;

/**
 * Cyclical learning rates (torch.optim.lr_scheduler.CyclicLR): the lr cycles between `baseLr`
 * and `maxLr` (triangular, halved each cycle in "triangular2", decayed by `gamma^iteration` in
 * "exp_range", or shaped by `scaleFn`), and the momentum the other way. Step it after every batch.
 *
 * @param optimizer - the optimizer whose groups' lr (and momentum) it sets
 * @param baseLr - the lower bound, one number or one per group; maxLr - the upper bound
 * @param stepSizeUp - iterations rising (default 2000); stepSizeDown - falling (default stepSizeUp)
 * @param mode - "triangular", "triangular2" or "exp_range" (ignored when `scaleFn` is given)
 * @example
 * const sched = new optim.lrScheduler.CyclicLR(opt, 0.01, 0.1, { stepSizeUp: 4 });
 */
export class CyclicLR extends LRScheduler {
  protected readonly ownState = [
    ["max_lrs", "maxLrs"],
    ["total_size", "totalSize"],
    ["step_ratio", "stepRatio"],
    ["mode", "mode"],
    ["gamma", "gamma"],
    ["scale_mode", "scaleMode"],
    ["cycle_momentum", "cycleMomentum"],
    ["use_beta1", "useBeta1"],
    ["base_momentums", "baseMomentums"],
    ["max_momentums", "maxMomentums"],
  ] as const;
  /** torch 2.x: whether beta1 of Adam-style optimizers cycles instead of momentum (with cycleMomentum). */
  useBeta1?: boolean;
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleMode: "cycle" | "iterations";
  cycleMomentum: boolean;
  baseMomentums?: number[];
  maxMomentums?: number[];
  private readonly customScaleFn: ScaleFn | null;

  constructor(
    ...args: RefinedArgs<
      "torch.optim.lr_scheduler.CyclicLR",
      {
        optimizer: Optimizer;
        baseLr: number | readonly number[];
        maxLr: number | readonly number[];
        stepSizeDown: number | null;
        mode: "triangular" | "triangular2" | "exp_range";
        scaleFn: ScaleFn | null;
        scaleMode: "cycle" | "iterations";
      }
    >
  ) {
    const a = bindArgs<
      SchedulerBound<
        "torch.optim.lr_scheduler.CyclicLR",
        { optimizer: Optimizer; baseLr: number | readonly number[]; maxLr: number | readonly number[]; stepSizeDown: number | null; scaleFn: ScaleFn | null }
      >
    >("torch.optim.lr_scheduler.CyclicLR", args);
    const { optimizer } = a;
    const baseLrs = perGroup("base_lr", optimizer, a.baseLr);
    if (a.lastEpoch === -1) baseLrs.forEach((lr, i) => ((optimizer.paramGroups[i] as ParamGroup).lr = lr));
    const maxLrs = perGroup("max_lr", optimizer, a.maxLr);
    const up = a.stepSizeUp;
    const down = a.stepSizeDown ?? up;
    if (!["triangular", "triangular2", "exp_range"].includes(a.mode) && a.scaleFn === null) {
      throw new RangeError("CyclicLR(): mode is invalid and scale_fn is None");
    }
    let baseMomentums: number[] | undefined;
    let maxMomentums: number[] | undefined;
    let useBeta1: boolean | undefined;
    if (a.cycleMomentum && torch2Layout()) {
      // torch 2.x: momentum or Adam-style beta1 cycles; groups start at max_momentum and keep both bounds.
      if (!("momentum" in optimizer.defaults) && !("betas" in optimizer.defaults)) {
        throw new RangeError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
      }
      useBeta1 = "betas" in optimizer.defaults;
      baseMomentums = perGroup("base_momentum", optimizer, a.baseMomentum);
      maxMomentums = perGroup("max_momentum", optimizer, a.maxMomentum);
      if (a.lastEpoch === -1) {
        (optimizer.paramGroups as ParamGroup[]).forEach((g, i) => {
          if (useBeta1) g.betas = [maxMomentums![i]!, ...(g.betas as number[]).slice(1)];
          else g.momentum = maxMomentums![i]!;
          g.maxMomentum = maxMomentums![i]!;
          g.baseMomentum = baseMomentums![i]!;
        });
      }
    } else if (a.cycleMomentum) {
      if (!("momentum" in optimizer.defaults)) throw new RangeError("optimizer must support momentum with `cycle_momentum` option enabled");
      const base = perGroup("base_momentum", optimizer, a.baseMomentum);
      if (a.lastEpoch === -1) base.forEach((m, i) => ((optimizer.paramGroups[i] as ParamGroup).momentum = m));
      baseMomentums = optimizer.paramGroups.map((g) => (g as ParamGroup).momentum as number);
      maxMomentums = perGroup("max_momentum", optimizer, a.maxMomentum);
    }
    super(optimizer, a.lastEpoch, a.verbose, false);
    this.useBeta1 = useBeta1;
    this.maxLrs = maxLrs;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = a.mode;
    this.gamma = a.gamma;
    this.customScaleFn = a.scaleFn;
    // Python takes the scale mode from the mode unless a scale function is given
    this.scaleMode = a.scaleFn !== null ? (a.scaleMode as "cycle" | "iterations") : a.mode === "exp_range" ? "iterations" : "cycle";
    this.cycleMomentum = a.cycleMomentum;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  /** The scale of the cycle's amplitude at `x` (a cycle number or an iteration). */
  scaleFn(x: number): number {
    if (this.customScaleFn !== null) return this.customScaleFn(x);
    if (this.mode === "triangular2") return 1 / 2 ** (x - 1);
    if (this.mode === "exp_range") return this.gamma ** x;
    return 1;
  }

  protected getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const at = this.scaleMode === "cycle" ? cycle : this.lastEpoch;
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i]! - base) * scaleFactor * this.scaleFn(at));
    if (this.cycleMomentum) {
      this.groups.forEach((g, i) => {
        const max = this.maxMomentums![i]!;
        const momentum = max - (max - this.baseMomentums![i]!) * scaleFactor * this.scaleFn(at);
        if (this.useBeta1 === true) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      });
    }
    return lrs;
  }

  protected override stateKeysOwn(): readonly (readonly [string, string])[] {
    // Python sets the momentum bounds only with cycle_momentum, and use_beta1 only on 2.x (where useBeta1 is set).
    return this.ownState.filter(([k]) =>
      k === "use_beta1" ? this.useBeta1 !== undefined : k === "base_momentums" || k === "max_momentums" ? this.cycleMomentum : true,
    );
  }
}

/** One value per param group: a list (one each) or one number for all (Python's `_format_param`). */
function perGroup(name: string, optimizer: Optimizer, value: number | readonly number[]): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(value)) {
    if (value.length !== n) throw new RangeError(`expected ${n} values for ${name}, got ${value.length}`);
    return [...(value as number[])];
  }
  return new Array<number>(n).fill(value as number);
}
