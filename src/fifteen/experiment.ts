/**
 * fifteen's Experiment: a directory where everything of one training run lives (checkpoints,
 * metadata, TensorBoard logs), with thin helpers around it. fifteen wraps flax checkpoints, PyYAML
 * and tensorboardX; this wraps PyTorch's checkpoint format, YAML and our event-file writer.
 *
 * Layout: `<dataDir>/<prefix><step>.pt` (prefix `checkpoint_`), `<dataDir>/metadata/<name>.yaml`,
 * `<dataDir>/events.out.tfevents.*` (the directory's one SummaryWriter, shared with a Recorder on
 * the same directory). A pystematic run directory is a fine data directory: `new Experiment(ctx.outputDir)`.
 * In a distributed run only global rank 0 writes (checkpoints, metadata, logs, move, clear), as
 * for everything in a run directory; the other ranks' calls check their arguments and return.
 *
 * ```ts
 * const exp = new Experiment("experiments/mnist").assertNew();
 * exp.writeMetadata("config", config);
 * for (let step = 0; step < steps; step++) {
 *   const loss = trainStep();
 *   exp.log(new TensorboardLogData({ scalars: { loss } }), step, { logScalarsEveryN: 10 });
 *   if (step % 1000 === 0) exp.saveCheckpoint({ model, optimizer, step }, step, { keep: 3 });
 * }
 * ```
 */
import fs from "node:fs";
import path from "node:path";
import { getRankProvider } from "../core/providers.js";
import { SummaryWriter } from "../recording/summary-writer.js";
import { toDense, type ArrayInput } from "../recording/values.js";
import { readCheckpoint, writeCheckpoint, type MapLocation } from "./checkpoint-io.js";
import {
  DEFAULT_PREFIX, checkPrefix, checkStep, checkpointFile, checkpointSteps, stepsToRemove,
} from "./checkpoint-files.js";
import { TensorboardLogData, type LogScalar } from "./log-data.js";
import { METADATA_FOLDER, metadataPath, readYaml, writeYaml, type MetadataSchema } from "./metadata.js";
import { restoreInto, stateOf } from "./state.js";

export interface ExperimentOptions {
  /** Print a line for each checkpoint saved or restored, metadata written or read, move and clear (default true). */
  verbose?: boolean;
}

export interface SaveCheckpointOptions {
  /** File name start (default "checkpoint_"): files are `<prefix><step>.pt`. */
  prefix?: string;
  /** How many of the newest checkpoints with this prefix to keep (default 1; Infinity keeps all). */
  keep?: number;
  /**
   * Replace a checkpoint of the same step, or save a step older than the newest one; the
   * checkpoints newer than `step` are then removed, as flax does (default false: an error).
   */
  overwrite?: boolean;
  /** Also keep every checkpoint whose step is a multiple of this (0 included). */
  keepEveryNSteps?: number;
}

export interface RestoreCheckpointOptions {
  /** The step to restore (default: the newest checkpoint with this prefix). */
  step?: number;
  prefix?: string;
  /** Where the checkpoint's tensors go, as torch.load's (default: the device each was saved from). */
  mapLocation?: MapLocation;
}

export interface LogOptions {
  /** Write the scalars only at steps that are multiples of this (default 1). */
  logScalarsEveryN?: number;
  /** Write the histograms only at steps that are multiples of this (default 1). */
  logHistogramsEveryN?: number;
}

/**
 * One training run's directory: checkpoints (`checkpoint_<step>.pt`, Python's `torch.load` reads
 * them), metadata (`metadata/<name>.yaml`) and TensorBoard logs, as fifteen's `Experiment`.
 *
 * Args:
 *   dataDir: the directory (created on the first write, not before).
 *   options.verbose: print a line for each save, restore, write, move and clear. Default: true.
 *
 * In a distributed run only global rank 0 writes; other ranks check their arguments and return.
 *
 * @example
 * const exp = new Experiment("experiments/mnist").assertNew();
 * exp.writeMetadata("config", { lr: 0.1 });
 * exp.saveCheckpoint({ model, optimizer }, step, { keep: 3 });
 * const steps = exp.checkpointSteps();            // [1000, 2000, 3000]
 * exp.restoreCheckpoint({ model, optimizer });    // the newest step
 */
