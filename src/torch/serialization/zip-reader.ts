/**
 * Reads the zip container of torch.save files: stored (and, for files re-zipped by other tools,
 * deflated) entries, zip64 included. Entry data is read straight into its own buffer (files) or
 * viewed in place (buffers), so a storage is copied at most once from the disk.
 */
import * as fs from "node:fs";
import * as zlib from "node:zlib";

/** Random access to the bytes of a zip file. */
export interface ByteSource {
  readonly size: number;
  /**
   * `length` bytes at `offset`. The result starts at an 8-byte aligned address and may be a view
   * of memory the source owns.
   */
  read(offset: number, length: number): Uint8Array;
  /** Reads `into.length` bytes at `offset` straight into `into` (no intermediate buffer). */
  readInto(offset: number, into: Uint8Array): void;
  /**
   * `readInto` for many buffers at once, in any order (e.g. on several threads); with `withCrc`,
   * their CRC-32s. Absent: the caller reads them one by one.
   */
  readManyInto?(offsets: number[], into: Uint8Array[], withCrc: boolean): number[] | undefined;
}

/** A zip held in memory: entries are views of it (copied only when misaligned). */
export class BufferSource implements ByteSource {
  constructor(private readonly data: Uint8Array) {}

  get size(): number {
    return this.data.length;
  }

  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.data.length) {
      throw new Error(`truncated zip: wants bytes ${offset}..${offset + length} of ${this.data.length}`);
    }
    const view = this.data.subarray(offset, offset + length);
    return view.byteOffset % 8 === 0 ? view : new Uint8Array(view);
  }

  readInto(offset: number, into: Uint8Array): void {
    into.set(this.read(offset, into.length));
  }
}

/** Largest single read; readSync takes at most 2 GiB - 1 per call. */
const READ_CHUNK = 1 << 30;

/** Reads many buffers from file offsets at once (see ByteSource.readManyInto). */
export type ReadManyFn = (fd: number, offsets: number[], into: Uint8Array[], withCrc: boolean) => number[] | undefined;

/** A zip file read through a descriptor: each read gets its own buffer. */
export class FileSource implements ByteSource {
  readonly size: number;
  readonly readManyInto?: (offsets: number[], into: Uint8Array[], withCrc: boolean) => number[] | undefined;

  /** `readMany`: how to read many buffers at once (the native addon's parallel `readAt`). */
  constructor(
    private readonly fd: number,
    readMany?: ReadManyFn,
  ) {
    this.size = fs.fstatSync(fd).size;
    if (readMany !== undefined) {
      this.readManyInto = (offsets, into, withCrc) => {
        offsets.forEach((offset, i) => {
          if (offset < 0 || offset + into[i]!.length > this.size) {
            throw new Error(`truncated zip: wants bytes ${offset}..${offset + into[i]!.length} of ${this.size}`);
          }
        });
        return readMany(this.fd, offsets, into, withCrc);
      };
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new Error(`truncated zip: wants bytes ${offset}..${offset + length} of ${this.size}`);
    }
    const out = Buffer.allocUnsafeSlow(length); // own ArrayBuffer: aligned, and not pinned to a pool
    this.readInto(offset, out);
    return out;
  }

  readInto(offset: number, into: Uint8Array): void {
    const length = into.length;
    if (offset < 0 || offset + length > this.size) {
      throw new Error(`truncated zip: wants bytes ${offset}..${offset + length} of ${this.size}`);
    }
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, into, done, Math.min(READ_CHUNK, length - done), offset + done);
      if (n === 0) throw new Error(`truncated zip: the file ended at byte ${offset + done}`);
      done += n;
    }
  }
}

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const U32_MAX = 0xffffffff;

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.length);
}

function u64(dv: DataView, at: number): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("corrupt zip: a 64-bit size beyond 2^53");
  return Number(v);
}

export class ZipReader {
  readonly entries = new Map<string, ZipEntry>();

  constructor(private readonly source: ByteSource) {
    this.readCentralDirectory();
  }

