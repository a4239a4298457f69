/**
 * PyTorch's checkpoint file format (torch.save since 1.6), in TypeScript, without libtorch: files
 * written here load in Python's `torch.load`, and files from Python's `torch.save` load here.
 *
 * File layout (a zip of stored entries, data 64-byte aligned; zip64 when sizes need it):
 *   archive/data.pkl      the value, pickled (protocol 2); each tensor is
 *                         torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
 *                         requires_grad, OrderedDict()), parameters wrap that in _rebuild_parameter
 *   archive/data/<key>    one storage's raw little-endian bytes; the pickle refers to it by the
 *                         persistent id ('storage', torch.<Name>Storage, key, location, numel)
 *   archive/version       "3\n" (what torch 1.13 writes)
 *   archive/byteorder     "little" (torch >= 2.1 writes and checks it)
 * We write "archive" as the folder name; we read any folder name (Python uses the file's stem).
 *
 * Values (see pickle-writer.ts for the full table): tensors are TensorRecords viewing
 * StorageRecords (records.ts). The tensor layer converts its tensors to and from these. A storage
 * shared by several tensors (views, tied weights) is written once, and reading gives one shared
 * StorageRecord back, as Python does. Reading never needs CUDA: a storage saved on "cuda:0" comes
 * back as host bytes with `device: "cuda:0"`; moving it is the caller's choice.
 *
 * Files are written atomically (temp file in the same folder, fsync, rename), so a crash during a
 * save leaves the previous file intact. Files are read with one read per entry, straight into the
 * buffer the storage keeps.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { unpickle, storageDtypeOf } from "./pickle-reader.js";
import { pickle } from "./pickle-writer.js";
import { StorageRecord, dtypeItemSize, type Dtype } from "./records.js";
import { BufferSource, FileSource, ZipReader, type ByteSource } from "./zip-reader.js";
import { ZipWriter, type ByteSinkFn, type ZipWriterOptions } from "./zip-writer.js";

/** The file format version torch 1.13 writes (caffe2 kProducedFileFormatVersion). */
const FORMAT_VERSION = "3\n";
const ARCHIVE = "archive";

export interface SaveOptions extends ZipWriterOptions {
  /**
   * Flush the file to disk before renaming it into place (default true), so a power loss cannot
   * leave a renamed but empty checkpoint. Costs about 0.2 s per 400 MB here; Python's torch.save
   * never syncs.
   */
  fsync?: boolean;
}

export interface LoadOptions {
  /**
   * Also check the storages' CRC-32s (default false: as Python's reader, which skips them all; about
   * 0.3 s per 400 MB here). The pickle's CRC is always checked.
   */
  verifyCrc?: boolean;
  /**
   * Where storages are read to: a buffer of `bytes` bytes for a storage of `numel` elements of
   * `dtype` (torch.load passes libtorch's own memory, so the file is read once, straight there).
   * Default: a fresh buffer per storage.
   */
  allocateStorage?: (dtype: Dtype, numel: number, bytes: number) => Uint8Array;
}

/** Writes `obj` as a checkpoint to `sink`, storages streamed after the pickle. */
function writeCheckpoint(obj: unknown, sink: ByteSinkFn, options: SaveOptions): void {
  const storages = new Map<StorageRecord, string>();
  const data = pickle(obj, (storage) => {
    let key = storages.get(storage);
    if (key === undefined) {
      key = String(storages.size);
      storages.set(storage, key);
    }
    return key;
  });
  const zip = new ZipWriter(sink, options);
  zip.add(`${ARCHIVE}/data.pkl`, data);
  for (const [storage, key] of storages) zip.add(`${ARCHIVE}/data/${key}`, storage.bytes);
  zip.add(`${ARCHIVE}/version`, Buffer.from(FORMAT_VERSION, "latin1"));
  zip.add(`${ARCHIVE}/byteorder`, Buffer.from("little", "latin1"));
  zip.finish();
}

/** The checkpoint bytes of `obj` (what `saveObject` writes to a file). */
export function encodeCheckpoint(obj: unknown, options: SaveOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  writeCheckpoint(obj, (chunk) => chunks.push(chunk), options);
  return Buffer.concat(chunks);
}

/** Reads a checkpoint from its bytes (see `loadObject`). */
export function decodeCheckpoint(bytes: Uint8Array, options: LoadOptions = {}): unknown {
  return readCheckpoint(new BufferSource(bytes), options);
}

function writeAll(fd: number, chunk: Uint8Array): void {
  let done = 0;
  while (done < chunk.length) {
    done += fs.writeSync(fd, chunk, done, Math.min(chunk.length - done, 1 << 30));
  }
}

let tempCounter = 0;