export class Experiment {
  /** Print what is saved, restored, written, moved and deleted. */
  verbose: boolean;
  #dataDir: string;
  #writer: SummaryWriter | undefined;

  constructor(dataDir: string, options: ExperimentOptions = {}) {
    if (typeof dataDir !== "string" || dataDir.length === 0) {
      throw new Error(`Experiment: dataDir must be a non-empty path, got ${JSON.stringify(dataDir)}`);
    }
    this.#dataDir = path.resolve(dataDir);
    this.verbose = options.verbose ?? true;
  }

  /** The experiment's directory (absolute). It is created on the first write, not before. */
  get dataDir(): string {
    return this.#dataDir;
  }

  // Metadata.

  /** Writes `value` as `<dataDir>/metadata/<name>.yaml` (class instances as their fields), atomically. */
  writeMetadata(name: string, value: unknown): void {
    const file = metadataPath(this.#dataDir, name);
    if (!writesFiles()) return;
    this.#print(`Writing metadata to ${file}`);
    writeYaml(file, value);
  }

  /**
   * Reads `<dataDir>/metadata/<name>.yaml`. With a schema (a class, a validator function or an
   * object with `parse`) the value is checked and typed; without one it is `unknown`.
   */
  readMetadata(name: string): unknown;
  readMetadata<T>(name: string, schema: MetadataSchema<T>): T;
  readMetadata<T>(name: string, schema?: MetadataSchema<T>): T | unknown {
    const file = metadataPath(this.#dataDir, name);
    this.#print(`Reading metadata from ${file}`);
    return readYaml(file, name, schema);
  }

  // Checkpoints.

  /**
   * Saves `target` as `<dataDir>/<prefix><step>.pt` and returns that path. `target` is anything
   * with `stateDict()` (module, optimizer, Context, Recorder) or a plain nested state that may
   * hold such objects and tensors (`{ model, optimizer, step }`). The file is written atomically;
   * then all but the newest `keep` checkpoints are removed, except multiples of `keepEveryNSteps`.
   */
  saveCheckpoint(target: unknown, step: number, options: SaveCheckpointOptions = {}): string {
    const prefix = checkPrefix(options.prefix ?? DEFAULT_PREFIX);
    checkStep(step);
    const keep = options.keep ?? 1;
    if (!(keep === Infinity || (Number.isSafeInteger(keep) && keep >= 1))) {
      throw new Error(`saveCheckpoint: keep must be an integer >= 1 or Infinity, got ${String(keep)}`);
    }
    const every = options.keepEveryNSteps;
    if (every !== undefined && !(Number.isSafeInteger(every) && every >= 1)) {
      throw new Error(`saveCheckpoint: keepEveryNSteps must be an integer >= 1, got ${String(every)}`);
    }
    const file = checkpointFile(this.#dataDir, prefix, step);
    if (!writesFiles()) return file;
    const existing = checkpointSteps(this.#dataDir, prefix);
    const newest = existing.at(-1);
    if (!options.overwrite) {
      if (existing.includes(step)) {
        throw new Error(`checkpoint for step ${step} already exists: ${file} (pass overwrite: true to replace it)`);
      }
      if (newest !== undefined && newest > step) {
        throw new Error(
          `cannot save step ${step}: ${this.#dataDir} holds a newer checkpoint (step ${newest}); ` +
            `pass overwrite: true to save it and remove the newer ones`,
        );
      }
    }
    const state = stateOf(target);
    fs.mkdirSync(this.#dataDir, { recursive: true });
    writeCheckpoint(state, file);
    // Only once the new file is in place: newer checkpoints belong to a continuation that was rolled back.
    for (const s of existing) if (s > step) fs.rmSync(checkpointFile(this.#dataDir, prefix, s), { force: true });
    const kept = [...existing.filter((s) => s < step), step];
    for (const s of stepsToRemove(kept, keep, every)) fs.rmSync(checkpointFile(this.#dataDir, prefix, s), { force: true });
    this.#print(`Saved checkpoint to ${file}`);
    return file;
  }

  /**
   * Loads the checkpoint of `step` (default: the newest) into `target` and returns the restored
   * target: objects with `loadStateDict()` load in place and are returned as they are; a plain
   * nested target gives a new one of the same shape with the checkpoint's values (with an
   * undefined target, the checkpoint's content as saved). No checkpoint is an error.
   */
  restoreCheckpoint(target: undefined, options?: RestoreCheckpointOptions): unknown;
  restoreCheckpoint<T>(target: T, options?: RestoreCheckpointOptions): T;
  restoreCheckpoint<T>(target: T, options: RestoreCheckpointOptions = {}): T {
    const prefix = checkPrefix(options.prefix ?? DEFAULT_PREFIX);
    const steps = checkpointSteps(this.#dataDir, prefix);
    let step = options.step;
    if (step === undefined) {
      step = steps.at(-1);
      if (step === undefined) throw new Error(`no checkpoint to restore: ${this.#dataDir} holds no ${prefix}<step>.pt`);
    } else if (!steps.includes(checkStep(step))) {
      const held = steps.length > 0 ? `steps held: ${steps.join(", ")}` : "it holds none";
      throw new Error(`no checkpoint for step ${step} with prefix '${prefix}' in ${this.#dataDir} (${held})`);
    }
    const file = checkpointFile(this.#dataDir, prefix, step);
    const restored = restoreInto(target, readCheckpoint(file, options.mapLocation)) as T;
    this.#print(`Loaded checkpoint from ${file}`);
    return restored;
  }

  /** Steps of the checkpoints with `prefix` on disk, ascending. */
  checkpointSteps(options: { prefix?: string } = {}): number[] {
    return checkpointSteps(this.#dataDir, checkPrefix(options.prefix ?? DEFAULT_PREFIX));
  }

  // TensorBoard.

  /** The directory's TensorBoard writer (shared with Recorders on it), opened on first use. */
  get summaryWriter(): SummaryWriter {
    if (this.#writer === undefined || this.#writer.closed) this.#writer = SummaryWriter.forDirectory(this.#dataDir);
    return this.#writer;
  }

  /** Writes `data`'s scalars and histograms at `step`, each at its own cadence. */
  log(data: TensorboardLogData, step: number, options: LogOptions = {}): void {
    if (!(data instanceof TensorboardLogData)) throw new Error("Experiment.log: data must be a TensorboardLogData");
    if (!Number.isSafeInteger(step) || step < 0) throw new Error(`Experiment.log: step must be an integer >= 0, got ${String(step)}`);
    const scalarsEvery = cadence(options.logScalarsEveryN, "logScalarsEveryN");
    const histogramsEvery = cadence(options.logHistogramsEveryN, "logHistogramsEveryN");
    if (!writesFiles()) return;
    if (step % scalarsEvery === 0) {
      for (const [tag, value] of Object.entries(data.scalars)) this.summaryWriter.addScalar(tag, scalarOf(tag, value), step);
    }
    if (step % histogramsEvery === 0) {
      for (const [tag, value] of Object.entries(data.histograms)) this.summaryWriter.addHistogram(tag, value, step);
    }
  }

  /** Releases this experiment's use of the summary writer (the file closes with its last user). */
  close(): void {
    this.#writer?.close();
    this.#writer = undefined;
  }

  // Managing the directory.

  /** Throws unless the directory holds no checkpoints, metadata or TensorBoard logs yet. */
  assertNew(): this {
    const found = this.#runFiles();
    if (found.length > 0) {
      const shown = found.slice(0, 3).join(", ") + (found.length > 3 ? `, and ${found.length - 3} more` : "");
      throw new Error(`experiment ${this.#dataDir} is not new: it holds ${shown}`);
    }
    return this;
  }

  /** Throws unless the directory holds checkpoints, metadata or TensorBoard logs. */
  assertExists(): this {
    if (!fs.existsSync(this.#dataDir)) throw new Error(`experiment ${this.#dataDir} does not exist`);
    if (this.#runFiles().length === 0) {
      throw new Error(`experiment ${this.#dataDir} holds no checkpoints, metadata or TensorBoard logs`);
    }
    return this;
  }

  /** Deletes the data directory and everything in it. */
  clear(): this {
    this.close();
    if (writesFiles() && fs.existsSync(this.#dataDir)) {
      this.#print(`Deleting ${this.#dataDir}`);
      fs.rmSync(this.#dataDir, { recursive: true, force: true });
    }
    return this;
  }

  /**
   * Moves the data directory to `newDataDir` (which must not exist) and points this experiment
   * there. Nothing else may be writing into the directory meanwhile.
   */
  move(newDataDir: string): this {
    if (typeof newDataDir !== "string" || newDataDir.length === 0) {
      throw new Error(`Experiment.move: the new directory must be a non-empty path, got ${JSON.stringify(newDataDir)}`);
    }
    const to = path.resolve(newDataDir);
    if (to === this.#dataDir) return this;
    if (to.startsWith(this.#dataDir + path.sep)) throw new Error(`cannot move experiment ${this.#dataDir} into itself (${to})`);
    if (writesFiles()) {
      if (fs.existsSync(to)) throw new Error(`cannot move experiment ${this.#dataDir} to ${to}: it already exists`);
      this.#moveFiles(to);
    } else {
      this.close();
    }
    this.#dataDir = to;
    return this;
  }

  #moveFiles(to: string): void {
    if (!fs.existsSync(this.#dataDir)) return; // nothing written yet: only the name changes
    this.close();
    this.#print(`Moving ${this.#dataDir} to ${to}`);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    try {
      fs.renameSync(this.#dataDir, to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
      fs.cpSync(this.#dataDir, to, { recursive: true, errorOnExist: true, force: false });
      fs.rmSync(this.#dataDir, { recursive: true, force: true });
    }
  }

  /** What makes the directory a used experiment: checkpoints, metadata files, event files with records. */
  #runFiles(): string[] {
    this.#writer?.flush();
    let names: string[];
    try {
      names = fs.readdirSync(this.#dataDir).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
    const found: string[] = [];
    for (const name of names) {
      const file = path.join(this.#dataDir, name);
      if (name.endsWith(".pt") && !name.startsWith(".")) found.push(name);
      else if (name.startsWith("events.out.tfevents.") && holdsRecords(file)) found.push(name);
      else if (name === METADATA_FOLDER && fs.statSync(file).isDirectory()) {
        for (const entry of fs.readdirSync(file).sort()) if (!entry.startsWith(".")) found.push(`${name}/${entry}`);
      }
    }
    return found;
  }

  #print(message: string): void {
    if (this.verbose) console.log(`[Experiment] ${message}`);
  }
}

/** Only global rank 0 writes into a run's directory (the single-process default is rank 0). */
function writesFiles(): boolean {
  return getRankProvider().isMaster();
}

/** Whether an event file holds more than its opening file_version record (a writer opened, nothing logged). */
function holdsRecords(file: string): boolean {
  const fd = fs.openSync(file, "r");
  try {
    const header = Buffer.alloc(8);
    if (fs.readSync(fd, header, 0, 8, 0) < 8) return false;
    const first = 16 + Number(header.readBigUInt64LE(0)); // length, its CRC, data, data CRC
    return fs.fstatSync(fd).size > first;
  } finally {
    fs.closeSync(fd);
  }
}

function cadence(value: number | undefined, name: string): number {
  if (value === undefined) return 1;
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`Experiment.log: ${name} must be an integer >= 1, got ${String(value)}`);
  return value;
}

function scalarOf(tag: string, value: LogScalar): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  const { values, shape } = toDense(value as ArrayInput, `Scalar '${tag}'`);
  if (values.length !== 1) {
    throw new Error(
      `Experiment.log: scalar '${tag}' has shape [${shape.join(", ")}], not one element ` +
        `(for values gathered across devices, TensorboardLogData.fixShardedScalars() takes the first)`,
    );
  }
  return values[0]!;
}
