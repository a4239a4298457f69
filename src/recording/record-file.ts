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
  /** The byte offset after the last complete record: where a later scan of a growing file resumes. */
  end: number;
}

/** A scan that stops at damage instead of throwing: the records before it are kept. */
export interface RecordScanToDamage extends RecordScan {
  /** What is wrong at byte `end` (a CRC mismatch), or null when the scan reached the end cleanly. */
  damage: string | null;
}

/**
 * Splits a TFRecord file into records, verifying both CRCs of each, from byte `start` on. A record
 * cut short by the end of the file ends the scan cleanly (a live reader waits for the rest of it);
 * a complete record with a wrong CRC is corruption and throws.
 */
export function scanRecords(file: Buffer, name = "TFRecord file", start = 0): RecordScan {
  const scan = scanRecordsToDamage(file, name, start);
  if (scan.damage !== null) throw new Error(scan.damage);
  return { records: scan.records, tornTail: scan.tornTail, end: scan.end };
}

/** As scanRecords, but damage ends the scan and is reported, keeping the good records before it. */
export function scanRecordsToDamage(file: Buffer, name = "TFRecord file", start = 0): RecordScanToDamage {
  const records: Buffer[] = [];
  let offset = start;
  while (offset < file.length) {
    if (offset + 12 > file.length) return { records, tornTail: true, end: offset, damage: null };
    const lengthCrc = file.readUInt32LE(offset + 8);
    if (maskedCrc32c(file, offset, offset + 8) !== lengthCrc) {
      return { records, tornTail: false, end: offset, damage: `${name}: length CRC mismatch in the record at byte ${offset}` };
    }
    const length = file.readUInt32LE(offset) + file.readUInt32LE(offset + 4) * 0x100000000;
    const dataStart = offset + 12;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > file.length) return { records, tornTail: true, end: offset, damage: null };
    if (maskedCrc32c(file, dataStart, dataEnd) !== file.readUInt32LE(dataEnd)) {
      return { records, tornTail: false, end: offset, damage: `${name}: data CRC mismatch in the record at byte ${offset}` };
    }
    records.push(file.subarray(dataStart, dataEnd));
    offset = dataEnd + 4;
  }
  return { records, tornTail: false, end: offset, damage: null };
}
