// pystematic's Recorder: records scalars, images, figures, histograms, text and hyperparameters
// against a global step count, into TensorBoard event files and plain files in the run directory.
import path from "node:path";
import { getCurrentRun, type CurrentRun } from "../core/current-run.js";
import { getRankProvider } from "../core/providers.js";
import { throwIfInterrupted } from "../core/run/interrupt.js";
import type { RecordBackend } from "./backends/backend.js";
import { ConsoleBackend } from "./backends/console.js";
import { FileBackend } from "./backends/file.js";
import { JsonlBackend } from "./backends/jsonl.js";
import { TensorBoardBackend } from "./backends/tensorboard.js";
import { figureToPng, type FigureInput } from "./figure.js";
import { histogramOf } from "./histogram.js";
import { imageToPng, type ImageOptions } from "./image.js";
import { toDense, toScalar, type ArrayInput, type ScalarInput } from "./values.js";

export interface RecorderOptions {
  /** TensorBoard event files (default on). */
  tensorboard?: boolean;
  /** `scalars.csv`, `images/`, `figures/` (default on). */
  file?: boolean;
  /** A compact line per step on stdout (default off). */
  console?: boolean;
  /** `records.jsonl`, one JSON object per record (default off). */
  jsonl?: boolean;
  /** Seconds between automatic flushes of buffered records (default 1: a killed run loses at most ~1 s). */
  flushSecs?: number;
}

/** A Recorder's resumable state. */
export interface RecorderState {
  count: number;
}

/**
 * Records values against `count`, the global step (the x-axis of every chart).
 *
 * The directory defaults to the current run's output directory, looked up at the first record
 * and followed when a later run starts in the same process.
 * In a distributed run only the master process writes; elsewhere every call is a no-op (the count
 * still advances). Tensors on any device are accepted wherever numbers are.
 *
 * @example
 * const recorder = new Recorder();
 * for (const batch of loader) {
 *   recorder.scalar("train/loss", loss);
 *   recorder.step();
 * }
 */
export class Recorder {
  #count = 0;
  #dir: string | null;
  #backends: RecordBackend[] | null = null;
  /** The run whose directory the backends write to, when no directory was given. */
  #run: CurrentRun | null = null;
  #silenced = false;
  readonly #options: Required<Omit<RecorderOptions, "flushSecs">> & { flushSecs: number };

