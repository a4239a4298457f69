/**
 * Plain records for the values a PyTorch checkpoint holds that have no JS equivalent: tensors,
 * their storages, tuples, floats that happen to be integral, and OrderedDicts. The native tensor
 * layer converts its tensors to and from these; nothing here touches libtorch.
 */

/** Element types a checkpoint may hold, named as our tensors name them. */
export type Dtype =
  | "float32"
  | "float64"
  | "float16"
  | "bfloat16"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "bool"
  | "complex64"
  | "complex128";

interface DtypeInfo {
  readonly itemSize: number;
  /** The `torch.<Name>Storage` class PyTorch 1.x pickles for this dtype. */
  readonly storageClass: string;
}

const DTYPES: Readonly<Record<Dtype, DtypeInfo>> = {
  float32: { itemSize: 4, storageClass: "FloatStorage" },
  float64: { itemSize: 8, storageClass: "DoubleStorage" },
  float16: { itemSize: 2, storageClass: "HalfStorage" },
  bfloat16: { itemSize: 2, storageClass: "BFloat16Storage" },
  int8: { itemSize: 1, storageClass: "CharStorage" },
  int16: { itemSize: 2, storageClass: "ShortStorage" },
  int32: { itemSize: 4, storageClass: "IntStorage" },
  int64: { itemSize: 8, storageClass: "LongStorage" },
  uint8: { itemSize: 1, storageClass: "ByteStorage" },
  bool: { itemSize: 1, storageClass: "BoolStorage" },
  complex64: { itemSize: 8, storageClass: "ComplexFloatStorage" },
  complex128: { itemSize: 16, storageClass: "ComplexDoubleStorage" },
};

/** Every dtype a checkpoint may hold, in a stable order. */
export const DTYPE_NAMES: readonly Dtype[] = Object.keys(DTYPES) as Dtype[];

const STORAGE_CLASS_TO_DTYPE: ReadonlyMap<string, Dtype> = new Map(
  DTYPE_NAMES.map((d) => [DTYPES[d].storageClass, d]),
);

export function isDtype(value: unknown): value is Dtype {
  return typeof value === "string" && Object.hasOwn(DTYPES, value);
}

/** Bytes per element of `dtype`. */
export function dtypeItemSize(dtype: Dtype): number {
  return DTYPES[dtype].itemSize;
}

/** The `torch.<Name>Storage` class name PyTorch pickles for `dtype`. */
export function storageClassOf(dtype: Dtype): string {
  return DTYPES[dtype].storageClass;
}

/** The dtype of a `torch.<Name>Storage` class name, or undefined for one we do not read. */
export function dtypeOfStorageClass(name: string): Dtype | undefined {
  return STORAGE_CLASS_TO_DTYPE.get(name);
}

/**
 * The raw memory of one storage: little-endian element bytes, `bytes.length / itemSize` elements.
 * Several TensorRecords may share one StorageRecord object (views, tied weights); the writer saves
 * it once and Python's torch.load gives those tensors one shared storage again, and the reader does
 * the same the other way round. `device` is PyTorch's location string ("cpu", "cuda:0"); the bytes
 * are always in host memory. Loaded bytes start at an 8-byte aligned address, so any TypedArray
 * view of them works.
 */
export class StorageRecord {
  readonly dtype: Dtype;
  readonly device: string;
  readonly bytes: Uint8Array;

  constructor(init: { dtype: Dtype; device?: string; bytes: Uint8Array }) {
    if (!isDtype(init.dtype)) throw new Error(`StorageRecord: unknown dtype ${String(init.dtype)}`);
    if (!(init.bytes instanceof Uint8Array)) throw new Error("StorageRecord: bytes must be a Uint8Array");
    const itemSize = dtypeItemSize(init.dtype);
    if (init.bytes.length % itemSize !== 0) {
      throw new Error(
        `StorageRecord: ${init.bytes.length} bytes is not a whole number of ${init.dtype} elements (${itemSize} bytes each)`,
      );
    }
    this.dtype = init.dtype;
    this.device = init.device ?? "cpu";
    this.bytes = init.bytes;
  }

  /** Number of elements. */
  get numel(): number {
    return this.bytes.length / dtypeItemSize(this.dtype);
  }
}

