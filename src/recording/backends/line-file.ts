// An append-only text file fed whole lines through a buffer (scalars.csv, records.jsonl): flushed
// periodically, on demand and at process exit, so a crash loses at most the unflushed lines.
import fs from "node:fs";
import path from "node:path";
import { flushOnExit, stopFlushOnExit } from "../exit-flush.js";

export class LineFile {
  readonly path: string;
  #fd = -1;
  #pending: string[] = [];
  #timer: NodeJS.Timeout | null = null;
  readonly #header: string;
  readonly #flushMs: number;

  constructor(file: string, options: { header?: string; flushSecs?: number } = {}) {
    this.path = file;
    this.#header = options.header ?? "";
    this.#flushMs = (options.flushSecs ?? 10) * 1000;
  }

  append(line: string): void {
    if (this.#fd < 0) this.#open();
    this.#pending.push(line);
    if (this.#pending.length >= 4096) this.flush();
  }

  flush(): void {
    if (this.#fd < 0 || this.#pending.length === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
    fs.writeSync(this.#fd, text);
  }

  close(): void {
    if (this.#fd < 0) return;
    this.flush();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    stopFlushOnExit(this);
    fs.closeSync(this.#fd);
    this.#fd = -1;
  }

  #open(): void {
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    this.#fd = fs.openSync(this.path, "a");
    if (this.#header && fs.fstatSync(this.#fd).size === 0) fs.writeSync(this.#fd, this.#header);
    flushOnExit(this);
    if (this.#flushMs > 0) {
      this.#timer = setInterval(() => this.flush(), this.#flushMs);
      this.#timer.unref();
    }
  }
}

/** Writes a whole file atomically: a temp name in the same folder, then rename. */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}
