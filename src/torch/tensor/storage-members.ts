// Tensor's Python members about memory and layout (torch._C._TensorBase's attributes and
// torch/_tensor.py): data_ptr, layout, the is_<device/layout> flags, itemsize/nbytes, storage(),
// untyped_storage(), numpy(), new(), resize/resize_as, dim_order, to_sparse_coo, map2_,
// module_load. Installed on Tensor.prototype by python-members.ts.
import type { DType } from "./dtype.js";
import type { Device, Tensor, NestedArray } from "./tensor.js";
import { bindArgs } from "../binding/index.js";
import { aten } from "../ops/aten.js";
import { empty, fromTypedArray, tensor } from "./creation.js";
import { storagesOf, legacyStorageName, type TypedStorage, type UntypedStorage } from "../storage.js";
import { requireTorch2 } from "../since-version.js";

/** A tensor's layout, as Python's `torch.strided`, `torch.sparse_coo`, ... by name. */
export type TensorLayout = "strided" | "sparse_coo" | "sparse_csr" | "sparse_csc" | "sparse_bsr" | "sparse_bsc" | "_mkldnn";

/** What `t.numpy()` returns: the typed array of the tensor's dtype. */
export type NumpyArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

declare module "./tensor.js" {
  interface Tensor {
    /** The address of the first element (`t.data_ptr()`; 0 for a tensor without data). */
    dataPtr(): number;
    /** The memory layout (`t.layout`): `"strided"` for dense tensors. */
    readonly layout: TensorLayout;
    readonly isCpu: boolean;
    readonly isMeta: boolean;
    readonly isMps: boolean;
    readonly isXpu: boolean;
    readonly isIpu: boolean;
    readonly isXla: boolean;
    readonly isVulkan: boolean;
    readonly isMaia: boolean;
    readonly isMtia: boolean;
    readonly isOrt: boolean;
    readonly isSparse: boolean;
    readonly isSparseCsr: boolean;
    readonly isQuantized: boolean;
    readonly isNested: boolean;
    readonly isMkldnn: boolean;
    /** The name of the tensor (`t.name`): null (names are for named tensors, unsupported). */
    readonly name: string | null;
    /** The bytes of one element (`t.itemsize`, PyTorch 2.x; `elementSize()`). */
    readonly itemsize: number;
    /** The bytes of the elements (`t.nbytes`, PyTorch 2.x: `numel() * itemsize`). */
    readonly nbytes: number;
    /** The storage as elements of this dtype, sharing memory (`t.storage()`). */
    storage(): TypedStorage;
    /** The storage as bytes, sharing memory (`t.untyped_storage()`, PyTorch 2.x). */
    untypedStorage(): UntypedStorage;
    /** The legacy storage type name (`"torch.FloatStorage"`; Python returns that class). */
    storageType(): string;
    /**
     * The elements as a typed array (`t.numpy()`): a view of this tensor's memory for a contiguous
     * CPU tensor (writes show in the tensor), a row-major copy otherwise (a typed array has no
     * strides). bool as Uint8Array, complex as interleaved (re, im); float16/bfloat16 have no typed
     * array. A tensor that requires grad, or not on the CPU, needs `{ force: true }` (as Python's:
     * the detached data, a host copy for another device).
     */
    numpy(options?: { force?: boolean }): NumpyArray;
    /**
     * Python's legacy constructor (`t.new(...)`): with sizes, an uninitialised tensor of them; with
     * an array, a tensor of that data; with nothing, an empty tensor; of this dtype and device.
     */
    "new"(...args: (number | NestedArray<number> | Tensor | { device?: string })[]): Tensor;
    /** This tensor's data in the shape `sizes` (same element count; the deprecated `t.resize`). */
    resize(...sizes: number[] | [readonly number[]]): Tensor;
    /** `resize` to `other`'s shape. */
    resizeAs(other: Tensor): Tensor;
    /** The dimensions from outermost to innermost in memory (`t.dim_order()`, PyTorch 2.x). */
    dimOrder(options?: { ambiguityCheck?: boolean }): number[];
    /** A sparse COO copy (`t.to_sparse_coo()`). */
    toSparseCoo(): Tensor;
    /** Replaces each element by `fn(element, x's, y's)` in place (CPU tensors, `x`, `y` broadcast). */
    map2_(x: Tensor, y: Tensor, fn: (value: number, xValue: number, yValue: number) => number): Tensor;
    /** What `loadStateDict` swaps in (`t.module_load(other, assign)`, PyTorch 2.x). */
    moduleLoad(other: Tensor, assign?: boolean): Tensor;
  }
}

