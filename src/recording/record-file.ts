// TFRecord framing: uint64 length (LE), masked CRC32C of those 8 bytes, the data, masked CRC32C of
// the data. Appending whole records means a crash can only leave a torn last record.
import { maskedCrc32c } from "./crc32c.js";

export const RECORD_OVERHEAD = 16;

/** Writes one framed record into `target` at `offset`; returns the offset after it. */
export function frameRecordInto(target: Buffer, offset: number, data: Uint8Array): number {
  const length = data.length;
  target.writeUInt32LE(length >>> 0, offset);
  target.writeUInt32LE(Math.floor(length / 0x100000000), offset + 4);
  target.writeUInt32LE(maskedCrc32c(target, offset, offset + 8), offset + 8);
  target.set(data, offset + 12);
  target.writeUInt32LE(maskedCrc32c(data), offset + 12 + length);
  return offset + RECORD_OVERHEAD + length;
}

export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(data.length + RECORD_OVERHEAD);
  frameRecordInto(out, 0, data);
  return out;
}

export interface RecordScan {
  /** The data of each complete, verified record, in file order. */
  records: Buffer[];
  /** True when the file ends inside a record (a writer died mid-write); that record is dropped. */
  tornTail: boolean;
}

/**
 * Splits a TFRecord file into records, verifying both CRCs of each. A record cut short by the end
 * of the file ends the scan cleanly; a complete record with a wrong CRC is corruption and throws.
 */
export function scanRecords(file: Buffer, name = "TFRecord file"): RecordScan {
  const records: Buffer[] = [];
  let offset = 0;
  while (offset < file.length) {
    if (offset + 12 > file.length) return { records, tornTail: true };
    const lengthCrc = file.readUInt32LE(offset + 8);
    if (maskedCrc32c(file, offset, offset + 8) !== lengthCrc) {
      throw new Error(`${name}: length CRC mismatch in the record at byte ${offset}`);
    }
    const length = file.readUInt32LE(offset) + file.readUInt32LE(offset + 4) * 0x100000000;
    const dataStart = offset + 12;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > file.length) return { records, tornTail: true };
    if (maskedCrc32c(file, dataStart, dataEnd) !== file.readUInt32LE(dataEnd)) {
      throw new Error(`${name}: data CRC mismatch in the record at byte ${offset}`);
    }
    records.push(file.subarray(dataStart, dataEnd));
    offset = dataEnd + 4;
  }
  return { records, tornTail: false };
}
