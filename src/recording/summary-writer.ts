// TensorBoard summaries into one event file, with tensorboardX's method names. A directory has one
// shared writer per process (SummaryWriter.forDirectory), used by every Recorder on it and by
// fifteen's Experiment; closing it is counted, so the file closes when its last user closes it.
// Scalars of one step are held and written as one Event (one Summary with several values), as
// TensorFlow's merged summaries are: most of a scalar's cost is per event, and training loops
// record several scalars per step. Any other record, a new step and every flush write them out.
import path from "node:path";
import { EventFileWriter, type EventFileWriterOptions } from "./event-file-writer.js";
import { histogramOf, type HistogramData } from "./histogram.js";
import { imageToPng, type ImageOptions } from "./image.js";
import { figureToPng, type FigureInput } from "./figure.js";
import { pngSize } from "./png.js";
import {
  hparamsEndValue, hparamsStartValue, histogramValue, imageValue, scalarValue, textValue, toHParams,
  type HParamStatus,
} from "./summary.js";
import { toDense, toScalar, type ArrayInput, type ScalarInput } from "./values.js";

export type SummaryWriterOptions = EventFileWriterOptions;

const shared = new Map<string, SummaryWriter>();
const MAX_SCALARS_PER_EVENT = 64;

/**
 * Writes TensorBoard event files, as `torch.utils.tensorboard.SummaryWriter`: scalars, images,
 * figures, histograms, text and HParams, read by TensorBoard and by `pystematic board`.
 *
 * Args:
 *   logdir: the directory of the event file (`events.out.tfevents.<time>.<host>`), created if needed.
 *   options.flushSecs: how often buffered events reach the disk (default 1; a failing flush is an
 *     error naming the file). Scalars of one step are batched into one event.
 *
 * `SummaryWriter.forDirectory(dir)` shares one writer per directory (a Recorder and fifteen's
 * Experiment on the same directory write one file); each such call is paired with `close()`.
 *
 * @example
 * const writer = new SummaryWriter("runs/exp1");
 * for (let step = 0; step < 100; step++) writer.addScalar("loss", 1 / (step + 1), step);
 * writer.addHistogram("weights", model.weight, 100);
 * writer.close();
 */
export class SummaryWriter {
  readonly logdir: string;
  readonly #file: EventFileWriter;
  #users = 1;
  #hparamsWritten = false;
  #scalars: object[] = [];
  #scalarStep = 0;
  #scalarWallTime = 0;

  constructor(logdir: string, options: SummaryWriterOptions = {}) {
    this.logdir = path.resolve(logdir);
    this.#file = new EventFileWriter(this.logdir, { ...options, beforeFlush: () => this.#writeScalars() });
  }

  /** The directory's shared writer, opened on first use; each call must be paired with close(). */
  static forDirectory(logdir: string, options: SummaryWriterOptions = {}): SummaryWriter {
    const key = path.resolve(logdir);
    const existing = shared.get(key);
    if (existing && !existing.closed) {
      existing.#users++;
      return existing;
    }
    const writer = new SummaryWriter(key, options);
    shared.set(key, writer);
    return writer;
  }

  /** The event file currently written. */
  get path(): string {
    return this.#file.path;
  }

  get closed(): boolean {
    return this.#file.closed;
  }

  addScalar(tag: string, value: ScalarInput, step: number, wallTime?: number): void {
    const v = typeof value === "number" ? value : toScalar(value, `Scalar '${tag}'`);
    if (this.#file.closed) throw new Error(`Summary writer for '${this.logdir}' is closed`);
    if (wallTime !== undefined) {
      this.#write(scalarValue(tag, v), step, wallTime);
      return;
    }
    const count = this.#scalars.length;
    if (count > 0 && (step !== this.#scalarStep || count >= MAX_SCALARS_PER_EVENT)) this.#writeScalars();
    if (this.#scalars.length === 0) {
      this.#scalarStep = step;
      this.#scalarWallTime = Date.now() / 1000;
    }
    this.#scalars.push(scalarValue(tag, v));
  }

  /** An image from pixel data (see ImageOptions for layouts); a batch is tiled into a grid. */
  addImage(tag: string, image: ArrayInput, step: number, options: ImageOptions = {}): void {
    const { png, pixels } = imageToPng(image, options);
    this.#write(imageValue(tag, png, pixels.width, pixels.height, pixels.channels), step);
  }

  /** An image already encoded as PNG. */
  addPng(tag: string, png: Uint8Array, step: number): void {
    const { width, height, channels } = pngSize(png);
    this.#write(imageValue(tag, png, width, height, channels), step);
  }

  /** A figure: an SVG document (rasterised) or PNG bytes. */
  addFigure(tag: string, figure: FigureInput, step: number): void {
    this.addPng(tag, figureToPng(figure), step);
  }

  addHistogram(tag: string, values: ArrayInput | HistogramData, step: number): void {
    const data = isHistogramData(values) ? values : histogramOf(toDense(values, `Histogram '${tag}'`).values, `Histogram '${tag}'`);
    this.#write(histogramValue(tag, data), step);
  }

  /** Markdown text for TensorBoard's TEXT tab. */
  addText(tag: string, text: string, step: number): void {
    this.#write(textValue(tag, text), step);
  }

  /**
   * Hyperparameters for TensorBoard's HPARAMS tab, written into this run's own file: the run's
   * scalar tags become its metrics. Closing the writer marks the session as finished.
   */
  addHparams(params: Readonly<Record<string, unknown>>, step = 0): void {
    const now = Date.now() / 1000;
    this.#write(hparamsStartValue(toHParams(params), now), step, now);
    this.#hparamsWritten = true;
  }

  /** Writes the HParams session end (done by close() with "success" once hparams were written). */
  endHparamsSession(status: HParamStatus, step = 0): void {
    this.#write(hparamsEndValue(status, Date.now() / 1000), step);
    this.#hparamsWritten = false;
  }

  flush(): void {
    this.#file.flush();
  }

  /** Continues in a new event file (a resumed run), keeping this writer and its users. */
  reopen(): void {
    this.#file.reopen();
  }

  close(): void {
    if (this.#file.closed || --this.#users > 0) return;
    if (this.#hparamsWritten) this.endHparamsSession("success");
    this.#file.close();
    if (shared.get(this.logdir) === this) shared.delete(this.logdir);
  }

  #write(value: object, step: number, wallTime = Date.now() / 1000): void {
    if (this.#scalars.length > 0) this.#writeScalars();
    this.#file.writeEvent({ wallTime, step, summary: { value: [value] } });
  }

  #writeScalars(): void {
    if (this.#scalars.length === 0) return;
    const value = this.#scalars;
    this.#scalars = [];
    this.#file.writeEvent({ wallTime: this.#scalarWallTime, step: this.#scalarStep, summary: { value } });
  }
}

function isHistogramData(value: unknown): value is HistogramData {
  return typeof value === "object" && value !== null && Array.isArray((value as HistogramData).bucketLimit);
}
