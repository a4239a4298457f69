// An append-only text file fed whole lines through a buffer (scalars.csv, records.jsonl): flushed
// periodically (also checked on append, for loops that never yield), on demand and at process
// exit, so a crash loses at most the unflushed lines. One
// per path in a process (LineFile.forPath), so Recorders sharing a directory keep whole rows in
// the order they were recorded.
import fs from "node:fs";
import path from "node:path";
import { flushOnExit, stopFlushOnExit, writeError } from "../exit-flush.js";

const shared = new Map<string, LineFile>();

export class LineFile {
  readonly path: string;
  #users = 1;
  #fd = -1;
  #pending = "";
  #timer: NodeJS.Timeout | null = null;
  #flushDue = Infinity;
  readonly #header: string;
  readonly #flushMs: number;

  constructor(file: string, options: { header?: string; flushSecs?: number } = {}) {
    this.path = file;
    this.#header = options.header ?? "";
    this.#flushMs = (options.flushSecs ?? 1) * 1000;
  }

  /** The path's shared LineFile; each call must be paired with close(). */
  static forPath(file: string, options: { header?: string; flushSecs?: number } = {}): LineFile {
    const key = path.resolve(file);
    const existing = shared.get(key);
    if (existing) {
      existing.#users++;
      return existing;
    }
    const created = new LineFile(key, options);
    shared.set(key, created);
    return created;
  }

  append(line: string): void {
    if (this.#fd < 0) this.#open();
    this.#pending += line;
    if (this.#pending.length >= 1 << 16 || Date.now() >= this.#flushDue) this.flush();
  }

  flush(): void {
    if (this.#flushMs > 0) this.#flushDue = Date.now() + this.#flushMs;
    if (this.#fd < 0 || this.#pending.length === 0) return;
    const bytes = Buffer.from(this.#pending);
    let written = 0;
    try {
      while (written < bytes.length) written += fs.writeSync(this.#fd, bytes, written, bytes.length - written);
    } catch (error) {
      // The unwritten lines stay for the next flush; the error names the file.
      this.#pending = bytes.subarray(written).toString();
      throw writeError(this.path, bytes.length - written, error);
    }
    this.#pending = "";
  }

  close(): void {
    if (--this.#users > 0) return;
    if (shared.get(this.path) === this) shared.delete(this.path);
    if (this.#fd < 0) return;
    try {
      this.flush();
    } finally {
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
      stopFlushOnExit(this);
      fs.closeSync(this.#fd);
      this.#fd = -1;
    }
  }

  #open(): void {
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    this.#fd = fs.openSync(this.path, "a");
    if (this.#flushMs > 0) this.#flushDue = Date.now() + this.#flushMs;
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