interface FactsNative {
  tensorFacts(h: unknown): { layout: string; dataPtr: number; isQuantized: boolean; isNested: boolean; isMkldnn: boolean };
  storageBytes(h: unknown): ArrayBuffer;
  storageOffset(h: unknown): number;
}

const LAYOUTS: Record<string, TensorLayout> = {
  Strided: "strided",
  Sparse: "sparse_coo",
  SparseCsr: "sparse_csr",
  SparseCsc: "sparse_csc",
  SparseBsr: "sparse_bsr",
  SparseBsc: "sparse_bsc",
  Mkldnn: "_mkldnn",
};

const TYPED_ARRAYS: Partial<Record<DType, new (buffer: ArrayBuffer, byteOffset: number, length: number) => NumpyArray>> = {
  float32: Float32Array,
  float64: Float64Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  complex64: Float32Array,
  complex128: Float64Array,
};

function deviceType(t: Tensor): string {
  return t.device.split(":")[0]!;
}

/** Whether `t`'s strides are those of a dense tensor with dimensions in `order` (outermost first). */
function denseIn(t: Tensor, order: readonly number[]): boolean {
  const shape = t.shape;
  const strides = t.stride();
  if (shape.some((s) => s === 0)) return true;
  let expected = 1;
  for (let i = order.length - 1; i >= 0; i--) {
    const d = order[i]!;
    if (shape[d] === 1) continue;
    if (strides[d] !== expected) return false;
    expected *= shape[d]!;
  }
  return true;
}

/** torch._prims_common.compute_elementwise_output_logical_to_physical_perm for one tensor. */
function logicalToPhysical(t: Tensor): number[] {
  const ndim = t.dim();
  if (ndim === 0) return [];
  if (ndim === 1) return [0];
  const identity = Array.from({ length: ndim }, (_, i) => i);
  const contiguous = denseIn(t, identity);
  const channelsLast = ndim === 4 && denseIn(t, [0, 2, 3, 1]);
  if (contiguous && !channelsLast) return identity;
  if (channelsLast && !contiguous) return [0, 2, 3, 1];
  const shape = t.shape;
  const strides = t.stride();
  const shouldSwap = (a: number, b: number): number => {
    const sa = strides[a]!;
    const sb = strides[b]!;
    if (sa === 0 || sb === 0) return 0;
    if (sa < sb) return -1;
    if (sa > sb) return 1;
    return shape[a]! > shape[b]! ? 1 : 0;
  };
  const perm = [...identity].reverse();
  for (let i = 1; i < ndim; i++) {
    let dim1 = i;
    for (let dim0 = i - 1; dim0 >= 0; dim0--) {
      const comparison = shouldSwap(perm[dim0]!, perm[dim1]!);
      if (comparison > 0) {
        [perm[dim0], perm[dim1]] = [perm[dim1]!, perm[dim0]!];
        dim1 = dim0;
      } else if (comparison < 0) break;
    }
  }
  return perm.reverse();
}

type TensorCtor = { prototype: Tensor };