/**
 * Saves `obj` to `file` as Python's torch.save would. Atomic: the data go to a temp file in the
 * same folder, are flushed to disk, and the temp file is renamed over `file`.
 */
export function saveObject(obj: unknown, file: string, options: SaveOptions = {}): void {
  const dir = path.dirname(path.resolve(file));
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${tempCounter++}.tmp`);
  const fd = fs.openSync(temp, "wx", 0o644);
  try {
    try {
      writeCheckpoint(obj, (chunk) => writeAll(fd, chunk), options);
      if (options.fsync ?? true) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  if (options.fsync ?? true) syncDirectory(dir);
}

/** Makes the rename durable; some filesystems refuse to fsync a directory, which is harmless. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Loads a file written by `saveObject` or by Python's `torch.save`. Tensors come back as
 * TensorRecords (host bytes whatever device they were saved from).
 */
export function loadObject(file: string, options: LoadOptions = {}): unknown {
  const fd = fs.openSync(file, "r");
  try {
    return readCheckpoint(new FileSource(fd), options, file);
  } finally {
    fs.closeSync(fd);
  }
}

function readCheckpoint(source: ByteSource, options: LoadOptions, file?: string): unknown {
  const what = file === undefined ? "checkpoint" : `checkpoint ${file}`;
  try {
    return readArchive(source, options.verifyCrc ?? false, options.allocateStorage);
  } catch (e) {
    throw new Error(`cannot load ${what}: ${(e as Error).message}`, { cause: e });
  }
}

function readArchive(
  source: ByteSource,
  verifyStorages: boolean,
  allocate: LoadOptions["allocateStorage"],
): unknown {
  if (source.size >= 2) {
    const head = source.read(0, Math.min(4, source.size));
    if (head[0] === 0x80 && head[1] !== undefined && head[1] <= 5) {
      throw new Error(
        "this is PyTorch's legacy format (torch.save before 1.6, or _use_new_zipfile_serialization=False); " +
          "re-save it with a current torch.save",
      );
    }
    if (!(head[0] === 0x50 && head[1] === 0x4b)) throw new Error("not a torch.save file (no zip signature)");
  }
  const zip = new ZipReader(source);
  // The archive folder is the one holding data.pkl (Python names it after the file).
  let prefix: string | undefined;
  for (const name of zip.entries.keys()) {
    const m = /^([^/]+\/)?data\.pkl$/.exec(name);
    if (m) {
      prefix = m[1] ?? "";
      break;
    }
  }
  if (prefix === undefined) {
    for (const name of zip.entries.keys()) {
      if (/(^|\/)constants\.pkl$/.test(name)) {
        throw new Error("this is a TorchScript archive (torch.jit.save or C++ torch::save), not a torch.save file");
      }
    }
    throw new Error("no data.pkl in the archive: not a torch.save file");
  }
  const byteorder = zip.entries.get(`${prefix}byteorder`);
  if (byteorder !== undefined) {
    const order = Buffer.from(zip.read(byteorder)).toString("latin1");
    if (order !== "little") throw new Error(`storages are stored ${order}-endian; only little-endian is supported`);
  }
  const pkl = zip.read(zip.entries.get(`${prefix}data.pkl`)!);
  const loaded = new Map<string, StorageRecord>();
  return unpickle(pkl, (pid) => {
    if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== "storage") {
      throw new Error(`unsupported persistent id in data.pkl (expected a storage reference)`);
    }
    const [, storageType, key, location, numel] = pid as unknown[];
    const dtype = storageDtypeOf(storageType);
    if (dtype === undefined) throw new Error(`unsupported storage type in data.pkl`);
    if (typeof key !== "string" || typeof location !== "string" || typeof numel !== "number") {
      throw new Error(`malformed storage reference in data.pkl`);
    }
    const cached = loaded.get(key);
    if (cached !== undefined) {
      if (cached.dtype !== dtype) throw new Error(`storage ${key} is referenced with two dtypes (${cached.dtype}, ${dtype})`);
      return cached;
    }
    const entry = zip.entries.get(`${prefix}data/${key}`);
    if (entry === undefined) throw new Error(`missing storage entry ${prefix}data/${key}`);
    const expected = numel * dtypeItemSize(dtype);
    if (entry.size < expected) {
      throw new Error(`storage ${key} holds ${entry.size} bytes, expected ${expected} (${numel} ${dtype})`);
    }
    let bytes = allocate ? zip.read(entry, verifyStorages, allocate(dtype, numel, expected)) : zip.read(entry, verifyStorages);
    if (bytes.length > expected) bytes = bytes.subarray(0, expected);
    const storage = new StorageRecord({ dtype, device: location, bytes });
    loaded.set(key, storage);
    return storage;
  });
}
