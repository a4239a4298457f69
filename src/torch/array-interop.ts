// torch.asarray, torch.frombuffer, torch.from_numpy, torch.typename, torch.is_storage,
// torch.set_default_tensor_type: tensors from JS memory (typed arrays stand where Python takes
// objects with the buffer protocol or numpy arrays) and the names of things.
import { Tensor, native, type NestedArray, type Device } from "./tensor/tensor.js";
import { dtypeCode, dtypeOfTypedArray, type DType } from "./tensor/dtype.js";
import { empty, tensor } from "./tensor/creation.js";
import { setDefaultDtype } from "./tensor/default-dtype.js";
import { bindArgs } from "./binding/index.js";
import { isStorageObject, TypedStorage, UntypedStorage } from "./storage.js";

/**
 * A tensor from `obj` (torch.asarray): a Tensor is returned as is (converted if `dtype`/`device`
 * ask, copied if `copy` is true); a typed array, nested arrays or a number become a new tensor.
 * Python shares a buffer-protocol object's memory; a JS typed array is always copied here, so
 * `copy: false` with one is an error, as Python's `copy=False` is when it must copy.
 *
 * @example
 * torch.asarray(new Float32Array([1, 2])); // tensor([1., 2.])
 */
export function asarray(...args: unknown[]): Tensor {
  const a = bindArgs<{ obj: unknown; dtype: DType | null; device: Device | null; copy: boolean | null; requiresGrad: boolean }>(
    "torch.asarray",
    args,
  );
  const { obj, dtype, device, copy, requiresGrad } = a;
  if (obj instanceof Tensor) {
    const converted = obj.to({ dtype: dtype ?? undefined, device: device ?? undefined, copy: copy === true });
    if (copy === false && converted !== obj && converted._h !== obj._h && converted.dataPtr() !== obj.dataPtr()) {
      throw new Error("asarray(): can't alias tensor with the requested dtype/device: a copy is needed (copy=False)");
    }
    if (requiresGrad) converted.requiresGrad = true;
    return converted;
  }
  if (copy === false) {
    throw new Error(`asarray(): can't alias ${ArrayBuffer.isView(obj) ? "a JS typed array" : "JS data"}: its elements are always copied (copy=False)`);
  }
  if (typeof obj === "number" || typeof obj === "boolean" || typeof obj === "bigint") {
    return tensor([obj] as NestedArray<number>, { dtype, device, requiresGrad }).reshape([]);
  }
  return tensor(obj as NestedArray<number>, { dtype, device, requiresGrad });
}

function elementSizeOf(dtype: DType): number {
  return empty(0, { dtype }).elementSize();
}

/**
 * A 1-d tensor of `dtype` read from the bytes of `buffer` (an ArrayBuffer or typed array), from
 * byte `offset`, `count` elements (-1: all that remain), as torch.frombuffer. Python's tensor
 * shares the buffer; this one holds a copy of the bytes.
 *
 * @example
 * torch.frombuffer(new Uint8Array([1, 0, 2, 0]), { dtype: "int16" }); // tensor([1, 2], dtype=torch.int16)
 */
export function frombuffer(...args: unknown[]): Tensor {
  const a = bindArgs<{ buffer: unknown; dtype: DType; count: number; offset: number; requiresGrad: boolean; device?: Device | null }>(
    "torch.frombuffer",
    args,
  );
  const source = a.buffer;
  let bytes: Uint8Array;
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && source instanceof SharedArrayBuffer)) {
    bytes = new Uint8Array(source);
  } else if (ArrayBuffer.isView(source)) {
    bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  } else {
    throw new TypeError("frombuffer(): argument 'buffer' must be an ArrayBuffer or a typed array (an object with the buffer protocol)");
  }
  const itemsize = elementSizeOf(a.dtype);
  const length = bytes.byteLength;
  if (length <= 0) throw new RangeError("frombuffer(): both buffer length (0) and count (-1) must not be 0");
  if (a.offset < 0 || a.offset >= length) {
    throw new RangeError(`frombuffer(): offset (${a.offset} bytes) must be non-negative and no greater than buffer length (${length} bytes) minus 1`);
  }
  if (a.count <= 0 && a.count !== -1) throw new RangeError(`frombuffer(): count (${a.count}) must be -1 or positive`);
  let count = a.count;
  if (count === -1) {
    if ((length - a.offset) % itemsize !== 0) {
      throw new RangeError(`frombuffer(): buffer length (${length - a.offset} bytes) after offset (${a.offset} bytes) must be a multiple of element size (${itemsize})`);
    }
    count = (length - a.offset) / itemsize;
  } else if (a.offset + count * itemsize > length) {
    throw new RangeError(`frombuffer(): requested buffer length (${count} * ${itemsize} bytes) after offset (${a.offset} bytes) must not be greater than actual buffer length (${length} bytes)`);
  }
  const slice = bytes.slice(a.offset, a.offset + count * itemsize);
  const h = native().fromBuffer(slice, dtypeCode(a.dtype), [count], undefined, a.device ?? undefined, a.requiresGrad);
  return new Tensor(h);
}

