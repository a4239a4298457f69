// torch.UntypedStorage / torch.TypedStorage (torch/storage.py): the flat memory under tensors, as
// `t.untypedStorage()` and `t.storage()` return it. A storage here is a handle on the tensor's
// libtorch storage (not a copy): writes through it show in every tensor on that storage.
import { Tensor, native } from "./tensor/tensor.js";
import type { DType } from "./tensor/dtype.js";
import { aten } from "./ops/aten.js";

/** A 1-d tensor over the whole storage of `t`, from element 0 (the storage's own view). */
function wholeStorage(t: Tensor): Tensor {
  const elements = native().storageBytes(t._h).byteLength / t.elementSize();
  return new Tensor(native().asStrided(t._h, [elements], [1], 0));
}

/** What both storage kinds share: element access, size, data pointer, device. */
abstract class StorageBase {
  /** @internal A 1-d tensor over all of the storage's elements. */
  protected readonly flat: Tensor;

  protected constructor(flat: Tensor) {
    this.flat = flat;
  }

  /** The number of elements (bytes for an untyped storage), as Python's `len(storage)` / `size()`. */
  size(): number {
    return this.flat.numel();
  }
  get length(): number {
    return this.size();
  }
  /** The storage's size in bytes. */
  nbytes(): number {
    return this.flat.numel() * this.flat.elementSize();
  }
  /** The bytes of one element (1 for an untyped storage). */
  elementSize(): number {
    return this.flat.elementSize();
  }
  /** The address of the first byte, as Python's `data_ptr()`. */
  dataPtr(): number {
    return this.flat.dataPtr();
  }
  get device(): string {
    return this.flat.device;
  }
  get isCuda(): boolean {
    return this.flat.isCuda;
  }
  /** The element at `index` (negative counts from the end), as Python's `storage[index]`. */
  get(index: number): number | boolean {
    return this.flat.idx(this.checkIndex(index)).item();
  }
  /** Writes `value` at `index`, as Python's `storage[index] = value`. */
  set(index: number, value: number | boolean): void {
    aten.fill_!(this.flat.idx(this.checkIndex(index)), value);
  }
  /** Fills every element with `value` (Python's `fill_`). */
  fill_(value: number | boolean): this {
    aten.fill_!(this.flat, value);
    return this;
  }
  /** The elements as an array (Python's `tolist()`). */
  tolist(): (number | boolean)[] {
    return this.flat.toArray() as (number | boolean)[];
  }
  /** Whether it is in shared memory: never, here (as `Tensor.isShared()`). */
  isShared(): boolean {
    return false;
  }

  private checkIndex(index: number): number {
    const n = this.size();
    if (!Number.isInteger(index)) throw new TypeError(`storage index must be an integer, got ${String(index)}`);
    const i = index < 0 ? index + n : index;
    if (i < 0 || i >= n) throw new RangeError(`index ${index} out of range for storage of size ${n}`);
    return i;
  }
}

/**
 * The bytes under tensors (torch.UntypedStorage): `size()` and indexing count bytes.
 *
 * @example
 * const s = torch.tensor([1, 2], { dtype: "int16" }).untypedStorage();
 * s.size(); // 4
 */
export class UntypedStorage extends StorageBase {
  /** @internal Made by `Tensor.untypedStorage()`. */
  constructor(flat: Tensor) {
    super(flat.dtype === "uint8" ? flat : aten.view!(flat, "uint8") as Tensor);
  }
}

/** Legacy storage class names by dtype (`t.storageType()`, `typename(t.storage())`'s dtype). */
const LEGACY: Partial<Record<DType, string>> = {
  float32: "FloatStorage",
  float64: "DoubleStorage",
  float16: "HalfStorage",
  bfloat16: "BFloat16Storage",
  uint8: "ByteStorage",
  int8: "CharStorage",
  int16: "ShortStorage",
  int32: "IntStorage",
  int64: "LongStorage",
  bool: "BoolStorage",
  complex64: "ComplexFloatStorage",
  complex128: "ComplexDoubleStorage",
};

/** Python's legacy storage type name of a dtype (`"torch.FloatStorage"`). */
export function legacyStorageName(dtype: DType): string {
  const name = LEGACY[dtype];
  if (name === undefined) throw new TypeError(`no legacy storage type for dtype ${dtype}`);
  return `torch.${name}`;
}

/**
 * A storage seen as elements of one dtype (torch.TypedStorage, what `t.storage()` returns).
 *
 * @example
 * const t = torch.tensor([1, 2, 3]);
 * t.storage().set(0, 9); // t is now [9, 2, 3]
 */
export class TypedStorage extends StorageBase {
  /** @internal Made by `Tensor.storage()`. */
  constructor(flat: Tensor) {
    super(flat);
  }
  get dtype(): DType {
    return this.flat.dtype;
  }
  /** The same memory as bytes. */
  untyped(): UntypedStorage {
    return new UntypedStorage(this.flat);
  }
  /** The legacy type name (`"torch.FloatStorage"`), as Python's `storage.type()`. */
  type(): string {
    return legacyStorageName(this.dtype);
  }
}

/** @internal The storages of a tensor, for Tensor's members. */
export function storagesOf(t: Tensor): { typed: () => TypedStorage; untyped: () => UntypedStorage } {
  return { typed: () => new TypedStorage(wholeStorage(t)), untyped: () => new UntypedStorage(wholeStorage(t)) };
}

/** Whether `obj` is a storage (torch.is_storage). */
export function isStorageObject(obj: unknown): boolean {
  return obj instanceof StorageBase;
}
