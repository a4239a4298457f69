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
 * buffer the storage keeps. Both directions take optional hooks (`writeAt`, `readAt`) that move all
 * storages in one call; torch.save/torch.load pass the native ones (several threads, CRC-32 with
 * PCLMULQDQ, disk writeback started while writing): the bytes written are the same.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unpickle, storageDtypeOf } from "./pickle-reader.js";
import { pickle } from "./pickle-writer.js";
import { StorageRecord, dtypeItemSize, type Dtype } from "./records.js";
import { BufferSource, FileSource, ZipReader, type ByteSource, type ReadManyFn, type ZipEntry } from "./zip-reader.js";
import { ZipWriter, type AddOptions, type ByteSinkFn, type ZipWriterOptions } from "./zip-writer.js";

/** The file format version torch 1.13 writes (caffe2 kProducedFileFormatVersion). */
const FORMAT_VERSION = "3\n";
const ARCHIVE = "archive";

/**
 * Writes each buffer at its file offset and returns their CRC-32s (as zlib.crc32), e.g. computing
 * them on other threads (torch.save passes the native addon's `writeAt`). `writeback`: the file
 * will be fsynced, so start writing to disk right away.
 */
export type WriteAtFn = (fd: number, offsets: number[], buffers: Uint8Array[], writeback: boolean) => number[];
/**
 * Fills each buffer from its file offset; with `withCrc`, returns their CRC-32s (torch.load passes
 * the native addon's `readAt`).
 */
export type ReadAtFn = ReadManyFn;

export interface SaveOptions extends ZipWriterOptions {
  /**
   * Flush the file to disk before renaming it into place (default true), so a power loss cannot
   * leave a renamed but empty checkpoint. Python's torch.save never syncs.
   */
  fsync?: boolean;
  /** How `saveObject` writes the storages (default: in order, on this thread). */
  writeAt?: WriteAtFn;
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
  /**
   * How `loadObject` reads the storages into the buffers `allocateStorage` gave: all at once,
   * after the pickle is read (default: one by one, on this thread, as the pickle names them).
   */
  readAt?: ReadAtFn;
}

/**
 * Writes `obj` as a checkpoint to `sink`, storages streamed after the pickle. With `writeAt` (and
 * the file's `fd`), the storages are written by `writeAt` first, at the offsets a dry run of the
 * same zip gives, and the sink then gets everything else: the same bytes, in another order.
 */
