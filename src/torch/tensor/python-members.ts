// Tensor's Python-level members (torch/_tensor.py and the attributes of torch._C._TensorBase):
// `data`, `T`, `mT`, `H`, `mH`, `ndim`, `real`/`imag`, `tolist()`, `type()`, the dtype casts,
// iteration over dim 0, and the torch/functional.py wrappers as methods. Installed on
// Tensor.prototype by tensor.ts (hand-written members win over generated ones; the hot ops stay
// where they are).
import type { DType } from "./dtype.js";
import type { Device, NestedArray, Scalar, Tensor } from "./tensor.js";
import { fromTypedArray, tensor } from "./creation.js";
import { bindArgs } from "../binding/index.js";
import { aten } from "../ops/aten.js";
import { norm, type NormOrder } from "../functional/norm.js";
import { stft, istft } from "../functional/stft.js";
import { unique, uniqueConsecutive, type UniqueOptions, type UniqueConsecutiveOptions } from "../functional/unique.js";
import { lu } from "../functional/lu.js";
import { installStorageMembers } from "./storage-members.js";
import { native } from "./tensor.js";

declare module "./tensor.js" {
  interface Tensor {
    /**
     * The same data cut from the autograd graph (`t.data` in PyTorch): a tensor sharing storage,
     * `requiresGrad` false. Setting it replaces this tensor's data, keeping its identity.
     */
    data: Tensor;
    /** The dimensions reversed (the transpose of a matrix). */
    readonly T: Tensor;
    /** The last two dimensions transposed (batches of matrices). */
    readonly mT: Tensor;
    /** The conjugate transpose of a matrix (2-d). */
    readonly H: Tensor;
    /** The conjugate transpose of the last two dimensions. */
    readonly mH: Tensor;
    /** The number of dimensions (`t.dim()`). */
    readonly ndim: number;
    /** The real part (a view for complex tensors; this tensor for real ones). Settable. */
    real: Tensor;
    /** The imaginary part of a complex tensor (a view). Settable. */
    imag: Tensor;
    /** The dimension names: `null` for each (named tensors are not supported). */
    readonly names: (string | null)[];
    /** The elements as nested arrays (Python's name of `toArray()`). */
    tolist(): NestedArray<number | boolean>;
    /** With no argument, the legacy type name (`"torch.FloatTensor"`); with a dtype or a type name, a converted tensor. */
    type(): string;
    type(dtype: DType | string, options?: { nonBlocking?: boolean }): Tensor;
    half(): Tensor;
    bfloat16(): Tensor;
    byte(): Tensor;
    char(): Tensor;
    short(): Tensor;
    cfloat(): Tensor;
    cdouble(): Tensor;
    /** The number of elements (`numel()`). */
    nelement(): number;
    /** The number of dimensions (`dim()`). */
    ndimension(): number;
    /** The CUDA device index, or -1 for a CPU tensor. */
    getDevice(): number;
    /** Whether the storage is in shared memory: never, here (tensors are not shared between processes). */
    isShared(): boolean;
    /** A new tensor from `data`, with this tensor's dtype and device unless given. */
    newTensor(data: NestedArray<number> | NestedArray<boolean> | NestedArray<bigint>, options?: { dtype?: DType | null; device?: string | null; requiresGrad?: boolean }): Tensor;
    /** Replaces each element by `fn(element)` in place (CPU tensors, as in PyTorch). */
    apply_(fn: (value: number) => number): Tensor;
    /** Replaces each element by `fn(element, other's element)` in place (`other` broadcast). */
    map_(other: Tensor, fn: (value: number, otherValue: number) => number): Tensor;
    /** Python's Tensor.split: chunks of `splitSize` or of the listed sizes along `dim`. */
    split(splitSize: number | readonly number[], dim?: number): Tensor[];
    split(splitSize: number | readonly number[], options: { dim?: number }): Tensor[];
    /** `torch.norm(this, ...)`. */
    norm(p?: NormOrder | null, dim?: number | readonly number[] | null, keepdim?: boolean, dtype?: DType | null): Tensor;
    norm(options: { p?: NormOrder | null; dim?: number | readonly number[] | null; keepdim?: boolean; dtype?: DType | null }): Tensor;
    norm(p: NormOrder | null, options: { dim?: number | readonly number[] | null; keepdim?: boolean; dtype?: DType | null }): Tensor;
    norm(p: NormOrder | null, dim: number | readonly number[] | null, options: { keepdim?: boolean; dtype?: DType | null }): Tensor;
    /** `torch.stft(this, ...)` (frames centred by default). */
    stft(nFft: number, ...rest: unknown[]): Tensor;
    /** `torch.istft(this, ...)`. */
    istft(nFft: number, ...rest: unknown[]): Tensor;
    /** `torch.unique(this, ...)`. */
    unique(options?: UniqueOptions): Tensor | Tensor[];
    unique(sorted?: boolean, returnInverse?: boolean, returnCounts?: boolean, dim?: number | null): Tensor | Tensor[];
    /** `torch.uniqueConsecutive(this, ...)`. */
    uniqueConsecutive(options?: UniqueConsecutiveOptions): Tensor | Tensor[];
    uniqueConsecutive(returnInverse?: boolean, returnCounts?: boolean, dim?: number | null): Tensor | Tensor[];
    /** `torch.lu(this, ...)`: `[LU, pivots]` or `[LU, pivots, infos]`. */
    lu(options?: { pivot?: boolean; getInfos?: boolean }): Tensor[];
    lu(pivot?: boolean, getInfos?: boolean): Tensor[];
    /** Iterates over dimension 0 (`for (const row of t)`), as Python's `iter(t)`. */
    [Symbol.iterator](): Iterator<Tensor>;
  }
}

