// The console backend: what was recorded since the last step, printed as one compact block when
// the count advances, e.g. `[step 12] loss: 0.2345 | acc: 0.9141`.
import type { HistogramData } from "../histogram.js";
import type { RecordBackend } from "./backend.js";

export class ConsoleBackend implements RecordBackend {
  readonly #pending = new Map<string, string>();
  #step = 0;
  readonly #write: (text: string) => void;

  constructor(write: (text: string) => void = (text) => process.stdout.write(text)) {
    this.#write = write;
  }

  #note(tag: string, text: string, step: number): void {
    this.#step = step;
    this.#pending.set(tag, text);
  }

  scalar(tag: string, value: number, step: number): void {
    this.#note(tag, formatNumber(value), step);
  }
  image(tag: string, _png: Buffer, step: number): void {
    this.#note(tag, "<image>", step);
  }
  figure(tag: string, _png: Buffer, step: number): void {
    this.#note(tag, "<figure>", step);
  }
  histogram(tag: string, h: HistogramData, step: number): void {
    this.#note(tag, `<histogram n=${h.num} mean=${formatNumber(h.num ? h.sum / h.num : 0)}>`, step);
  }
  text(tag: string, text: string, step: number): void {
    this.#note(tag, JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text), step);
  }
  params(): void {}
  step(): void {
    this.flush();
  }
  flush(): void {
    if (this.#pending.size === 0) return;
    const fields = [...this.#pending].map(([tag, text]) => `${tag}: ${text}`).join(" | ");
    this.#pending.clear();
    this.#write(`[step ${this.#step}] ${fields}\n`);
  }
  resume(): void {}
  close(): void {
    this.flush();
  }
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : Number(value.toPrecision(5)).toString();
}
