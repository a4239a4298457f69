// What recording methods accept as numbers: plain numbers and bigints, TensorLike (pystematic/torch
// tensors, on any device: toTypedArray() copies to the CPU), TypedArrays and nested arrays.
import { isTensorLike, type TensorLike } from "../core/providers.js";

/** A number, or arrays of them nested to any depth. */
export type NestedNumbers = number | readonly NestedNumbers[];

/** Flat data with its shape, for TypedArrays that carry no shape of their own. */
export interface ShapedArray {
  readonly data: ArrayLike<number | bigint>;
  readonly shape: readonly number[];
}

export type ScalarInput = number | bigint | boolean | TensorLike;
export type ArrayInput = TensorLike | ShapedArray | ArrayLike<number | bigint> | NestedNumbers;

/** Dense numeric data in row-major order. `integral8` marks uint8 data (pixels as 0..255). */
export interface Dense {
  values: ArrayLike<number>;
  shape: number[];
  integral8: boolean;
}

export function toScalar(value: unknown, what: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (isTensorLike(value)) {
    const data = value.toTypedArray();
    if (data.length !== 1) {
      throw new Error(`${what} must hold exactly one element, got a tensor of shape [${value.shape.join(", ")}]`);
    }
    return Number(data[0]);
  }
  if (Array.isArray(value) && value.length === 1) return toScalar(value[0], what);
  throw new Error(`${what} must be a number, a bigint or a one-element tensor, got '${describe(value)}'`);
}

export function toDense(value: unknown, what: string): Dense {
  if (isTensorLike(value)) {
    return { values: numbers(value.toTypedArray()), shape: [...value.shape], integral8: value.dtype === "uint8" };
  }
  if (isShaped(value)) {
    const size = value.shape.reduce((a, b) => a * b, 1);
    if (size !== value.data.length) {
      throw new Error(`${what}: shape [${value.shape.join(", ")}] does not match ${value.data.length} elements`);
    }
    return { values: numbers(value.data), shape: [...value.shape], integral8: isUint8(value.data) };
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const data = value as unknown as ArrayLike<number | bigint>;
    return { values: numbers(data), shape: [data.length], integral8: isUint8(data) };
  }
  if (typeof value === "number" || typeof value === "bigint") {
    return { values: [Number(value)], shape: [], integral8: false };
  }
  if (Array.isArray(value)) {
    const shape: number[] = [];
    for (let level: unknown = value; Array.isArray(level); level = level[0]) shape.push(level.length);
    const flat: number[] = [];
    flatten(value, shape, 0, flat, what);
    return { values: flat, shape, integral8: false };
  }
  throw new Error(`${what} must be a tensor, a TypedArray, {data, shape} or nested arrays of numbers, got '${describe(value)}'`);
}

function flatten(value: unknown, shape: number[], depth: number, out: number[], what: string): void {
  if (depth === shape.length) {
    if (typeof value !== "number" && typeof value !== "bigint") {
      throw new Error(`${what}: nested arrays must be rectangular and hold numbers`);
    }
    out.push(Number(value));
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    throw new Error(`${what}: nested arrays must be rectangular and hold numbers`);
  }
  for (const item of value) flatten(item, shape, depth + 1, out, what);
}

function numbers(data: ArrayLike<number | bigint>): ArrayLike<number> {
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, Number);
  return data as ArrayLike<number>;
}

function isUint8(data: ArrayLike<number | bigint>): boolean {
  return data instanceof Uint8Array || data instanceof Uint8ClampedArray;
}

function isShaped(value: unknown): value is ShapedArray {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) &&
    Array.isArray((value as ShapedArray).shape) && typeof (value as ShapedArray).data === "object"
  );
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