/** Legacy type names (`t.type()`), as torch 1.13 prints them for CPU tensors. */
const LEGACY_NAMES: Partial<Record<DType, string>> = {
  float32: "FloatTensor",
  float64: "DoubleTensor",
  float16: "HalfTensor",
  bfloat16: "BFloat16Tensor",
  uint8: "ByteTensor",
  int8: "CharTensor",
  int16: "ShortTensor",
  int32: "IntTensor",
  int64: "LongTensor",
  bool: "BoolTensor",
  complex64: "ComplexFloatTensor",
  complex128: "ComplexDoubleTensor",
};

function legacyName(t: Tensor): string {
  const name = LEGACY_NAMES[t.dtype];
  if (name === undefined) throw new TypeError(`type(): no legacy type name for dtype ${t.dtype}`);
  return t.device.startsWith("cuda") ? `torch.cuda.${name}` : `torch.${name}`;
}

function fromLegacyName(name: string): { dtype: DType; cuda: boolean } | undefined {
  const m = /^torch\.(cuda\.)?(\w+)$/.exec(name);
  if (!m) return undefined;
  const entry = Object.entries(LEGACY_NAMES).find(([, n]) => n === m[2]);
  return entry ? { dtype: entry[0] as DType, cuda: m[1] !== undefined } : undefined;
}

function isComplex(t: Tensor): boolean {
  return t.dtype === "complex64" || t.dtype === "complex128" || t.dtype === "complex32";
}

/** Python's apply_/map_: CPU only; the new values are written back into this tensor. */
function mapInPlace(t: Tensor, map: (values: number[]) => number[], fn: string): Tensor {
  if (t.device !== "cpu") throw new TypeError(`Tensor.${fn}(): only implemented on CPU tensors`);
  const values = map(Array.from(t.toTypedArray() as ArrayLike<number | bigint>, Number));
  t.copy_(fromTypedArray(Float64Array.from(values), t.shape));
  return t;
}

type TensorCtor = { prototype: Tensor };