export interface TensorRecordInit {
  storage: StorageRecord;
  shape: readonly number[];
  /** Element strides; defaults to the contiguous strides of `shape`. */
  stride?: readonly number[];
  /** Offset into the storage, in elements. */
  storageOffset?: number;
  requiresGrad?: boolean;
  /** Saved as `torch.nn.Parameter` (torch._utils._rebuild_parameter) when true. */
  isParameter?: boolean;
}

/** Contiguous (row-major) strides of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const stride = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    stride[i] = step;
    step *= Math.max(shape[i]!, 1);
  }
  return stride;
}

/**
 * One tensor as PyTorch pickles it: a strided view (shape, stride, offset, all in elements) of a
 * StorageRecord. Its dtype and device are its storage's.
 */
export class TensorRecord {
  readonly storage: StorageRecord;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly storageOffset: number;
  readonly requiresGrad: boolean;
  readonly isParameter: boolean;

  constructor(init: TensorRecordInit) {
    if (!(init.storage instanceof StorageRecord)) throw new Error("TensorRecord: storage must be a StorageRecord");
    const shape = [...init.shape];
    const stride = init.stride === undefined ? contiguousStrides(shape) : [...init.stride];
    const offset = init.storageOffset ?? 0;
    const where = `TensorRecord(shape [${shape.join(", ")}], stride [${stride.join(", ")}], offset ${offset})`;
    if (stride.length !== shape.length) throw new Error(`${where}: stride and shape differ in length`);
    for (const n of [...shape, ...stride, offset]) {
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${where}: sizes, strides and offset must be integers >= 0`);
    }
    // The largest element index the view touches must lie inside the storage.
    if (!shape.includes(0)) {
      let last = offset;
      for (let i = 0; i < shape.length; i++) last += (shape[i]! - 1) * stride[i]!;
      if (last >= init.storage.numel) {
        throw new Error(`${where}: reaches element ${last} of a storage of ${init.storage.numel} elements`);
      }
    }
    this.storage = init.storage;
    this.shape = Object.freeze(shape);
    this.stride = Object.freeze(stride);
    this.storageOffset = offset;
    this.requiresGrad = init.requiresGrad ?? false;
    this.isParameter = init.isParameter ?? false;
  }

  get dtype(): Dtype {
    return this.storage.dtype;
  }

  get device(): string {
    return this.storage.device;
  }

  /** Number of elements of the view. */
  numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

/**
 * A Python tuple. It is an Array (index it, spread it, `for...of` it); `map`/`filter` give plain
 * arrays. Plain arrays are Python lists.
 */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** A tuple of `items` (Array's constructor treats one number argument as a length). */
  static fromItems<T>(items: Iterable<T>): PyTuple<T> {
    const t = new PyTuple<T>();
    for (const item of items) t.push(item);
    return t;
  }
}

/** A Python tuple of the given items. */
export function tuple<T extends unknown[]>(...items: T): PyTuple<T[number]> {
  return PyTuple.fromItems<T[number]>(items);
}

/**
 * A number that Python must see as a float even when it is integral (`1.0`). Plain JS numbers are
 * written as Python ints when they are safe integers (and not -0), as floats otherwise.
 */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/**
 * A `collections.OrderedDict` with string keys (what `state_dict()` returns): its own enumerable
 * properties are its items. Python attributes set on it (state dicts carry `_metadata`, the
 * per-module versions) are kept as non-enumerable properties of the same name and written back.
 * As for any JS object, integer-like keys ("2", "10") come first, in ascending order.
 */
export class OrderedDict {
  [key: string]: unknown;
}

/** Sets a Python attribute (such as `_metadata`) on an OrderedDict, non-enumerable. */
export function setPyAttribute(dict: OrderedDict, name: string, value: unknown): void {
  Object.defineProperty(dict, name, { value, enumerable: false, writable: true, configurable: true });
}

/** The Python attributes of an OrderedDict: its own non-enumerable string properties. */
export function pyAttributesOf(dict: OrderedDict): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const name of Object.getOwnPropertyNames(dict)) {
    const desc = Object.getOwnPropertyDescriptor(dict, name)!;
    if (!desc.enumerable) out.push([name, desc.value]);
  }
  return out;
}