/** Installs the members on `Tensor.prototype` (python-members.ts calls it once). */
export function installStorageMembers(TensorClass: TensorCtor, native: () => unknown): void {
  const proto = TensorClass.prototype as unknown as Record<string, unknown>;
  const N = (): FactsNative => native() as FactsNative;
  const facts = (t: Tensor) => N().tensorFacts(t._h);
  const getter = <T>(get: (t: Tensor) => T): PropertyDescriptor => ({
    get(this: Tensor) {
      return get(this);
    },
    configurable: true,
  });
  const flag = getter<boolean>;
  Object.defineProperties(proto, {
    layout: getter((t) => LAYOUTS[facts(t).layout] ?? facts(t).layout.toLowerCase()),
    isCpu: flag((t) => deviceType(t) === "cpu"),
    isMeta: flag((t) => deviceType(t) === "meta"),
    isMps: flag((t) => deviceType(t) === "mps"),
    isXpu: flag((t) => deviceType(t) === "xpu"),
    isIpu: flag((t) => deviceType(t) === "ipu"),
    isXla: flag((t) => deviceType(t) === "xla"),
    isVulkan: flag((t) => deviceType(t) === "vulkan"),
    isMaia: flag((t) => deviceType(t) === "maia"),
    isMtia: flag((t) => deviceType(t) === "mtia"),
    isOrt: flag((t) => deviceType(t) === "ort"),
    isSparse: flag((t) => facts(t).layout === "Sparse"),
    isSparseCsr: flag((t) => facts(t).layout === "SparseCsr"),
    isQuantized: flag((t) => facts(t).isQuantized),
    isNested: flag((t) => facts(t).isNested),
    isMkldnn: flag((t) => facts(t).isMkldnn),
    name: { get: () => null, configurable: true },
    itemsize: getter((t) => t.elementSize()),
    nbytes: getter((t) => t.numel() * t.elementSize()),
  });
  const methods: Record<string, (this: Tensor, ...args: never[]) => unknown> = {
    dataPtr(this: Tensor) {
      return facts(this).dataPtr;
    },
    storage(this: Tensor) {
      bindArgs("torch.Tensor.storage", []);
      return storagesOf(this).typed();
    },
    untypedStorage(this: Tensor) {
      return storagesOf(this).untyped();
    },
    storageType(this: Tensor) {
      return legacyStorageName(this.dtype);
    },
    numpy(this: Tensor, options: { force?: boolean } = {}) {
      if (typeof options !== "object" || options === null || Object.keys(options).some((k) => k !== "force")) {
        throw new TypeError("Tensor.numpy(): its only option is force");
      }
      const force = options.force ?? false;
      const make = TYPED_ARRAYS[this.dtype];
      if (make === undefined) throw new TypeError(`Tensor.numpy(): Got unsupported ScalarType ${this.dtype} (no JS typed array holds it)`);
      if (!force && this.requiresGrad) throw new Error("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
      if (!force && !this.isCpu) {
        throw new TypeError(`can't convert ${this.device} device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.`);
      }
      const lanes = this.dtype.startsWith("complex") ? 2 : 1;
      if (this.isCpu && this.isContiguous() && this.layout === "strided") {
        const bytes = N().storageBytes(this._h);
        return new make(bytes, N().storageOffset(this._h) * this.elementSize(), this.numel() * lanes);
      }
      const copy = (aten.contiguous!(this.detach().to("cpu")) as Tensor).clone();
      return new make(N().storageBytes(copy._h), 0, copy.numel() * lanes);
    },
    new(this: Tensor, ...args: unknown[]) {
      let device = this.device as string;
      if (args.length > 0) {
        const last = args[args.length - 1];
        if (typeof last === "object" && last !== null && !Array.isArray(last) && !(last as Tensor)._h) {
          const keys = Object.keys(last);
          if (keys.some((k) => k !== "device")) throw new TypeError(`Tensor.new(): unknown option(s) ${keys.join(", ")}; its only option is device`);
          device = (last as { device?: string }).device ?? device;
          args = args.slice(0, -1);
        }
      }
      const options = { dtype: this.dtype, device: device as Device };
      if (args.length === 0) return empty([0], options);
      if (args.length === 1 && Array.isArray(args[0])) return tensor(args[0] as NestedArray<number>, options);
      if (args.length === 1 && typeof args[0] === "object" && args[0] !== null && (args[0] as Tensor)._h !== undefined) {
        const other = args[0] as Tensor;
        if (other.dtype !== this.dtype) throw new TypeError(`Tensor.new(): expected ${this.dtype} tensor but got ${other.dtype} tensor`);
        return other.detach();
      }
      if (args.every((a) => typeof a === "number" && Number.isInteger(a))) return empty(args as number[], options);
      throw new TypeError("Tensor.new(): expected sizes (integers), a data array, a Tensor, or nothing");
    },
    resize(this: Tensor, ...args: unknown[]) {
      const bound = bindArgs<{ sizes: unknown[] }>("torch.Tensor.resize", args).sizes;
      const sizes = (bound.length === 1 && Array.isArray(bound[0]) ? bound[0] : bound) as number[];
      if (sizes.some((s) => typeof s !== "number" || !Number.isInteger(s) || s < 0)) {
        throw new TypeError(`Tensor.resize(): sizes must be non-negative integers, got ${sizes.join(", ")}`);
      }
      const numel = sizes.reduce((a, b) => a * b, 1);
      if (numel !== this.numel()) {
        throw new RangeError(
          `requested resize to ${sizes.join("x")} (${numel} elements in total), but the given tensor has a size of ${this.shape.join("x")} ` +
            `(${this.numel()} elements). autograd's resize can only change the shape of a given tensor, while preserving the number of elements.`,
        );
      }
      return aten.view!(aten.contiguous!(this), sizes);
    },
    resizeAs(this: Tensor, ...args: unknown[]) {
      const { tensor } = bindArgs<{ tensor: Tensor }>("torch.Tensor.resize_as", args);
      return (this as unknown as { resize: (s: number[]) => Tensor }).resize(tensor.shape);
    },
    dimOrder(this: Tensor, ...args: unknown[]) {
      requireTorch2("Tensor.dimOrder");
      const { ambiguityCheck } = bindArgs<{ ambiguityCheck: unknown }>("torch.Tensor.dim_order", args);
      if (typeof ambiguityCheck !== "boolean") throw new TypeError("Tensor.dimOrder(): ambiguityCheck as a list of memory formats is not supported; pass a boolean");
      if (this.layout !== "strided") throw new Error("Tensor.dimOrder(): not supported for a sparse tensor");
      if (ambiguityCheck) {
        const strides = this.stride();
        const duplicate = strides.some((s, i) => i > 0 && strides[i - 1] === s);
        if (duplicate || this.shape.some((s) => s === 1)) {
          throw new Error("The tensor does not have unique dim order, or cannot map to exact one of the given memory formats.");
        }
      }
      return logicalToPhysical(this);
    },
    toSparseCoo(this: Tensor) {
      bindArgs("torch.Tensor.to_sparse_coo", []);
      return aten.to_sparse!(this);
    },
    map2_(this: Tensor, x: Tensor, y: Tensor, fn: (value: number, xValue: number, yValue: number) => number) {
      if (!this.isCpu) throw new TypeError("Tensor.map2_(): only implemented on CPU tensors");
      if (typeof fn !== "function") throw new TypeError("Tensor.map2_(): expected a function as the third argument");
      const read = (t: Tensor) => Array.from((aten.broadcast_to!(t, this.shape) as Tensor).toTypedArray() as ArrayLike<number | bigint>, Number);
      const xs = read(x);
      const ys = read(y);
      const values = read(this).map((v, i) => fn(v, xs[i]!, ys[i]!));
      this.copy_(fromTypedArray(Float64Array.from(values), this.shape));
      return this;
    },
    moduleLoad(this: Tensor, ...args: unknown[]) {
      requireTorch2("Tensor.moduleLoad");
      const { other, assign } = bindArgs<{ other: Tensor; assign: boolean }>("torch.Tensor.module_load", args);
      return assign ? other.detach() : this.copy_(other).detach();
    },
  };
  for (const key of Object.keys(methods)) {
    Object.defineProperty(proto, key, { value: methods[key], writable: true, configurable: true });
  }
}