/** Installs the members on `Tensor.prototype` (called once by tensor.ts). */
export function installPythonMembers(TensorClass: TensorCtor): void {
  const proto = TensorClass.prototype as unknown as Record<string, unknown>;
  const run = (name: string, ...args: unknown[]): Tensor => aten[name]!(...args) as Tensor;
  Object.defineProperties(proto, {
    data: {
      get(this: Tensor) {
        return this.detach();
      },
      set(this: Tensor, value: Tensor) {
        run("set_data", this, value);
      },
      configurable: true,
    },
    T: {
      get(this: Tensor) {
        const n = this.dim();
        return run("permute", this, Array.from({ length: n }, (_, i) => n - 1 - i));
      },
      configurable: true,
    },
    mT: {
      get(this: Tensor) {
        return run("mT", this);
      },
      configurable: true,
    },
    H: {
      get(this: Tensor) {
        if (this.dim() !== 2) throw new RangeError(`tensor.H is only supported on matrices (2-D tensors). Got ${this.dim()}-D tensor.`);
        return run("adjoint", this);
      },
      configurable: true,
    },
    mH: {
      get(this: Tensor) {
        return run("mH", this);
      },
      configurable: true,
    },
    ndim: {
      get(this: Tensor) {
        return this.dim();
      },
      configurable: true,
    },
    real: {
      get(this: Tensor) {
        return run("real", this);
      },
      set(this: Tensor, value: Tensor | Scalar) {
        const target = run("real", this);
        if (typeof value === "object") target.copy_(value);
        else run("fill_", target, value);
      },
      configurable: true,
    },
    imag: {
      get(this: Tensor) {
        return run("imag", this);
      },
      set(this: Tensor, value: Tensor | Scalar) {
        const target = run("imag", this);
        if (typeof value === "object") target.copy_(value);
        else run("fill_", target, value);
      },
      configurable: true,
    },
    names: {
      get(this: Tensor) {
        return new Array<string | null>(this.dim()).fill(null);
      },
      configurable: true,
    },
  });
  const methods: Record<string, (this: Tensor, ...args: never[]) => unknown> = {
    tolist(this: Tensor) {
      return this.toArray();
    },
    type(this: Tensor, dtype?: DType | string, options?: { nonBlocking?: boolean }) {
      if (dtype === undefined) return legacyName(this);
      if (options !== undefined && (typeof options !== "object" || Object.keys(options).some((k) => k !== "nonBlocking"))) {
        throw new TypeError("Tensor.type(): its options are nonBlocking");
      }
      const legacy = dtype.startsWith("torch.") ? fromLegacyName(dtype) : undefined;
      if (dtype.startsWith("torch.") && legacy === undefined) throw new TypeError(`Tensor.type(): invalid type: '${dtype}'`);
      if (legacy) return this.to({ dtype: legacy.dtype, device: legacy.cuda ? (this.isCuda ? this.device : "cuda") : "cpu" });
      return this.to(dtype as DType);
    },
    half(this: Tensor) {
      return this.to("float16");
    },
    bfloat16(this: Tensor) {
      return this.to("bfloat16");
    },
    byte(this: Tensor) {
      return this.to("uint8");
    },
    char(this: Tensor) {
      return this.to("int8");
    },
    short(this: Tensor) {
      return this.to("int16");
    },
    cfloat(this: Tensor) {
      return this.to("complex64");
    },
    cdouble(this: Tensor) {
      return this.to("complex128");
    },
    nelement(this: Tensor) {
      return this.numel();
    },
    ndimension(this: Tensor) {
      return this.dim();
    },
    getDevice(this: Tensor) {
      const device = this.device;
      return device.startsWith("cuda") ? Number(device.split(":")[1] ?? 0) : -1;
    },
    isShared() {
      return false;
    },
    newTensor(this: Tensor, data: unknown, options: { dtype?: DType | null; device?: string | null; requiresGrad?: boolean } = {}) {
      const a = bindArgs<{ dtype: DType | null; device: string | null; requiresGrad: boolean }>("torch.tensor", [
        data,
        options,
      ]);
      return tensor(data as NestedArray<number>, {
        dtype: a.dtype ?? this.dtype,
        device: (a.device ?? this.device) as Device,
        requiresGrad: a.requiresGrad,
      });
    },
    apply_(this: Tensor, fn: (value: number) => number) {
      return mapInPlace(this, (values) => values.map((v) => fn(v)), "apply_");
    },
    map_(this: Tensor, other: Tensor, fn: (value: number, otherValue: number) => number) {
      const others = Array.from(run("broadcast_to", other, this.shape).toTypedArray() as ArrayLike<number>, Number);
      return mapInPlace(this, (values) => values.map((v, i) => fn(v, others[i]!)), "map_");
    },
    split(this: Tensor, ...args: unknown[]) {
      const a = bindArgs<{ splitSize: number | number[]; dim: number }>("torch.Tensor.split", args);
      return aten.split!(this, a.splitSize, a.dim);
    },
    norm(this: Tensor, ...args: unknown[]) {
      const a = bindArgs<{ p: NormOrder | null; dim: number | number[] | null; keepdim: boolean; dtype: DType | null }>(
        "torch.Tensor.norm",
        args,
      );
      return norm(this, { p: a.p, dim: a.dim, keepdim: a.keepdim, dtype: a.dtype });
    },
    stft(this: Tensor, ...args: unknown[]) {
      return (stft as (...a: unknown[]) => Tensor)(this, ...args);
    },
    istft(this: Tensor, ...args: unknown[]) {
      return (istft as (...a: unknown[]) => Tensor)(this, ...args);
    },
    unique(this: Tensor, ...args: unknown[]) {
      return (unique as (...a: unknown[]) => Tensor | Tensor[])(this, ...args);
    },
    uniqueConsecutive(this: Tensor, ...args: unknown[]) {
      return (uniqueConsecutive as (...a: unknown[]) => Tensor | Tensor[])(this, ...args);
    },
    lu(this: Tensor, ...args: unknown[]) {
      return (lu as (...a: unknown[]) => Tensor[])(this, ...args);
    },
    *[Symbol.iterator](this: Tensor): Generator<Tensor> {
      if (this.dim() === 0) throw new TypeError("iteration over a 0-d tensor");
      const n = this.shape[0]!;
      for (let i = 0; i < n; i++) yield run("select", this, 0, i);
    },
  };
  for (const key of Reflect.ownKeys(methods)) {
    Object.defineProperty(proto, key, { value: (methods as Record<PropertyKey, unknown>)[key], writable: true, configurable: true });
  }
  installStorageMembers(TensorClass, native);
}
