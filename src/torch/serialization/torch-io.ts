// torch.save / torch.load: PyTorch's checkpoint format over real tensors. The format itself is
// in checkpoint.ts (pure TS); here tensors become TensorRecords and back.
//
// Saving views each storage's bytes without copying (CPU) and writes a storage shared by several
// tensors once; loading makes one libtorch storage per file storage and views into it, so tied
// weights and views stay shared, as in Python.
import { loadObject, saveObject, type LoadOptions, type SaveOptions } from "./checkpoint.js";
import { OrderedDict, PyTuple, StorageRecord, TensorRecord, pyAttributesOf, setPyAttribute } from "./records.js";
import { Tensor, native, isDeviceString, type Device } from "../tensor/tensor.js";
import { dtypeCode, type DType } from "../tensor/dtype.js";
import { hasPositionalIO, nativeFileIO } from "./native-io.js";

/** Where loaded tensors go: a device for all, or a function of the saved device. */
export type MapLocation = Device | ((savedDevice: string) => Device);

export interface TorchLoadOptions extends LoadOptions {
  /** As Python's `map_location`; default: the device each tensor was saved from. */
  mapLocation?: MapLocation;
}

/** Marks tensors that are `nn.Parameter`s (saved as torch.nn.Parameter, as Python does). */
export const parameterMarker: unique symbol = Symbol.for("pystematic.nn.Parameter");

const NOT_A_LEAF = Symbol("not a leaf");

/**
 * `value` with its leaves replaced: arrays, tuples, Maps, OrderedDicts (attributes included) and
 * plain objects are rebuilt around `leaf(v)` for every other object (`NOT_A_LEAF` keeps it).
 * Shared and cyclic structure stays shared, as pickle keeps it.
 */
function mapStructure(value: unknown, leaf: (v: object) => unknown): unknown {
  const seen = new Map<object, unknown>();
  const convert = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null) return v;
    const done = seen.get(v);
    if (done !== undefined) return done;
    if (v instanceof PyTuple) {
      const out = PyTuple.fromItems(v.map(convert));
      seen.set(v, out);
      return out;
    }
    if (Array.isArray(v)) {
      const arr: unknown[] = [];
      seen.set(v, arr);
      for (const item of v) arr.push(convert(item));
      return arr;
    }
    if (v instanceof Map) {
      const map = new Map<unknown, unknown>();
      seen.set(v, map);
      for (const [k, item] of v) map.set(k, convert(item));
      return map;
    }
    if (v instanceof Set) {
      // A Python set of tensors: members converted too (loaded storages' views are detached).
      const set = new Set<unknown>();
      seen.set(v, set);
      for (const item of v) set.add(convert(item));
      return set;
    }
    if (v instanceof OrderedDict) {
      const dict = new OrderedDict();
      seen.set(v, dict);
      for (const [k, item] of Object.entries(v)) dict[k] = convert(item);
      for (const [k, item] of pyAttributesOf(v)) setPyAttribute(dict, k, convert(item));
      return dict;
    }
    if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
      const obj: Record<string, unknown> = {};
      seen.set(v, obj);
      for (const [k, item] of Object.entries(v)) obj[k] = convert(item);
      return obj;
    }
    // Records, bytes, sets, PyFloat: the format layer knows them (or names the path).
    const replaced = leaf(v);
    const out = replaced === NOT_A_LEAF ? v : replaced;
    seen.set(v, out);
    return out;
  };
  return convert(value);
}

/** A value with tensors replaced by TensorRecords (what the format layer writes). */
export function toRecords(value: unknown): unknown {
  const storages = new Map<number, StorageRecord>();
  return mapStructure(value, (v) => (v instanceof Tensor ? tensorToRecord(v, storages) : NOT_A_LEAF));
}

function tensorToRecord(t: Tensor, storages: Map<number, StorageRecord>): TensorRecord {
  const N = native();
  const id = N.storageId(t._h);
  if (id === null) throw new Error("torch.save: a tensor without storage (sparse layout) cannot be saved yet");
  let storage = storages.get(id);
  if (storage === undefined) {
    const dtype = t.dtype;
    storage = new StorageRecord({
      dtype: dtype as ConstructorParameters<typeof StorageRecord>[0]["dtype"],
      device: t.device,
      bytes: new Uint8Array(N.storageBytes(t._h)),
    });
    storages.set(id, storage);
  }
  return new TensorRecord({
    storage,
    shape: t.shape,
    stride: t.stride(),
    storageOffset: t.storageOffset(),
    requiresGrad: t.requiresGrad,
    isParameter: (t as unknown as Record<symbol, unknown>)[parameterMarker] === true,
  });
}

