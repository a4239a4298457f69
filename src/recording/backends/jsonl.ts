// The jsonl backend: `records.jsonl`, one JSON object per record, for tools that are not
// TensorBoard: {"kind", "tag", "step", "wallTime", ...the kind's fields}.
import path from "node:path";
import { LineFile } from "./line-file.js";
import { pngSize } from "../png.js";
import type { HistogramData } from "../histogram.js";
import type { RecordBackend } from "./backend.js";

export const JSONL_FILE = "records.jsonl";

export class JsonlBackend implements RecordBackend {
  readonly #file: LineFile;

  constructor(dir: string, options: { flushSecs?: number } = {}) {
    this.#file = LineFile.forPath(path.join(dir, JSONL_FILE), options);
  }

  #record(kind: string, tag: string | null, step: number, fields: object): void {
    const head = { kind, ...(tag === null ? {} : { tag }), step, wallTime: Date.now() / 1000 };
    this.#file.append(`${JSON.stringify({ ...head, ...fields }, jsonSafe)}\n`);
  }

  scalar(tag: string, value: number, step: number): void {
    this.#record("scalar", tag, step, { value });
  }
  image(tag: string, png: Buffer, step: number): void {
    const { width, height, channels } = pngSize(png);
    this.#record("image", tag, step, { width, height, channels });
  }
  figure(tag: string, png: Buffer, step: number): void {
    const { width, height } = pngSize(png);
    this.#record("figure", tag, step, { width, height });
  }
  histogram(tag: string, histogram: HistogramData, step: number): void {
    this.#record("histogram", tag, step, histogram);
  }
  text(tag: string, text: string, step: number): void {
    this.#record("text", tag, step, { text });
  }
  params(params: Readonly<Record<string, unknown>>, step: number): void {
    this.#record("params", null, step, { params });
  }
  step(): void {}
  flush(): void {
    this.#file.flush();
  }
  resume(): void {}
  close(): void {
    this.#file.close();
  }
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? Number(value) : value;
}
