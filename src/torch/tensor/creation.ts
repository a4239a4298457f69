// Tensor creation: from JS data (`tensor`, `fromTypedArray`) and the factory functions.
import { dtypeCode, dtypeOfTypedArray, type DType } from "./dtype.js";
import { native, Tensor, describe, type Device, type NestedArray, type Scalar } from "./tensor.js";
import type { Generator } from "../ops/generator.js";

export interface TensorOptions {
  dtype?: DType;
  device?: Device;
  requiresGrad?: boolean;
}

/** Options of the random factories: a `torch.Generator` to draw from instead of the default. */
export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

type Shape = readonly number[];

function codeOf(dtype: DType | undefined): number | undefined {
  return dtype === undefined ? undefined : dtypeCode(dtype);
}

function finish(t: Tensor, options: TensorOptions | undefined): Tensor {
  if (options?.requiresGrad) t.requiresGrad = true;
  return t;
}

/**
 * A tensor from nested arrays of numbers/booleans/bigints, a number, or a TypedArray (1-d).
 * The dtype is inferred as PyTorch does (booleans -> bool, integers -> int64, other numbers ->
 * float32) unless given.
 */
export function tensor(
  data: NestedArray<number> | NestedArray<boolean> | NestedArray<bigint> | ArrayBufferView,
  options: TensorOptions = {},
): Tensor {
  if (ArrayBuffer.isView(data)) return fromTypedArray(data, [(data as unknown as ArrayLike<number>).length], options);
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const numel = shape.reduce((a, b) => a * b, 1);
  let kind: "number" | "boolean" | "bigint" | undefined;
  let allIntegral = true;
  const flat = new Float64Array(numel);
  let bigFlat: BigInt64Array | undefined;
  let pos = 0;
  const visit = (value: unknown, depth: number): void => {
    if (depth < shape.length) {
      if (!Array.isArray(value) || value.length !== shape[depth]) {
        throw new TypeError(
          `tensor(): ragged nested array: expected a length-${shape[depth]} array at depth ${depth}, got ${describe(value)}`,
        );
      }
      for (const v of value) visit(v, depth + 1);
      return;
    }
    const t = typeof value;
    if (t !== "number" && t !== "boolean" && t !== "bigint") {
      throw new TypeError(`tensor(): elements must be numbers, booleans or bigints, got ${describe(value)}`);
    }
    if (kind === undefined) kind = t as "number" | "boolean" | "bigint";
    else if (kind !== t) throw new TypeError(`tensor(): mixed element types (${kind} and ${t})`);
    if (t === "bigint") {
      bigFlat ??= new BigInt64Array(numel);
      bigFlat[pos++] = value as bigint;
    } else {
      const n = Number(value);
      if (allIntegral && !Number.isInteger(n)) allIntegral = false;
      flat[pos++] = n;
    }
  };
  visit(data, 0);
  const inferred: DType = kind === "boolean" ? "bool" : kind === "bigint" ? "int64" : allIntegral && kind ? "int64" : "float32";
  const dtype = options.dtype ?? inferred;
  const N = native();
  const h = bigFlat
    ? N.fromBuffer(bigFlat, dtypeCode("int64"), shape, dtypeCode(dtype), options.device, options.requiresGrad)
    : N.fromBuffer(flat, dtypeCode("float64"), shape, dtypeCode(dtype), options.device, options.requiresGrad);
  return new Tensor(h);
}

/** A tensor holding a copy of `data` with the given shape (default: 1-d). */
export function fromTypedArray(data: ArrayBufferView, shape?: Shape, options: TensorOptions = {}): Tensor {
  const source = dtypeOfTypedArray(data);
  const length = (data as unknown as ArrayLike<number>).length;
  return new Tensor(
    native().fromBuffer(data, dtypeCode(source), shape ?? [length], codeOf(options.dtype), options.device, options.requiresGrad),
  );
}

function sizeArg(size: Shape | number, fn: string): Shape {
  if (typeof size === "number") return [size];
  if (!Array.isArray(size)) throw new TypeError(`${fn}(): size must be an array of integers, got ${describe(size)}`);
  return size;
}

function factory(kind: "empty" | "zeros" | "ones") {
  return (size: Shape | number, options: TensorOptions = {}): Tensor =>
    finish(new Tensor(native()[kind](sizeArg(size, kind), codeOf(options.dtype), options.device)), options);
}

