// NumPy values in a pickle (torch.save of a dict holding np.ndarray or NumPy scalars), read
// without NumPy: `numpy.core.multiarray._reconstruct` + BUILD state for arrays, `numpy.dtype` +
// BUILD state for dtypes, `numpy.core.multiarray.scalar` for scalars.
// An array becomes a TensorRecord (torch.load returns it as a Tensor, as torch.from_numpy would
// make it); a real or bool scalar becomes a JS number/boolean (a Python float/int/bool is read
// the same way), an int64 beyond 2^53 a bigint; a complex scalar a 0-d TensorRecord.
import { PyTuple, StorageRecord, TensorRecord, type Dtype } from "./records.js";

/** The NumPy type codes torch tensors can hold, by kind and item size. */
const DTYPES: Readonly<Record<string, Dtype>> = {
  f2: "float16",
  f4: "float32",
  f8: "float64",
  i1: "int8",
  i2: "int16",
  i4: "int32",
  i8: "int64",
  u1: "uint8",
  b1: "bool",
  c8: "complex64",
  c16: "complex128",
};

/** `numpy.dtype(code, align, copy)` while unpickling; its BUILD state gives the byte order. */
export class NumpyDtype {
  byteOrder = "=";
  constructor(readonly code: string) {}

  setState(state: unknown): void {
    if (!Array.isArray(state) || typeof state[1] !== "string") throw new Error(`numpy.dtype: unexpected state ${String(state)}`);
    this.byteOrder = state[1];
  }

  /** The torch dtype, or an Error naming the NumPy type. */
  get dtype(): Dtype {
    const dtype = DTYPES[this.code];
    if (dtype === undefined) {
      throw new Error(`numpy dtype '${this.code}' has no torch equivalent (torch.load reads bool, int8-64, uint8, float16-64, complex64/128)`);
    }
    return dtype;
  }

  get itemSize(): number {
    return Number(this.code.slice(1));
  }

  /** Whether the bytes are big-endian and need swapping to this machine's little-endian order. */
  get bigEndian(): boolean {
    return this.byteOrder === ">";
  }
}

function nativeOrder(bytes: Uint8Array, dtype: NumpyDtype): Uint8Array {
  const copy = new Uint8Array(bytes); // owns its memory, aligned for the tensor
  if (!dtype.bigEndian) return copy;
  // Complex numbers swap each of their two parts.
  const width = dtype.code.startsWith("c") ? dtype.itemSize / 2 : dtype.itemSize;
  for (let i = 0; i < copy.length; i += width) copy.subarray(i, i + width).reverse();
  return copy;
}

/** `numpy.core.multiarray._reconstruct(ndarray, (0,), b"b")`: an array filled in by BUILD. */
export class NumpyArray {
  private record: TensorRecord | undefined;

  setState(state: unknown): void {
    if (!Array.isArray(state) || state.length !== 5) throw new Error("numpy array: unexpected pickle state");
    const [, shapeValue, dtype, isFortran, data] = state as [unknown, unknown, unknown, unknown, unknown];
    if (!(dtype instanceof NumpyDtype)) throw new Error("numpy array: its dtype is not a numpy.dtype");
    if (!(data instanceof Uint8Array)) {
      throw new Error(`numpy array of dtype '${dtype.code}' holds Python objects, which torch.load cannot make a tensor of`);
    }
    const shape = (Array.isArray(shapeValue) ? shapeValue : [shapeValue]).map(Number);
    const bytes = nativeOrder(data, dtype);
    const storage = new StorageRecord({ dtype: dtype.dtype, bytes });
    // A Fortran-ordered array's data is column-major: the strides run the other way.
    let stride: number[] | undefined;
    if (isFortran === true) {
      stride = [];
      let step = 1;
      for (const size of shape) {
        stride.push(step);
        step *= size;
      }
    }
    this.record = new TensorRecord({ storage, shape, stride });
  }

  /** The array as a tensor record (after BUILD). */
  get tensor(): TensorRecord {
    if (this.record === undefined) throw new Error("numpy array: the pickle never set its contents");
    return this.record;
  }
}

/** `numpy.core.multiarray.scalar(dtype, bytes)`: the scalar's JS value. */
export function numpyScalar(args: unknown[]): number | boolean | bigint | TensorRecord {
  const [dtype, data] = args;
  if (!(dtype instanceof NumpyDtype) || !(data instanceof Uint8Array)) throw new Error("numpy scalar: unexpected arguments");
  const bytes = nativeOrder(data, dtype);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype.dtype) {
    case "float64":
      return view.getFloat64(0, true);
    case "float32":
      return view.getFloat32(0, true);
    case "float16":
      return halfToNumber(view.getUint16(0, true));
    case "int8":
      return view.getInt8(0);
    case "int16":
      return view.getInt16(0, true);
    case "int32":
      return view.getInt32(0, true);
    case "uint8":
      return view.getUint8(0);
    case "bool":
      return view.getUint8(0) !== 0;
    case "int64": {
      const v = view.getBigInt64(0, true);
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    default:
      return new TensorRecord({ storage: new StorageRecord({ dtype: dtype.dtype, bytes }), shape: [] });
  }
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** The shape argument of `_reconstruct` is a tuple; nothing else of it matters. */
export function reconstructArray(args: unknown[]): NumpyArray {
  if (args.length < 2 || !(Array.isArray(args[1]) || args[1] instanceof PyTuple)) throw new Error("numpy _reconstruct: unexpected arguments");
  return new NumpyArray();
}
