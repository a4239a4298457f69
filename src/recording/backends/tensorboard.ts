// The TensorBoard backend: the directory's shared SummaryWriter.
import { SummaryWriter, type SummaryWriterOptions } from "../summary-writer.js";
import type { HistogramData } from "../histogram.js";
import type { RecordBackend } from "./backend.js";

export class TensorBoardBackend implements RecordBackend {
  readonly #writer: SummaryWriter;

  constructor(dir: string, options: SummaryWriterOptions = {}) {
    this.#writer = SummaryWriter.forDirectory(dir, options);
  }

  scalar(tag: string, value: number, step: number): void {
    this.#writer.addScalar(tag, value, step);
  }
  image(tag: string, png: Buffer, step: number): void {
    this.#writer.addPng(tag, png, step);
  }
  figure(tag: string, png: Buffer, step: number): void {
    this.#writer.addPng(tag, png, step);
  }
  histogram(tag: string, histogram: HistogramData, step: number): void {
    this.#writer.addHistogram(tag, histogram, step);
  }
  text(tag: string, text: string, step: number): void {
    this.#writer.addText(tag, text, step);
  }
  params(params: Readonly<Record<string, unknown>>, step: number): void {
    this.#writer.addHparams(params, step);
  }
  step(): void {}
  flush(): void {
    this.#writer.flush();
  }
  resume(): void {
    this.#writer.reopen();
  }
  close(): void {
    this.#writer.close();
  }
}