/** Uninitialised memory of the given shape. */
export const empty = factory("empty");
export const zeros = factory("zeros");
export const ones = factory("ones");

/** Uniform on [0, 1); from `options.generator` when given. */
export function rand(size: Shape | number, options: RandomOptions = {}): Tensor {
  if (options.generator) return finish(empty(size, options).uniform_({ from: 0, to: 1, generator: options.generator }), options);
  return finish(new Tensor(native().rand(sizeArg(size, "rand"), codeOf(options.dtype), options.device)), options);
}
/** Standard normal; from `options.generator` when given. */
export function randn(size: Shape | number, options: RandomOptions = {}): Tensor {
  if (options.generator) return finish(empty(size, options).normal_({ mean: 0, std: 1, generator: options.generator }), options);
  return finish(new Tensor(native().randn(sizeArg(size, "randn"), codeOf(options.dtype), options.device)), options);
}

export function full(size: Shape | number, fillValue: Scalar, options: TensorOptions = {}): Tensor {
  return finish(new Tensor(native().full(sizeArg(size, "full"), fillValue, codeOf(options.dtype), options.device)), options);
}

/** Integers uniform on [low, high): `randint(10, [3])` or `randint(2, 10, [3])`. */
export function randint(high: number, size: Shape, options?: RandomOptions): Tensor;
export function randint(low: number, high: number, size: Shape, options?: RandomOptions): Tensor;
export function randint(a: number, b: number | Shape, c?: Shape | RandomOptions, d?: RandomOptions): Tensor {
  const [low, high, size, options] =
    typeof b === "number" ? [a, b, c as Shape, d ?? {}] : [0, a, b, (c as RandomOptions | undefined) ?? {}];
  if (options.generator) {
    const t = empty(sizeArg(size, "randint"), { dtype: options.dtype ?? "int64", device: options.device });
    return finish(t.random_(low, high, { generator: options.generator }), options);
  }
  return finish(new Tensor(native().randint(low, high, sizeArg(size, "randint"), codeOf(options.dtype), options.device)), options);
}

export function eye(n: number, m?: number, options: TensorOptions = {}): Tensor {
  return finish(new Tensor(native().eye(n, m, codeOf(options.dtype), options.device)), options);
}

/** `arange(end)`, `arange(start, end, step?)`; integer arguments give int64, as PyTorch. */
export function arange(end: number, options?: TensorOptions): Tensor;
export function arange(start: number, end: number, step?: number, options?: TensorOptions): Tensor;
export function arange(a: number, b?: number | TensorOptions, c?: number | TensorOptions, d?: TensorOptions): Tensor {
  let start = 0;
  let end: number;
  let step = 1;
  let options: TensorOptions = {};
  if (typeof b === "number") {
    start = a;
    end = b;
    if (typeof c === "number") {
      step = c;
      options = d ?? {};
    } else options = c ?? {};
  } else {
    end = a;
    options = b ?? {};
  }
  return finish(new Tensor(native().arange(start, end, step, codeOf(options.dtype), options.device)), options);
}

export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  return finish(new Tensor(native().linspace(start, end, steps, codeOf(options.dtype), options.device)), options);
}

/** A 0-d tensor holding one value. */
export function scalarTensor(value: Scalar, options: TensorOptions = {}): Tensor {
  return finish(new Tensor(native().scalarTensor(value, codeOf(options.dtype), options.device)), options);
}

function likeOptions(t: Tensor, options: TensorOptions): TensorOptions {
  return { dtype: options.dtype ?? t.dtype, device: options.device ?? t.device, requiresGrad: options.requiresGrad };
}
export const zerosLike = (t: Tensor, options: TensorOptions = {}): Tensor => zeros(t.shape, likeOptions(t, options));
export const onesLike = (t: Tensor, options: TensorOptions = {}): Tensor => ones(t.shape, likeOptions(t, options));
export const emptyLike = (t: Tensor, options: TensorOptions = {}): Tensor => empty(t.shape, likeOptions(t, options));
export const randLike = (t: Tensor, options: TensorOptions = {}): Tensor => rand(t.shape, likeOptions(t, options));
export const randnLike = (t: Tensor, options: TensorOptions = {}): Tensor => randn(t.shape, likeOptions(t, options));
export const fullLike = (t: Tensor, fillValue: Scalar, options: TensorOptions = {}): Tensor =>
  full(t.shape, fillValue, likeOptions(t, options));