function writeCheckpoint(obj: unknown, sink: ByteSinkFn, options: SaveOptions, fd?: number): void {
  const storages = new Map<StorageRecord, string>();
  const data = pickle(obj, (storage) => {
    let key = storages.get(storage);
    if (key === undefined) {
      key = String(storages.size);
      storages.set(storage, key);
    }
    return key;
  });
  // The entries up to the last storage, in file order: the dry run and the real zip must agree.
  const addPickleAndStorages = (zip: ZipWriter, storageOptions: (i: number) => AddOptions, pickleOptions: AddOptions = {}) => {
    zip.add(`${ARCHIVE}/data.pkl`, data, pickleOptions);
    let i = 0;
    return [...storages].map(([storage, key]) => zip.add(`${ARCHIVE}/data/${key}`, storage.bytes, storageOptions(i++)));
  };
  const writeAt = fd === undefined ? undefined : options.writeAt;
  let crcs: number[] | undefined;
  if (writeAt !== undefined && storages.size > 0) {
    // CRCs are not known yet and move nothing: zeros in the dry run.
    const offsets = addPickleAndStorages(new ZipWriter(() => {}, options), () => ({ crc32: 0, dataWrittenByCaller: true }), { crc32: 0 });
    const buffers = [...storages.keys()].map((storage) => storage.bytes);
    crcs = writeAt(fd!, offsets, buffers, options.fsync ?? true);
    if (crcs.length !== buffers.length) throw new Error("writeAt returned the wrong number of CRCs");
  }
  const zip = new ZipWriter(sink, options);
  addPickleAndStorages(zip, (i) => {
    const crc32 = crcs?.[i];
    return crc32 === undefined ? {} : { crc32, dataWrittenByCaller: true };
  });
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

function writeAll(fd: number, chunk: Uint8Array, position: number): void {
  let done = 0;
  while (done < chunk.length) {
    done += fs.writeSync(fd, chunk, done, Math.min(chunk.length - done, 1 << 30), position + done);
  }
}

/** Positional writes of the zip's chunks, small neighbours joined into one write. */
class FileSink {
  private pending: Uint8Array[] = [];
  private pendingStart = 0;
  private pendingEnd = 0;
  private pendingBytes = 0;

  constructor(private readonly fd: number) {}

  write = (chunk: Uint8Array, offset: number): void => {
    if (this.pendingBytes > 0 && offset !== this.pendingEnd) this.flush();
    if (chunk.length >= 1 << 20) {
      this.flush();
      writeAll(this.fd, chunk, offset);
      return;
    }
    if (this.pendingBytes === 0) this.pendingStart = offset;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.pendingEnd = offset + chunk.length;
    if (this.pendingBytes >= 1 << 20) this.flush();
  };

  flush(): void {
    if (this.pendingBytes === 0) return;
    const joined = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    writeAll(this.fd, joined, this.pendingStart);
    this.pending = [];
    this.pendingBytes = 0;
  }
}

let tempCounter = 0;

/**
 * Saves `obj` to `file` as Python's torch.save would. Atomic: the data go to a temp file in the
 * same folder, are flushed to disk, and the temp file is renamed over `file`.
 */
export function saveObject(obj: unknown, file: string, options: SaveOptions = {}): void {
  const dir = path.dirname(path.resolve(file));
  removeStaleTemps(dir, path.basename(file));
  const temp = path.join(dir, tempName(path.basename(file), os.hostname(), process.pid, tempCounter++));
  const fd = fs.openSync(temp, "wx", 0o644);
  try {
    try {
      const sink = new FileSink(fd);
      writeCheckpoint(obj, sink.write, options, fd);
      sink.flush();
      if (options.fsync ?? true) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const replaced = openReplaced(file);
    try {
      fs.renameSync(temp, file);
    } finally {
      // Closing the last reference to the replaced file frees its blocks (~80 ms per 400 MB on
      // ext4): done on libuv's thread pool, off this thread.
      if (replaced !== undefined) fs.close(replaced, () => {});
    }
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  if (options.fsync ?? true) syncDirectory(dir);
}

/** `.<file>.<host>.<pid>.<n>.tmp`: whose save it is, so another save can tell when it died. */
function tempName(base: string, host: string, pid: number, n: number): string {
  return `.${base}.${host}.${pid}.${n}.tmp`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temp files of earlier saves of `base` on this host whose process is gone (killed
 * mid-save by SIGKILL, which no handler sees), so they do not pile up beside the checkpoint.
 */
function removeStaleTemps(dir: string, base: string): void {
  const prefix = `.${base}.${os.hostname()}.`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const match = /^(\d+)\.\d+\.tmp$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * A descriptor of the regular file `file` (about to be replaced), so that the rename does not
 * drop its last reference; undefined where there is none or it cannot be opened (no harm).
 */
function openReplaced(file: string): number | undefined {
  if (process.platform === "win32") return undefined; // an open file cannot be renamed over there
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    if (fs.fstatSync(fd).isFile()) return fd;
  } catch {
    // absent or unreadable: the rename frees it, as before
  }
  if (fd !== undefined) fs.closeSync(fd);
  return undefined;
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
    return readCheckpoint(new FileSource(fd, options.readAt), options, file);
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
  // Storages read after the pickle, all at once, when the source can (several threads).
  const deferred: { entries: ZipEntry[]; into: Uint8Array[] } = { entries: [], into: [] };
  const value = unpickle(pkl, (pid) => {
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
    let bytes: Uint8Array;
    const into = allocate?.(dtype, numel, expected);
    if (into !== undefined && source.readManyInto !== undefined && zip.readsStraightInto(entry, into)) {
      deferred.entries.push(entry);
      deferred.into.push(into);
      bytes = into;
    } else {
      bytes = zip.read(entry, verifyStorages, into);
    }
    if (bytes.length > expected) bytes = bytes.subarray(0, expected);
    const storage = new StorageRecord({ dtype, device: location, bytes });
    loaded.set(key, storage);
    return storage;
  });
  if (deferred.entries.length > 0) zip.readManyInto(deferred.entries, deferred.into, verifyStorages);
  return value;
}
