// A fast path for decoding event records: most records of a training run are Events whose values
// are plain scalars (a tag and a simple_value), and decoding those by hand is several times
// faster than protobufjs's generic decoder. Any other value (images, histograms, tensors,
// metadata) is handed to protobufjs, so what comes out is the same as eventType().decode() gives.
import { eventType } from "../recording/proto.js";
import type { DecodedEvent, DecodedValue } from "./event-tail.js";

const WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_LENGTH = 2, WIRE_FIXED32 = 5;

let valueType: ReturnType<typeof eventType> | null = null;
function summaryValueType(): ReturnType<typeof eventType> {
  return (valueType ??= eventType().root.lookupType("tensorboard.Summary.Value"));
}

class Reader {
  pos: number;
  constructor(readonly buf: Buffer, start: number, readonly end: number) {
    this.pos = start;
  }
  varint(): number {
    let result = 0, shift = 0, byte: number;
    do {
      if (this.pos >= this.end) throw new Error("truncated varint");
      byte = this.buf[this.pos++]!;
      // Beyond 2^53 precision is lost, as protobufjs's Long.toNumber() loses it.
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }
  /** An int64 varint: two's complement, so negative values (10 bytes) come back negative. */
  int64(): number {
    const start = this.pos;
    const value = this.varint();
    if (this.pos - start < 8) return value;
    let big = 0n;
    for (let i = this.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(this.buf[i]! & 0x7f);
    return Number(BigInt.asIntN(64, big));
  }
  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_FIXED64) this.pos += 8;
    else if (wire === WIRE_LENGTH) {
      const length = this.varint();
      this.pos += length;
    }
    else if (wire === WIRE_FIXED32) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
    if (this.pos > this.end) throw new Error("field runs past the end");
  }
}

/** Decodes one serialized tensorboard.Event. */
export function decodeEvent(buf: Buffer): DecodedEvent {
  const r = new Reader(buf, 0, buf.length);
  const event: DecodedEvent = { wallTime: 0, step: 0 };
  while (r.pos < r.end) {
    const key = r.varint();
    const field = Math.floor(key / 8), wire = key & 7;
    if (field === 1 && wire === WIRE_FIXED64) {
      event.wallTime = buf.readDoubleLE(r.pos);
      r.pos += 8;
    } else if (field === 2 && wire === WIRE_VARINT) {
      event.step = r.int64();
    } else if (field === 5 && wire === WIRE_LENGTH) {
      const length = r.varint();
      event.summary = { value: decodeSummary(buf, r.pos, r.pos + length) };
      r.pos += length;
    } else {
      r.skip(wire);
    }
  }
  if (r.pos !== r.end) throw new Error("a field runs past the end of the event");
  return event;
}

function decodeSummary(buf: Buffer, start: number, end: number): DecodedValue[] {
  const r = new Reader(buf, start, end);
  const values: DecodedValue[] = [];
  while (r.pos < end) {
    const key = r.varint();
    if (key !== ((1 << 3) | WIRE_LENGTH)) {
      r.skip(key & 7);
      continue;
    }
    const length = r.varint();
    values.push(decodeValue(buf, r.pos, r.pos + length));
    r.pos += length;
  }
  return values;
}

function decodeValue(buf: Buffer, start: number, end: number): DecodedValue {
  const r = new Reader(buf, start, end);
  let tag = "";
  let simple: number | undefined;
  while (r.pos < end) {
    const key = r.varint();
    if (key === ((1 << 3) | WIRE_LENGTH)) {
      const length = r.varint();
      tag = buf.toString("utf8", r.pos, r.pos + length);
      r.pos += length;
    } else if (key === ((2 << 3) | WIRE_FIXED32)) {
      simple = buf.readFloatLE(r.pos);
      r.pos += 4;
    } else {
      // Anything else (image, histogram, tensor, metadata): the generic decoder.
      return summaryValueType().decode(buf.subarray(start, end)) as unknown as DecodedValue;
    }
  }
  return simple === undefined ? { tag } : { tag, simpleValue: simple };
}
