// Live reading of one event file: each call reads the bytes appended since the last one and
// decodes the complete records among them. A torn last record (a writer mid-flush) is left for the
// next call; a damaged record stops the file there and is reported, keeping everything before it.
import fs from "node:fs";
import { scanRecordsToDamage } from "../recording/record-file.js";
import { decodeEvent } from "./event-decoder.js";

/** A decoded `tensorboard.Event` as protobufjs gives it (fields absent unless set). */
export interface DecodedEvent {
  wallTime: number;
  step: number | { toNumber(): number };
  summary?: { value: DecodedValue[] };
}

/** A decoded `tensorboard.Summary.Value`. */
export interface DecodedValue {
  tag: string;
  metadata?: { pluginData?: { pluginName: string; content: Uint8Array } };
  simpleValue?: number;
  image?: { height: number; width: number; colorspace: number; encodedImageString: Uint8Array };
  histo?: { min: number; max: number; num: number; sum: number; sumSquares: number; bucketLimit: number[]; bucket: number[] };
  tensor?: DecodedTensor;
}

/** A decoded `tensorboard.TensorProto`. */
export interface DecodedTensor {
  dtype: number;
  tensorShape?: { dim?: { size: number | { toNumber(): number } }[] };
  tensorContent?: Uint8Array;
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  int64Val?: (number | { toNumber(): number })[];
  boolVal?: boolean[];
  stringVal?: Uint8Array[];
}

export class EventFileTail {
  readonly path: string;
  #offset = 0;
  #damage: string | null = null;

  constructor(path: string) {
    this.path = path;
  }

  /** What stopped the reading of this file (a damaged record), or null. */
  get damage(): string | null {
    return this.#damage;
  }

  /** Bytes read and decoded so far. */
  get offset(): number {
    return this.#offset;
  }

  /** The events completed since the last call (none once the file is damaged). */
  readNew(): DecodedEvent[] {
    if (this.#damage !== null) return [];
    let fd: number;
    try {
      fd = fs.openSync(this.path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    let chunk: Buffer;
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.#offset) return [];
      chunk = Buffer.allocUnsafe(size - this.#offset);
      let read = 0;
      while (read < chunk.length) {
        const n = fs.readSync(fd, chunk, read, chunk.length - read, this.#offset + read);
        if (n === 0) break;
        read += n;
      }
      chunk = chunk.subarray(0, read);
    } finally {
      fs.closeSync(fd);
    }
    const scan = scanRecordsToDamage(chunk, this.path);
    const events: DecodedEvent[] = new Array(scan.records.length);
    let decoded = 0;
    for (const record of scan.records) {
      try {
        const event = decodeEvent(record);
        events[decoded++] = event;
      } catch (error) {
        this.#damage = `${this.path}: a record after byte ${this.#offset} is not a valid Event: ${(error as Error).message}`;
        return events.slice(0, decoded);
      }
    }
    if (scan.damage !== null) this.#damage = scan.damage.replace(/at byte (\d+)/, (_m, at: string) => `at byte ${this.#offset + Number(at)}`);
    this.#offset += scan.end;
    return events;
  }
}

/** An int64 field as protobufjs decodes it (a Long where the long package is present) to a number. */
export function int64ToNumber(value: number | { toNumber(): number }): number {
  return typeof value === "number" ? value : value.toNumber();
}
