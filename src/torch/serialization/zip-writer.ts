/**
 * Writes the zip container as PyTorch's writer does: stored entries whose data start on a 64-byte
 * boundary (padding goes into an extra field with id "FB"), so the file can be memory-mapped and a
 * storage read with one aligned copy; zip64 records as soon as a size or offset needs them. Data
 * goes straight to the sink: storages are never concatenated.
 */
import * as zlib from "node:zlib";

/**
 * Where the zip's bytes go, in order; `offset` is the chunk's place in the file (it skips the data
 * of entries added with `dataWrittenByCaller`).
 */
export type ByteSinkFn = (chunk: Uint8Array, offset: number) => void;

/** Data start alignment of PyTorch's writer (caffe2/serialize/inline_container.cc). */
export const ZIP_ALIGNMENT = 64;

const U32_MAX = 0xffffffff;

interface WrittenEntry {
  name: Buffer;
  crc32: number;
  size: number;
  offset: number;
}

export interface ZipWriterOptions {
  /** Write zip64 fields even when nothing needs them (tests the zip64 path on small files). */
  forceZip64?: boolean;
}

export interface AddOptions {
  /** The data's CRC-32, when the caller already has it (it is not computed again). */
  crc32?: number;
  /**
   * The caller writes the data itself at the offset `add` returns (e.g. from several threads):
   * only the header goes to the sink. Run the same adds through a writer whose sink ignores
   * everything to learn every entry's data offset before writing anything.
   */
  dataWrittenByCaller?: boolean;
}

export class ZipWriter {
  private offset = 0;
  private readonly written: WrittenEntry[] = [];
  private readonly forceZip64: boolean;

  constructor(
    private readonly sink: ByteSinkFn,
    options: ZipWriterOptions = {},
  ) {
    this.forceZip64 = options.forceZip64 ?? false;
  }

  private emit(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.sink(chunk, this.offset);
    this.offset += chunk.length;
  }

  /** Adds one stored entry; returns the file offset of its data. */
  add(name: string, data: Uint8Array, options: AddOptions = {}): number {
    const nameBytes = Buffer.from(name, "utf8");
    const size = data.length;
    const zip64 = this.forceZip64 || size >= U32_MAX;
    const zip64Extra = zip64 ? 4 + 16 : 0;
    const start = this.offset + 30 + nameBytes.length + zip64Extra + 4;
    const padding = (ZIP_ALIGNMENT - (start % ZIP_ALIGNMENT)) % ZIP_ALIGNMENT;
    const extraLength = zip64Extra + 4 + padding;
    const header = Buffer.alloc(30 + nameBytes.length + extraLength);
    const crc32 = options.crc32 ?? zlib.crc32(data) >>> 0;
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(zip64 ? 45 : 20, 4); // version needed
    header.writeUInt16LE(0, 6); // flags
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt16LE(0, 10); // time
    header.writeUInt16LE(0x21, 12); // date: 1980-01-01, fixed so output is reproducible
    header.writeUInt32LE(crc32, 14);
    header.writeUInt32LE(zip64 ? U32_MAX : size, 18);
    header.writeUInt32LE(zip64 ? U32_MAX : size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(extraLength, 28);
    nameBytes.copy(header, 30);
    let e = 30 + nameBytes.length;
    if (zip64) {
      header.writeUInt16LE(0x0001, e);
      header.writeUInt16LE(16, e + 2);
      header.writeBigUInt64LE(BigInt(size), e + 4);
      header.writeBigUInt64LE(BigInt(size), e + 12);
      e += 20;
    }
    header.write("FB", e, "latin1");
    header.writeUInt16LE(padding, e + 2); // the padding bytes themselves stay zero
    this.written.push({ name: nameBytes, crc32, size, offset: this.offset });
    this.emit(header);
    const dataOffset = this.offset;
    if (options.dataWrittenByCaller) this.offset += size;
    else this.emit(data);
    return dataOffset;
  }

  /** Writes the central directory and end records. */
  finish(): void {
    const cdOffset = this.offset;
    for (const entry of this.written) {
      const bigSize = this.forceZip64 || entry.size >= U32_MAX;
      const bigOffset = this.forceZip64 || entry.offset >= U32_MAX;
      const zip64Length = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
      const extraLength = zip64Length > 0 ? 4 + zip64Length : 0;
      const h = Buffer.alloc(46 + entry.name.length + extraLength);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(45, 4); // made by
      h.writeUInt16LE(extraLength > 0 ? 45 : 20, 6); // needed
      h.writeUInt16LE(0, 8);
      h.writeUInt16LE(0, 10);
      h.writeUInt16LE(0, 12);
      h.writeUInt16LE(0x21, 14);
      h.writeUInt32LE(entry.crc32, 16);
      h.writeUInt32LE(bigSize ? U32_MAX : entry.size, 20);
      h.writeUInt32LE(bigSize ? U32_MAX : entry.size, 24);
      h.writeUInt16LE(entry.name.length, 28);
      h.writeUInt16LE(extraLength, 30);
      // comment length, disk, attributes: zero
      h.writeUInt32LE(bigOffset ? U32_MAX : entry.offset, 42);
      entry.name.copy(h, 46);
      let e = 46 + entry.name.length;
      if (extraLength > 0) {
        h.writeUInt16LE(0x0001, e);
        h.writeUInt16LE(zip64Length, e + 2);
        e += 4;
        if (bigSize) {
          h.writeBigUInt64LE(BigInt(entry.size), e);
          h.writeBigUInt64LE(BigInt(entry.size), e + 8);
          e += 16;
        }
        if (bigOffset) h.writeBigUInt64LE(BigInt(entry.offset), e);
      }
      this.emit(h);
    }
    const cdSize = this.offset - cdOffset;
    const count = this.written.length;
    const zip64 = this.forceZip64 || count >= 0xffff || cdOffset >= U32_MAX || cdSize >= U32_MAX;
    if (zip64) {
      const zip64EocdOffset = this.offset;
      const z = Buffer.alloc(56 + 20);
      z.writeUInt32LE(0x06064b50, 0);
      z.writeBigUInt64LE(44n, 4); // size of the rest of this record
      z.writeUInt16LE(45, 12);
      z.writeUInt16LE(45, 14);
      // disk numbers zero
      z.writeBigUInt64LE(BigInt(count), 24);
      z.writeBigUInt64LE(BigInt(count), 32);
      z.writeBigUInt64LE(BigInt(cdSize), 40);
      z.writeBigUInt64LE(BigInt(cdOffset), 48);
      z.writeUInt32LE(0x07064b50, 56); // locator
      z.writeUInt32LE(0, 60);
      z.writeBigUInt64LE(BigInt(zip64EocdOffset), 64);
      z.writeUInt32LE(1, 72); // total disks
      this.emit(z);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(zip64 ? 0xffff : count, 8);
    end.writeUInt16LE(zip64 ? 0xffff : count, 10);
    end.writeUInt32LE(zip64 ? U32_MAX : cdSize, 12);
    end.writeUInt32LE(zip64 ? U32_MAX : cdOffset, 16);
    this.emit(end);
  }
}
