// dtypes as strings (DECISIONS: `"float32"`, with exported constants), their libtorch codes
// (c10::ScalarType numbering, stable across libtorch versions) and JS array types.

export type DType =
  | "uint8"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "float16"
  | "float32"
  | "float64"
  | "complex32"
  | "complex64"
  | "complex128"
  | "bool"
  | "bfloat16";

const codes: Record<DType, number> = {
  uint8: 0,
  int8: 1,
  int16: 2,
  int32: 3,
  int64: 4,
  float16: 5,
  float32: 6,
  float64: 7,
  complex32: 8,
  complex64: 9,
  complex128: 10,
  bool: 11,
  bfloat16: 15,
};

const byCode: DType[] = [];
for (const [name, code] of Object.entries(codes) as [DType, number][]) byCode[code] = name;

export const uint8: DType = "uint8";
export const int8: DType = "int8";
export const int16: DType = "int16";
export const int32: DType = "int32";
export const int64: DType = "int64";
export const float16: DType = "float16";
export const float32: DType = "float32";
export const float64: DType = "float64";
export const bfloat16: DType = "bfloat16";
export const complex64: DType = "complex64";
export const complex128: DType = "complex128";
export const bool: DType = "bool";
// PyTorch's aliases.
export const half: DType = "float16";
export const float: DType = "float32";
export const double: DType = "float64";
export const long: DType = "int64";
export const int: DType = "int32";
export const short: DType = "int16";

export function dtypeCode(dtype: DType): number {
  const code = codes[dtype];
  if (code === undefined) {
    throw new TypeError(`unknown dtype '${String(dtype)}'; expected one of ${Object.keys(codes).join(", ")}`);
  }
  return code;
}

export function dtypeFromCode(code: number): DType {
  const name = byCode[code];
  if (name === undefined) throw new TypeError(`libtorch returned the unsupported dtype code ${code}`);
  return name;
}

/** True for the floating-point dtypes (torch.dtype.is_floating_point). */
export function isFloatingDtype(dtype: DType): boolean {
  return dtype === "float16" || dtype === "float32" || dtype === "float64" || dtype === "bfloat16";
}
/** True for the complex dtypes (torch.dtype.is_complex). */
export function isComplexDtype(dtype: DType): boolean {
  return dtype === "complex32" || dtype === "complex64" || dtype === "complex128";
}

/** The TypedArray `toTypedArray()` returns for each dtype (DECISIONS "Tensors and ops"). */
export type TypedArrayFor<D extends DType> = D extends "int64"
  ? BigInt64Array
  : D extends "float64" | "complex128"
    ? Float64Array
    : D extends "int32"
      ? Int32Array
      : D extends "int16"
        ? Int16Array
        : D extends "int8"
          ? Int8Array
          : D extends "uint8" | "bool"
            ? Uint8Array
            : Float32Array;

export type AnyTypedArray =
  | Float32Array
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

/** View an ArrayBuffer of JS-readable bytes (see native to_buffer) as the dtype's array. */
export function viewBuffer(dtype: DType, buffer: ArrayBuffer): AnyTypedArray {
  switch (dtype) {
    case "int64":
      return new BigInt64Array(buffer);
    case "float64":
    case "complex128":
      return new Float64Array(buffer);
    case "int32":
      return new Int32Array(buffer);
    case "int16":
      return new Int16Array(buffer);
    case "int8":
      return new Int8Array(buffer);
    case "uint8":
    case "bool":
      return new Uint8Array(buffer);
    default:
      return new Float32Array(buffer);
  }
}

/** The dtype a TypedArray holds natively (what `fromTypedArray` creates without a dtype). */
export function dtypeOfTypedArray(data: ArrayBufferView): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return "uint8";
  throw new TypeError(
    `unsupported TypedArray ${data.constructor.name}: use Float32Array, Float64Array, BigInt64Array, Int32Array, Int16Array, Int8Array or Uint8Array`,
  );
}