  private readCentralDirectory(): void {
    const size = this.source.size;
    if (size < 22) throw new Error(`not a zip file: only ${size} bytes`);
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = this.source.read(size - tailLength, tailLength);
    const tv = view(tail);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tv.getUint32(i, true) === SIG_EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error("not a zip file, or a truncated one: no end-of-central-directory record");
    let count = tv.getUint16(eocd + 10, true);
    let cdSize = tv.getUint32(eocd + 12, true);
    let cdOffset = tv.getUint32(eocd + 16, true);
    const locatorAt = eocd - 20;
    if (locatorAt >= 0 && tv.getUint32(locatorAt, true) === SIG_ZIP64_LOCATOR) {
      const zip64At = u64(tv, locatorAt + 8);
      const z = view(this.source.read(zip64At, 56));
      if (z.getUint32(0, true) !== SIG_ZIP64_EOCD) throw new Error("corrupt zip: bad zip64 end-of-central-directory record");
      count = u64(z, 32);
      cdSize = u64(z, 40);
      cdOffset = u64(z, 48);
    }
    if (cdOffset + cdSize > size) throw new Error("truncated zip: the central directory lies past the end of the file");
    const cd = this.source.read(cdOffset, cdSize);
    const dv = view(cd);
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > cdSize || dv.getUint32(at, true) !== SIG_CENTRAL) {
        throw new Error(`corrupt zip: central directory entry ${i} is damaged`);
      }
      const method = dv.getUint16(at + 10, true);
      const crc32 = dv.getUint32(at + 16, true);
      let compressedSize = dv.getUint32(at + 20, true);
      let entrySize = dv.getUint32(at + 24, true);
      const nameLength = dv.getUint16(at + 28, true);
      const extraLength = dv.getUint16(at + 30, true);
      const commentLength = dv.getUint16(at + 32, true);
      let localHeaderOffset = dv.getUint32(at + 42, true);
      const end = at + 46 + nameLength + extraLength + commentLength;
      if (end > cdSize) throw new Error(`corrupt zip: central directory entry ${i} is damaged`);
      const name = Buffer.from(cd.buffer, cd.byteOffset + at + 46, nameLength).toString("utf8");
      // zip64 extended information: the 8-byte values of the fields that hold 0xffffffff, in order.
      let e = at + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = dv.getUint16(e, true);
        const len = dv.getUint16(e + 2, true);
        if (id === 0x0001) {
          let p = e + 4;
          const take = (): number => {
            if (p + 8 > e + 4 + len) throw new Error(`corrupt zip: short zip64 field in entry ${name}`);
            const v = u64(dv, p);
            p += 8;
            return v;
          };
          if (entrySize === U32_MAX) entrySize = take();
          if (compressedSize === U32_MAX) compressedSize = take();
          if (localHeaderOffset === U32_MAX) localHeaderOffset = take();
        }
        e += 4 + len;
      }
      this.entries.set(name, { name, method, crc32, compressedSize, size: entrySize, localHeaderOffset });
      at = end;
    }
  }

  /** Where `entry`'s data start in the file (read from its local header). */
  dataOffset(entry: ZipEntry): number {
    const header = view(this.source.read(entry.localHeaderOffset, 30));
    if (header.getUint32(0, true) !== SIG_LOCAL) throw new Error(`corrupt zip: bad local header for ${entry.name}`);
    return entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  }

  /** True when `read(entry, verify, into)` would read straight into `into`. */
  readsStraightInto(entry: ZipEntry, into: Uint8Array): boolean {
    return entry.method === 0 && into.length === entry.size && entry.compressedSize === entry.size;
  }

  /**
   * Reads many stored entries straight into their buffers (`readsStraightInto` must hold for each)
   * with the source's `readManyInto` when it has one (several threads), else one by one.
   */
  readManyInto(entries: ZipEntry[], into: Uint8Array[], verify: boolean): void {
    if (this.source.readManyInto === undefined) {
      entries.forEach((entry, i) => this.read(entry, verify, into[i]));
      return;
    }
    const offsets = entries.map((entry) => this.dataOffset(entry));
    const crcs = this.source.readManyInto(offsets, into, verify);
    if (!verify) return;
    entries.forEach((entry, i) => {
      if (crcs?.[i] !== entry.crc32) throw new Error(`corrupt zip: CRC-32 mismatch in ${entry.name}`);
    });
  }

  /**
   * An entry's bytes, checked against its CRC-32 when `verify` is true. With `into` (a stored entry
   * of exactly that size), they are read straight into it: checkpoint storages land in libtorch's
   * memory without a second copy.
   */
  read(entry: ZipEntry, verify = true, into?: Uint8Array): Uint8Array {
    const dataOffset = this.dataOffset(entry);
    if (into !== undefined && this.readsStraightInto(entry, into)) {
      this.source.readInto(dataOffset, into);
      if (verify && zlib.crc32(into) >>> 0 !== entry.crc32) throw new Error(`corrupt zip: CRC-32 mismatch in ${entry.name}`);
      return into;
    }
    let data = this.source.read(dataOffset, entry.compressedSize);
    if (entry.method === 8) {
      try {
        data = new Uint8Array(zlib.inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) }));
      } catch (e) {
        throw new Error(`corrupt zip: cannot inflate ${entry.name}: ${(e as Error).message}`);
      }
    } else if (entry.method !== 0) {
      throw new Error(`unsupported zip compression method ${entry.method} for ${entry.name}`);
    }
    if (data.length !== entry.size) throw new Error(`corrupt zip: ${entry.name} has ${data.length} bytes, expected ${entry.size}`);
    if (verify && zlib.crc32(data) >>> 0 !== entry.crc32) throw new Error(`corrupt zip: CRC-32 mismatch in ${entry.name}`);
    if (into !== undefined) {
      if (into.length > data.length) throw new Error(`corrupt zip: ${entry.name} is shorter than its storage`);
      into.set(data.subarray(0, into.length));
      return into;
    }
    return data;
  }
}
