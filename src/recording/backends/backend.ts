// What a Recorder hands its backends: values already converted (numbers, PNG bytes, histogram
// data), so each kind is converted once however many backends are on.
import type { HistogramData } from "../histogram.js";

export interface RecordBackend {
  scalar(tag: string, value: number, step: number): void;
  image(tag: string, png: Buffer, step: number): void;
  figure(tag: string, png: Buffer, step: number): void;
  histogram(tag: string, histogram: HistogramData, step: number): void;
  text(tag: string, text: string, step: number): void;
  params(params: Readonly<Record<string, unknown>>, step: number): void;
  /** Called after the count advanced to `count`. */
  step(count: number): void;
  flush(): void;
  /** A resumed run continues in new files where the format has files per session. */
  resume(): void;
  close(): void;
}