  constructor(outputDir?: string | null, options?: RecorderOptions);
  constructor(options: RecorderOptions);
  constructor(outputDirOrOptions?: string | null | RecorderOptions, options: RecorderOptions = {}) {
    if (typeof outputDirOrOptions === "object" && outputDirOrOptions !== null) {
      options = outputDirOrOptions;
      outputDirOrOptions = null;
    }
    if (outputDirOrOptions !== null && outputDirOrOptions !== undefined && typeof outputDirOrOptions !== "string") {
      throw new Error("Recorder output directory must be a string");
    }
    this.#dir = outputDirOrOptions ? path.resolve(outputDirOrOptions) : null;
    this.#options = {
      tensorboard: options.tensorboard ?? true,
      file: options.file ?? true,
      console: options.console ?? false,
      jsonl: options.jsonl ?? false,
      flushSecs: options.flushSecs ?? 1,
    };
  }

  /** The directory written to: the one given, else the current run's (null before either exists). */
  get outputDir(): string | null {
    return this.#dir ?? getCurrentRun()?.outputDir ?? null;
  }

  get count(): number {
    return this.#count;
  }

  set count(value: number) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`Recorder count must be a non-negative integer, got ${String(value)}`);
    }
    this.#count = value;
  }

  /** Advances the count by one. */
  step(): void {
    this.#count++;
    if (this.#backends) for (const b of this.#backends) b.step(this.#count);
    // A run without libtorch has no op to throw InterruptError: its steps do.
    throwIfInterrupted();
  }

  scalar(tag: string, value: ScalarInput): void {
    const backends = this.#ready(tag);
    if (backends.length === 0) return;
    const v = typeof value === "number" ? value : toScalar(value, `Scalar '${tag}'`);
    for (const b of backends) b.scalar(tag, v, this.#count);
  }

  /**
   * An image: a tensor, nested arrays or `{data, shape}`, laid out CHW (3 dims), HW (2) or NCHW
   * (4, a batch, tiled into a grid) unless `dataformats` says otherwise. uint8 data is used as is,
   * other dtypes are read as [0, 1].
   */
  image(tag: string, image: ArrayInput, options: ImageOptions = {}): void {
    const backends = this.#ready(tag);
    if (backends.length === 0) return;
    const { png } = imageToPng(image, options);
    for (const b of backends) b.image(tag, png, this.#count);
  }

  /** A figure: an SVG document (what JS plotting libraries emit), rasterised, or PNG bytes. */
  figure(tag: string, figure: FigureInput): void {
    const backends = this.#ready(tag);
    if (backends.length === 0) return;
    const png = figureToPng(figure);
    for (const b of backends) b.figure(tag, png, this.#count);
  }

  /** A histogram of the values, bucketed as TensorFlow/TensorBoard do. */
  histogram(tag: string, values: ArrayInput): void {
    const backends = this.#ready(tag);
    if (backends.length === 0) return;
    const what = `Histogram '${tag}'`;
    const data = histogramOf(toDense(values, what).values, what);
    for (const b of backends) b.histogram(tag, data, this.#count);
  }

  /** Markdown text (TensorBoard's TEXT tab). */
  text(tag: string, text: string): void {
    const backends = this.#ready(tag);
    if (backends.length === 0) return;
    if (typeof text !== "string") throw new Error(`Text '${tag}' must be a string`);
    for (const b of backends) b.text(tag, text, this.#count);
  }

  /**
   * Hyperparameters for TensorBoard's HPARAMS table, in this run's own event file, so a sweep's
   * runs line up with their scalar metrics. Numbers, strings and booleans are kept, null values
   * left out, anything else written as JSON text.
   */
  params(params: Readonly<Record<string, unknown>>): void {
    const backends = this.#ready(null);
    if (backends.length === 0) return;
    if (typeof params !== "object" || params === null) throw new Error("Recorder params must be an object");
    for (const b of backends) b.params(params, this.#count);
  }

  /** Stops all recording (the count still advances); files written so far are flushed and closed. */
  silence(): void {
    this.#silenced = true;
    this.#closeBackends();
    this.#backends = [];
  }

  /** Writes buffered records out. */
  flush(): void {
    if (this.#backends) for (const b of this.#backends) b.flush();
  }

  /** Flushes and closes this Recorder's files; recording again reopens them. */
  close(): void {
    this.#closeBackends();
    this.#backends = this.#silenced ? [] : null;
  }

  stateDict(): RecorderState {
    return { count: this.#count };
  }

  /** Continues from a saved state: the count resumes and TensorBoard gets a new event file. */
  loadStateDict(state: RecorderState): void {
    if (typeof state !== "object" || state === null || !("count" in state)) {
      throw new Error("Recorder state must be an object with a 'count'");
    }
    this.count = Number(state.count);
    if (this.#backends) for (const b of this.#backends) b.resume();
  }

  #closeBackends(): void {
    if (this.#backends) for (const b of this.#backends) b.close();
  }

  /** The backends to record to, opened on first use (and again for a new run when following). */
  #ready(tag: string | null): RecordBackend[] {
    if (tag !== null && (typeof tag !== "string" || tag.length === 0)) {
      throw new Error("Recorder tag must be a non-empty string");
    }
    const backends = this.#backends;
    if (backends !== null && (this.#dir !== null || this.#silenced || !this.#runChanged())) return backends;
    return this.#open();
  }

  #runChanged(): boolean {
    const run = getCurrentRun();
    return run !== null && run !== this.#run;
  }

  #open(): RecordBackend[] {
    this.#closeBackends();
    this.#backends = null;
    if (this.#silenced || !getRankProvider().isMaster()) return (this.#backends = []);
    this.#run = getCurrentRun();
    const dir = this.outputDir;
    if (dir === null) {
      throw new Error(
        "Recorder has no output directory: pass one (new Recorder(dir)) or record inside a running experiment",
      );
    }
    const o = this.#options;
    const backends: RecordBackend[] = [];
    if (o.tensorboard) backends.push(new TensorBoardBackend(dir, { flushSecs: o.flushSecs }));
    if (o.file) backends.push(new FileBackend(dir, { flushSecs: o.flushSecs }));
    if (o.console) backends.push(new ConsoleBackend());
    if (o.jsonl) backends.push(new JsonlBackend(dir, { flushSecs: o.flushSecs }));
    return (this.#backends = backends);
  }
}
