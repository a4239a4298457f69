// An append-only TensorBoard event file with a write buffer: records are framed into memory and
// written out by flush() (periodic, when the buffer fills, on close and on process exit). Writes
// are synchronous so an exit handler can still flush. The period is also checked on each write:
// a training loop that never yields to the event loop never runs the timer.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eventType } from "./proto.js";
import { frameRecordInto, RECORD_OVERHEAD } from "./record-file.js";
import { flushOnExit, stopFlushOnExit, writeError } from "./exit-flush.js";

export interface EventFileWriterOptions {
  /** Seconds between automatic flushes (default 1: a killed run loses at most ~1 s of records). */
  flushSecs?: number;
  /** Buffered bytes that trigger a flush (default 1 MiB). */
  maxBufferBytes?: number;
  /** Called at every flush (explicit, periodic, at exit) first, to write records held elsewhere. */
  beforeFlush?: () => void;
}

/** The fields of a TensorBoard `Event` we write (camelCase, as protobufjs takes them). */
export interface EventMessage {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: object[] };
}

export class EventFileWriter {
  readonly logdir: string;
  #path = "";
  #fd = -1;
  #buffer: Buffer;
  #used = 0;
  #timer: NodeJS.Timeout | null = null;
  #flushDue = Infinity;
  readonly #flushMs: number;
  readonly #beforeFlush: (() => void) | undefined;

  constructor(logdir: string, options: EventFileWriterOptions = {}) {
    this.logdir = path.resolve(logdir);
    this.#flushMs = Math.max(0, (options.flushSecs ?? 1) * 1000);
    this.#buffer = Buffer.allocUnsafe(Math.max(4096, options.maxBufferBytes ?? 1 << 20));
    this.#beforeFlush = options.beforeFlush;
    this.#open();
  }

  /** The event file being written. */
  get path(): string {
    return this.#path;
  }

  get closed(): boolean {
    return this.#fd < 0;
  }

  writeEvent(event: EventMessage): void {
    this.writeRecord(eventType().encode(event).finish());
  }

  /** Appends one serialized Event as a framed record. */
  writeRecord(data: Uint8Array): void {
    if (this.#fd < 0) throw new Error(`Event file writer for '${this.logdir}' is closed`);
    const need = data.length + RECORD_OVERHEAD;
    if (this.#used + need > this.#buffer.length) {
      this.#writeBuffer();
      if (need > this.#buffer.length) {
        const framed = Buffer.allocUnsafe(need);
        frameRecordInto(framed, 0, data);
        this.#writeOut(framed, need);
        return;
      }
    }
    this.#used = frameRecordInto(this.#buffer, this.#used, data);
    if (Date.now() >= this.#flushDue) this.#writeBuffer();
  }

  flush(): void {
    if (this.#fd < 0) return;
    this.#beforeFlush?.();
    this.#writeBuffer();
  }

  #writeBuffer(): void {
    if (this.#flushMs > 0) this.#flushDue = Date.now() + this.#flushMs;
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0;
    this.#writeOut(this.#buffer, used);
  }

  close(): void {
    if (this.#fd < 0) return;
    try {
      this.flush();
      fs.fsyncSync(this.#fd);
    } finally {
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
      stopFlushOnExit(this);
      fs.closeSync(this.#fd);
      this.#fd = -1;
    }
  }

  /** Closes this file and starts a new one in the same folder (a resumed run's records). */
  reopen(): void {
    this.close();
    this.#open();
  }

  /**
   * Writes `length` bytes of `buffer`. On failure (a full disk) the unwritten records stay in the
   * buffer for the next flush and the error names the file: nothing is dropped silently.
   */
  #writeOut(buffer: Buffer, length: number): void {
    let written = 0;
    try {
      while (written < length) written += fs.writeSync(this.#fd, buffer, written, length - written);
    } catch (error) {
      if (buffer === this.#buffer) {
        this.#buffer.copy(this.#buffer, 0, written, length);
        this.#used = length - written;
      }
      throw writeError(this.#path, length - written, error);
    }
  }

  #open(): void {
    fs.mkdirSync(this.logdir, { recursive: true });
    const base = `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${os.hostname()}`;
    for (let n = 0; ; n++) {
      // A second writer in the folder (or a resumed run within the same second) gets a suffix.
      const name = n === 0 ? base : `${base}.${process.pid}.${n}`;
      const candidate = path.join(this.logdir, name);
      try {
        this.#fd = fs.openSync(candidate, "wx");
        this.#path = candidate;
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    this.writeEvent({ wallTime: Date.now() / 1000, step: 0, fileVersion: "brain.Event:2" });
    this.#writeBuffer();
    flushOnExit(this);
    if (this.#flushMs > 0) {
      this.#timer = setInterval(() => this.flush(), this.#flushMs);
      this.#timer.unref();
    }
  }
}
