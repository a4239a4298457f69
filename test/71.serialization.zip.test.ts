// The zip container: PyTorch's layout and alignment, zip64, and damaged files.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe as suite, test } from "node:test";
import * as zlib from "node:zlib";
import {
  StorageRecord,
  TensorRecord,
  decodeCheckpoint,
  encodeCheckpoint,
} from "../src/torch/serialization/index.js";
import { BufferSource, ZipReader } from "../src/torch/serialization/zip-reader.js";
import { ZipWriter } from "../src/torch/serialization/zip-writer.js";
import { FIXTURES, describe } from "./fixtures/serialization/describe.js";

function sampleValue(): unknown {
  const a = new StorageRecord({ dtype: "float32", bytes: new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer) });
  const b = new StorageRecord({ dtype: "int64", bytes: new Uint8Array(new BigInt64Array([7n, -8n]).buffer) });
  return {
    x: new TensorRecord({ storage: a, shape: [2, 3] }),
    y: new TensorRecord({ storage: a, shape: [3], stride: [2], storageOffset: 1 }),
    z: new TensorRecord({ storage: b, shape: [2] }),
    s: "text",
  };
}

function dataOffset(bytes: Uint8Array, localHeaderOffset: number): number {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return localHeaderOffset + 30 + b.readUInt16LE(localHeaderOffset + 26) + b.readUInt16LE(localHeaderOffset + 28);
}

suite("zip container", () => {
  test("PyTorch's entries: data.pkl, one entry per storage, version 3, byteorder", () => {
    const bytes = encodeCheckpoint(sampleValue());
    const zip = new ZipReader(new BufferSource(bytes));
    assert.deepEqual([...zip.entries.keys()], [
      "archive/data.pkl", "archive/data/0", "archive/data/1", "archive/version", "archive/byteorder",
    ]);
    assert.equal(Buffer.from(zip.read(zip.entries.get("archive/version")!)).toString(), "3\n");
    assert.equal(Buffer.from(zip.read(zip.entries.get("archive/byteorder")!)).toString(), "little");
    assert.equal(zip.entries.get("archive/data/0")!.size, 24);
    assert.equal(zip.entries.get("archive/data/1")!.size, 16);
    for (const e of zip.entries.values()) assert.equal(e.method, 0, `${e.name} is stored, not compressed`);
  });

  test("every entry's data starts on a 64-byte boundary", () => {
    const bytes = encodeCheckpoint(sampleValue());
    const zip = new ZipReader(new BufferSource(bytes));
    for (const e of zip.entries.values()) assert.equal(dataOffset(bytes, e.localHeaderOffset) % 64, 0, e.name);
  });

  test("the same value encodes to the same bytes (no timestamps)", () => {
    assert.deepEqual(encodeCheckpoint(sampleValue()), encodeCheckpoint(sampleValue()));
  });

  test("round trip through bytes keeps values and shared storages", () => {
    const value = sampleValue();
    const back = decodeCheckpoint(encodeCheckpoint(value)) as Record<string, TensorRecord>;
    assert.deepEqual(describe(back), describe(value));
    assert.equal(back.x!.storage, back.y!.storage);
    assert.notEqual(back.x!.storage, back.z!.storage);
  });

  test("zip64 records read back the same", () => {
    const value = sampleValue();
    const bytes = encodeCheckpoint(value, { forceZip64: true });
    assert.ok(Buffer.from(bytes).includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])), "has a zip64 end record");
    assert.deepEqual(describe(decodeCheckpoint(bytes)), describe(value));
  });

  test("deflated entries (a file re-zipped by another tool) are read", () => {
    const chunks: Uint8Array[] = [];
    const w = new ZipWriter((c) => chunks.push(c));
    w.add("x/a", new Uint8Array([1, 2, 3]));
    w.finish();
    const zipBytes = Buffer.concat(chunks);
    // Rewrite the one entry as deflated: method 8, compressed size, new data.
    const deflated = zlib.deflateRawSync(Buffer.from([1, 2, 3]));
    const start = dataOffset(zipBytes, 0);
    const out = Buffer.concat([zipBytes.subarray(0, start), deflated, zipBytes.subarray(start + 3)]);
    out.writeUInt16LE(8, 8);
    out.writeUInt32LE(deflated.length, 18);
    const cd = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    out.writeUInt16LE(8, cd + 10);
    out.writeUInt32LE(deflated.length, cd + 20);
    const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    out.writeUInt32LE(cd, eocd + 16);
    const zip = new ZipReader(new BufferSource(out));
    assert.deepEqual([...zip.read(zip.entries.get("x/a")!)], [1, 2, 3]);
  });

  test("records newer PyTorch versions add are ignored; big-endian storages are refused", () => {
    const good = encodeCheckpoint(sampleValue());
    const add = (extra: Array<[string, string]>, drop: string[] = []): Uint8Array => {
      const zip = new ZipReader(new BufferSource(good));
      const chunks: Uint8Array[] = [];
      const w = new ZipWriter((c) => chunks.push(c));
      for (const e of zip.entries.values()) if (!drop.includes(e.name)) w.add(e.name, zip.read(e));
      for (const [name, text] of extra) w.add(name, Buffer.from(text));
      w.finish();
      return Buffer.concat(chunks);
    };
    const newer = add([["archive/.format_version", "1"], ["archive/.storage_alignment", "64"], ["archive/.data/serialization_id", "123"]]);
    assert.deepEqual(describe(decodeCheckpoint(newer)), describe(sampleValue()));
    const big = add([["archive/byteorder", "big"]], ["archive/byteorder"]);
    assert.throws(() => decodeCheckpoint(big), /big-endian; only little-endian is supported/);
  });

  test("an archive folder of any name is read (Python names it after the file)", () => {
    const bytes = fs.readFileSync(path.join(FIXTURES, "views.pt"));
    const zip = new ZipReader(new BufferSource(bytes));
    assert.ok(zip.entries.has("views/data.pkl"));
    assert.ok(decodeCheckpoint(bytes) !== null);
  });
});