/**
 * A tensor from a typed array (what `t.numpy()` gives here; torch.from_numpy). Python's shares
 * the numpy array's memory; this one holds a copy. 1-d, of the array's dtype.
 *
 * @example
 * torch.fromNumpy(new Float64Array([1, 2])).dtype; // "float64"
 */
export function fromNumpy(...args: unknown[]): Tensor {
  const { ndarray } = bindArgs<{ ndarray: unknown }>("torch.from_numpy", args);
  if (!ArrayBuffer.isView(ndarray) || ndarray instanceof DataView) {
    throw new TypeError(`fromNumpy(): expected a typed array (np.ndarray), got ${typeof ndarray === "object" && ndarray !== null ? ndarray.constructor.name : typeof ndarray}`);
  }
  const dtype = dtypeOfTypedArray(ndarray);
  const length = (ndarray as unknown as ArrayLike<number>).length;
  return new Tensor(native().fromBuffer(ndarray, dtypeCode(dtype), [length], undefined, undefined, false));
}

/**
 * The type name of `o` (torch.typename): a tensor's legacy name (`"torch.FloatTensor"`), a
 * storage's (`"torch.storage.TypedStorage"`), Python's name of a JS primitive (`"int"`, `"float"`,
 * `"bool"`, `"str"`), else the class name (Python's adds the module path, which JS classes lack).
 */
export function typename(...args: unknown[]): string {
  // Python names the parameter `o` in 1.13 and `obj` in 2.x.
  const [o] = Object.values(bindArgs<Record<string, unknown>>("torch.typename", args));
  if (o instanceof Tensor) return o.type();
  if (o instanceof TypedStorage) return "torch.storage.TypedStorage";
  if (o instanceof UntypedStorage) return "torch.storage.UntypedStorage";
  if (typeof o === "number") return Number.isInteger(o) ? "int" : "float";
  if (typeof o === "bigint") return "int";
  if (typeof o === "boolean") return "bool";
  if (typeof o === "string") return "str";
  if (o === null || o === undefined) return "NoneType";
  if (typeof o === "function") return o.name;
  return (o as object).constructor?.name ?? "object";
}

/** Whether `obj` is a storage (torch.is_storage). */
export function isStorage(...args: unknown[]): boolean {
  const { obj } = bindArgs<{ obj: unknown }>("torch.is_storage", args);
  return isStorageObject(obj);
}

const FLOAT_TENSOR_TYPES: Record<string, DType> = {
  "torch.FloatTensor": "float32",
  "torch.DoubleTensor": "float64",
  "torch.HalfTensor": "float16",
  "torch.BFloat16Tensor": "bfloat16",
};

/**
 * Sets the default floating tensor type by its legacy name (torch.set_default_tensor_type):
 * `"torch.DoubleTensor"` makes factories give float64 (as `setDefaultDtype("float64")`).
 */
export function setDefaultTensorType(...args: unknown[]): void {
  const { t } = bindArgs<{ t: unknown }>("torch.set_default_tensor_type", args);
  if (typeof t !== "string") throw new TypeError(`setDefaultTensorType(): expected a type name such as "torch.DoubleTensor", got ${typeof t}`);
  if (t.startsWith("torch.cuda.")) {
    throw new TypeError(`setDefaultTensorType(): type ${t} not available (a CUDA default tensor type is not supported)`);
  }
  const dtype = FLOAT_TENSOR_TYPES[t];
  if (dtype === undefined) {
    if (/^torch\.\w+Tensor$/.test(t)) throw new TypeError("setDefaultTensorType(): only floating-point types are supported as the default type");
    throw new TypeError(`setDefaultTensorType(): invalid type: '${t}'`);
  }
  setDefaultDtype(dtype);
}