function resolveDevice(saved: string, mapLocation: MapLocation | undefined): Device {
  const target = typeof mapLocation === "function" ? mapLocation(saved) : (mapLocation ?? saved);
  if (!isDeviceString(target)) throw new TypeError(`torch.load: mapLocation gave '${String(target)}', not a device`);
  return target;
}

/**
 * Storage memory for torch.load: a CPU tensor per storage whose bytes the file is read into
 * directly (one copy from disk, none afterwards). `fromRecords` finds the tensor by its buffer.
 * The buffers are views that do not own the tensors' memory (an owning view frees it only when the
 * event loop next turns): `release()` detaches them once the tensors are built.
 */
class StorageAllocator {
  readonly tensors = new Map<ArrayBufferLike, Tensor>();
  allocate = (dtype: string, numel: number, bytes: number): Uint8Array => {
    const code = dtypeCode(dtype as DType);
    // Freed storages of the same size come back warm from the block cache (native/memory/block-cache.cpp).
    const t = new Tensor(native().empty([numel], code, undefined));
    const view = new Uint8Array(nativeFileIO().storageView(t._h), 0, bytes);
    this.tensors.set(view.buffer, t);
    return view;
  };
  release(): void {
    if (this.tensors.size === 0) return;
    nativeFileIO().detachBuffers([...this.tensors.keys()] as ArrayBuffer[]);
    this.tensors.clear();
  }
}

/** A value with TensorRecords replaced by tensors on the mapped devices. */
export function fromRecords(value: unknown, mapLocation?: MapLocation, preloaded?: Map<ArrayBufferLike, Tensor>): unknown {
  const N = native();
  const bases = new Map<StorageRecord, Tensor>();
  return mapStructure(value, (v) => {
    if (v instanceof StorageRecord) {
      // A storage on its own (torch.save of a storage): bytes that own their memory.
      const read = v.bytes.length > 0 ? preloaded?.get(v.bytes.buffer) : undefined;
      if (read === undefined) return NOT_A_LEAF;
      const bytes = new Uint8Array(N.storageBytes(read._h), v.bytes.byteOffset, v.bytes.length);
      return new StorageRecord({ dtype: v.dtype, device: v.device, bytes });
    }
    if (!(v instanceof TensorRecord)) return NOT_A_LEAF;
    let base = bases.get(v.storage);
    if (base === undefined) {
      const device = resolveDevice(v.storage.device, mapLocation);
      if (device.startsWith("cuda") && !N.cudaIsAvailable()) {
        throw new Error(
          `torch.load: the file holds tensors saved on ${v.storage.device}, and CUDA is not available here; ` +
            `pass { mapLocation: "cpu" }`,
        );
      }
      const bytes = v.storage.bytes;
      const read = bytes.length > 0 ? preloaded?.get(bytes.buffer) : undefined;
      base = read
        ? read.to({ device })
        : new Tensor(
            N.fromBuffer(bytes, dtypeCode(v.storage.dtype as DType), [v.storage.numel], undefined, device === "cpu" ? undefined : device, false),
          );
      bases.set(v.storage, base);
    }
    const t = new Tensor(N.asStrided(base._h, v.shape, v.stride, v.storageOffset));
    if (v.requiresGrad) t.requiresGrad = true;
    if (v.isParameter) (t as unknown as Record<symbol, unknown>)[parameterMarker] = true;
    return t;
  });
}

/**
 * Saves `obj` (tensors, nested arrays/objects/Maps, numbers, strings, ...) in PyTorch's format:
 * Python's `torch.load` reads it. Atomic: a crash leaves any previous file intact.
 */
export function save(obj: unknown, path: string, options: SaveOptions = {}): void {
  // Called only when there are storages: saving plain data does not load libtorch.
  const writeAt: SaveOptions["writeAt"] = hasPositionalIO()
    ? (fd, offsets, buffers, writeback) => nativeFileIO().writeAt(fd, offsets, buffers, writeback)
    : undefined;
  saveObject(toRecords(obj), path, { writeAt, ...options });
}

/**
 * Loads a file written by `torch.save` (ours or Python's): state dicts come back as
 * OrderedDicts, optimizer states with Maps for int keys, tuples as PyTuple arrays.
 */
export function load(path: string, options: TorchLoadOptions = {}): unknown {
  const storages = new StorageAllocator();
  try {
    const loaded = loadObject(path, {
      readAt: hasPositionalIO() ? (fd, offsets, buffers, withCrc) => nativeFileIO().readAt(fd, offsets, buffers, withCrc) : undefined,
      ...options,
      allocateStorage: storages.allocate,
    });
    return fromRecords(loaded, options.mapLocation, storages.tensors);
  } finally {
    storages.release();
  }
}