suite("damaged files give a clear Error", () => {
  const good = encodeCheckpoint(sampleValue());

  test("every truncation", () => {
    for (let n = 0; n < good.length; n++) {
      assert.throws(() => decodeCheckpoint(good.subarray(0, n)), /^Error: cannot load checkpoint: /, `first ${n} bytes`);
    }
  });

  test("a flipped bit in a storage fails its CRC-32 with verifyCrc: true (unchecked by default, as Python)", () => {
    const zip = new ZipReader(new BufferSource(good));
    const at = dataOffset(good, zip.entries.get("archive/data/0")!.localHeaderOffset);
    const bad = new Uint8Array(good);
    bad[at] ^= 1;
    assert.throws(() => decodeCheckpoint(bad, { verifyCrc: true }), /CRC-32 mismatch in archive\/data\/0/);
    const loaded = decodeCheckpoint(bad) as Record<string, TensorRecord>;
    assert.equal(loaded.x!.storage.bytes[0], 1); // float32 1.0 is 00 00 80 3f: the low byte flipped
  });

  test("a flipped bit in the pickle always fails its CRC-32", () => {
    const zip = new ZipReader(new BufferSource(good));
    const at = dataOffset(good, zip.entries.get("archive/data.pkl")!.localHeaderOffset);
    const bad = new Uint8Array(good);
    bad[at + 5] ^= 1;
    assert.throws(() => decodeCheckpoint(bad), /CRC-32 mismatch in archive\/data\.pkl/);
  });

  test("random corruption never hangs or crashes", () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let i = 0; i < 1500; i++) {
      const bad = new Uint8Array(good);
      for (let j = 0; j < 4; j++) bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
      try {
        decodeCheckpoint(bad, { verifyCrc: i % 2 === 0 });
      } catch (e) {
        assert.ok(e instanceof Error);
        assert.match(e.message, /^cannot load checkpoint: /);
      }
    }
  });

  test("not a checkpoint at all", () => {
    assert.throws(() => decodeCheckpoint(Buffer.from("hello world, this is text")), /not a torch\.save file/);
    assert.throws(() => decodeCheckpoint(new Uint8Array(0)), /cannot load checkpoint/);
    const chunks: Uint8Array[] = [];
    const w = new ZipWriter((c) => chunks.push(c));
    w.add("model/constants.pkl", new Uint8Array([0x80, 2, 0x4e, 0x2e]));
    w.finish();
    assert.throws(() => decodeCheckpoint(Buffer.concat(chunks)), /TorchScript archive/);
  });

  test("a storage entry shorter than the pickle says", () => {
    const s = new StorageRecord({ dtype: "float32", bytes: new Uint8Array(8) });
    const good = encodeCheckpoint({ t: new TensorRecord({ storage: s, shape: [2] }) });
    // Claim 3 elements in the persistent id (BININT1 2 just before TUPLE BINPERSID), with valid CRCs.
    const bad = rezip(good, (name, data) => {
      if (!name.endsWith("data.pkl")) return data;
      const pkl = Buffer.from(data);
      pkl[pkl.indexOf(Buffer.from([0x4b, 2, 0x74, 0x51])) + 1] = 3;
      return pkl;
    });
    assert.throws(() => decodeCheckpoint(bad), /storage 0 holds 8 bytes, expected 12/);
  });

  test("a tensor view reaching past its storage", () => {
    const s = new StorageRecord({ dtype: "float32", bytes: new Uint8Array(8) });
    const good = encodeCheckpoint({ t: new TensorRecord({ storage: s, shape: [2] }) });
    const bad = rezip(good, (name, data) => {
      if (!name.endsWith("data.pkl")) return data;
      const pkl = Buffer.from(data);
      pkl[pkl.indexOf(Buffer.from([0x51, 0x4b, 0])) + 2] = 1; // storage offset 0 -> 1
      return pkl;
    });
    assert.throws(() => decodeCheckpoint(bad), /_rebuild_tensor_v2: .*reaches element 2 of a storage of 2 elements/);
  });

  test("a missing storage entry", () => {
    const s = new StorageRecord({ dtype: "float32", bytes: new Uint8Array(8) });
    const good = encodeCheckpoint({ t: new TensorRecord({ storage: s, shape: [2] }) });
    const bad = rezip(good, (name, data) => (name.endsWith("data/0") ? undefined : data));
    assert.throws(() => decodeCheckpoint(bad), /missing storage entry archive\/data\/0/);
  });
});

/** The zip's entries, rewritten (or dropped when `edit` gives undefined), with valid CRCs. */
function rezip(bytes: Uint8Array, edit: (name: string, data: Uint8Array) => Uint8Array | undefined): Uint8Array {
  const zip = new ZipReader(new BufferSource(bytes));
  const chunks: Uint8Array[] = [];
  const w = new ZipWriter((c) => chunks.push(c));
  for (const entry of zip.entries.values()) {
    const data = edit(entry.name, zip.read(entry));
    if (data !== undefined) w.add(entry.name, data);
  }
  w.finish();
  return Buffer.concat(chunks);
}
