// The Tensor class: a JS object holding a handle to a libtorch tensor.
//
// Memory: an unreachable Tensor is freed by the GC (the handle's finalizer runs inside the GC
// and V8 is told the tensor's size); `dispose()`, `using` and `tidy()` free deterministically.
import { loadNative, onNativeLoad, type Handle, type NativeAddon } from "../native.js";
import { dtypeCode, dtypeFromCode, viewBuffer, type AnyTypedArray, type DType } from "./dtype.js";
import { takeHandle, track } from "./scope.js";
import { formatTensor } from "./print.js";
import { installPythonMembers } from "./python-members.js";

export type Device = "cpu" | "cuda" | `cuda:${number}`;

/** A number operand of an arithmetic op: integral values act as Python ints. */
export type Scalar = number | boolean | bigint;

/** Nested arrays of numbers or booleans, as `tensor()` accepts and `toArray()` returns. */
export type NestedArray<T> = T | NestedArray<T>[];

let N: NativeAddon;

/** The handle a recycled tensor keeps: a disposed one, so any use throws as after dispose(). */
let DISPOSED: Handle;
onNativeLoad((addon) => {
  N = addon;
  DISPOSED = addon.empty([0], undefined, undefined);
  addon.dispose(DISPOSED);
});

/**
 * A multi-dimensional array on a device, with autograd: libtorch's `at::Tensor`, as Python's
 * `torch.Tensor`. Made by factories (`torch.tensor`, `zeros`, `randn`, ...) and by ops; every ATen
 * method is here under its camelCase name with Python's arguments (`t.sum(1, { keepdim: true })`,
 * `t.view(2, -1)`), plus Python's members (`t.shape`, `t.T`, `t.tolist()`, `t.item()`).
 *
 * Shapes: any; `t.shape` is a `number[]`, `t.dim()` its length. Indexing is `t.idx(0, slice(1, 3))`
 * and `t.idxPut_(...)` (JavaScript has no `t[...]`).
 *
 * Memory: a tensor's storage is freed when the tensor is garbage-collected, or at once with
 * `t.dispose()`, or at the end of a `tidy(() => ...)` scope for every tensor made inside it and not
 * returned (README, "Tensors and memory").
 *
 * @example
 * const x = torch.randn(2, 3, { requiresGrad: true });
 * const y = x.mul(2).sum();
 * y.backward();
 * x.grad!.tolist();   // [[2, 2, 2], [2, 2, 2]]
 */
export class Tensor {
  /** @internal The native handle. Not part of the public API. */
  _h: Handle;

  /** @internal Tensors are made by torch functions and ops, not with `new`. */
  constructor(handle: Handle) {
    this._h = handle;
    track(this);
  }

  // ---- properties (attributes in PyTorch) ----

  /** The size of each dimension (`t.shape` in PyTorch). A fresh array each time. */
  get shape(): number[] {
    return N.shape(this._h);
  }
  get dtype(): DType {
    return dtypeFromCode(N.dtype(this._h));
  }
  /** `"cpu"` or `"cuda:N"`. */
  get device(): Device {
    return N.device(this._h) as Device;
  }
  get requiresGrad(): boolean {
    return N.requiresGrad(this._h);
  }
  set requiresGrad(value: boolean) {
    N.setRequiresGrad(this._h, value);
  }
  /** The accumulated gradient, or undefined before the first backward pass. */
  get grad(): Tensor | undefined {
    const g = N.grad(this._h);
    return g === undefined ? undefined : new Tensor(g);
  }
  set grad(value: Tensor | undefined | null) {
    N.setGrad(this._h, value ? value._h : undefined);
  }
  get isLeaf(): boolean {
    return N.isLeaf(this._h);
  }
  /** The name of the autograd node that made this tensor (`AddBackward0`), or null. */
  get gradFn(): string | null {
    return N.gradFnName(this._h);
  }
  get isCuda(): boolean {
    return this.device.startsWith("cuda");
  }
  /** True once `dispose()` ran (or the enclosing `tidy` scope ended). */
  get isDisposed(): boolean {
    return N.isDisposed(this._h);
  }

  // ---- methods (methods in PyTorch) ----

  numel(): number {
    return N.numel(this._h);
  }
  dim(): number {
    return N.dim(this._h);
  }
  /** `size()` is the shape; `size(d)` one dimension (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    const shape = N.shape(this._h);
    if (dim === undefined) return shape;
    const d = dim < 0 ? dim + shape.length : dim;
    if (d < 0 || d >= shape.length || !Number.isInteger(d)) {
      throw new RangeError(`size(): dimension ${dim} out of range for a ${shape.length}-d tensor`);
    }
    return shape[d]!;
  }
  stride(): number[] {
    return N.strides(this._h);
  }
  storageOffset(): number {
    return N.storageOffset(this._h);
  }
  isContiguous(): boolean {
    return N.isContiguous(this._h);
  }
  elementSize(): number {
    return N.elementSize(this._h);
  }

  /** The value of a one-element tensor as a number (a boolean for bool tensors). */
  item<T extends number | boolean = number>(): T {
    return N.item(this._h) as T;
  }

  /**
   * A copy of the elements in row-major order: Float32Array for float32/float16/bfloat16,
   * Float64Array, BigInt64Array for int64, Int32Array, Int16Array, Int8Array, Uint8Array for
   * uint8 and bool; complex as interleaved (re, im) floats.
   */
  toTypedArray(): AnyTypedArray {
    return viewBuffer(this.dtype, N.toBuffer(this._h));
  }

  /** The elements as nested arrays of numbers (booleans for bool tensors). */
  toArray(): NestedArray<number | boolean> {
    const dtype = this.dtype;
    const flat = this.toTypedArray();
    const shape = this.shape;
    if (dtype === "complex64" || dtype === "complex128" || dtype === "complex32") shape.push(2);
    let read: (i: number) => number | boolean;
    if (dtype === "bool") read = (i) => flat[i] !== 0;
    else if (flat instanceof BigInt64Array) {
      read = (i) => {
        const v = flat[i]!;
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new RangeError(`toArray(): the int64 value ${v} is beyond 2^53; use toTypedArray() (BigInt64Array)`);
        }
        return Number(v);
      };
    } else read = (i) => (flat as Float32Array)[i]!;
    let pos = 0;
    const build = (d: number): NestedArray<number | boolean> => {
      if (d === shape.length) return read(pos++);
      const out: NestedArray<number | boolean>[] = new Array(shape[d]);
      for (let i = 0; i < shape[d]!; i++) out[i] = build(d + 1);
      return out;
    };
    return build(0);
  }

  /** A copy with its own storage (Python's default `memory_format=torch.preserve_format`). */
  clone(options?: { memoryFormat?: "preserve_format" }): Tensor {
    if (options !== undefined) onlyDefaultMemoryFormat("clone", options, "preserve_format");
    return new Tensor(N.clone(this._h));
  }
  /** This tensor if it is contiguous, else a contiguous copy (`memory_format=torch.contiguous_format`). */
  contiguous(options?: { memoryFormat?: "contiguous_format" }): Tensor {
    if (options !== undefined) onlyDefaultMemoryFormat("contiguous", options, "contiguous_format");
    return new Tensor(N.contiguous(this._h));
  }
  /** A tensor sharing this one's data, cut from the autograd graph. */
  detach(): Tensor {
    return new Tensor(N.detach(this._h));
  }

  /**
   * Converts dtype and/or device: `t.to("float64")`, `t.to("cuda")`, `t.to({dtype, device})`.
   * Returns `this` when nothing changes, as PyTorch does (unless `copy`).
   */
  to(target: DType | Device | Tensor | { dtype?: DType; device?: Device; copy?: boolean }): Tensor {
    let dtype: DType | undefined;
    let device: string | undefined;
    let copy: boolean | undefined;
    if (target instanceof Tensor) {
      dtype = target.dtype;
      device = target.device;
    } else if (typeof target === "string") {
      if (isDeviceString(target)) device = target;
      else dtype = target as DType;
    } else {
      ({ dtype, device, copy } = target);
    }
    const h = N.to(this._h, dtype === undefined ? undefined : dtypeCode(dtype), device, copy);
    return h === null ? this : new Tensor(h);
  }
  cpu(): Tensor {
    return this.to({ device: "cpu" });
  }
  /** Moves to a CUDA device (`cuda:0` by default, or the given index). */
  cuda(device: number = 0): Tensor {
    return this.to({ device: `cuda:${device}` });
  }
  /** float32 copy (no-op when already float32), as `t.float()`. */
  float(): Tensor {
    return this.to("float32");
  }
  double(): Tensor {
    return this.to("float64");
  }
  long(): Tensor {
    return this.to("int64");
  }
  int(): Tensor {
    return this.to("int32");
  }
  bool(): Tensor {
    return this.to("bool");
  }

  // ---- autograd ----

  /** Sets `requiresGrad` in place and returns this tensor. */
  requiresGrad_(requiresGrad = true): this {
    N.setRequiresGrad(this._h, requiresGrad);
    return this;
  }
  /**
   * Computes gradients of this tensor with respect to graph leaves. A non-scalar tensor needs
   * `gradient` (the vector in the vector-Jacobian product).
   */
  backward(gradient?: Tensor, options: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
    N.backward(this._h, gradient?._h, options.retainGraph, options.createGraph);
  }

  // The hot ops (add, mul, sum, matmul, reshape, ...) are generated with their types:
  // src/torch/generated/hot-methods.ts, from scripts/codegen/hot-op-list.ts.

  // ---- memory ----

  /** Frees the tensor's memory now. Using it afterwards throws. Idempotent. */
  dispose(): void {
    N.dispose(this._h);
  }
  [Symbol.dispose](): void {
    N.dispose(this._h);
  }
  /** @internal Frees the tensor and gives its handle to the scope's pool (see scope.ts). */
  _recycle(): Handle | undefined {
    const h = this._h;
    if (h === DISPOSED) return undefined;
    N.dispose(h);
    this._h = DISPOSED;
    return h;
  }

  /** PyTorch's printing: `tensor([[1., 2.], [3., 4.]], requires_grad=True)`. */
  toString(): string {
    if (N.isDisposed(this._h)) return "tensor(<disposed>)";
    return formatTensor(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/**
 * Generated methods whose names a hand-written member took (DECISIONS: hand-written wins),
 * filled by installMethods (src/torch/ops/runtime.ts).
 */
export const shadowedMethods = new Map<string, (this: Tensor, ...args: unknown[]) => unknown>();

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an object (${(value as object).constructor?.name ?? "Object"})`;
  return `${typeof value} ${String(value)}`;
}

export function isDeviceString(value: string): value is Device {
  return value === "cpu" || value === "cuda" || /^cuda:\d+$/.test(value);
}

export function isTensor(value: unknown): value is Tensor {
  return value instanceof Tensor;
}

/** Loads libtorch (if not yet) and returns the addon; creation functions call it first. */
export function native(): NativeAddon {
  return N ?? loadNative();
}

installPythonMembers(Tensor);

/** The hand-written clone()/contiguous() take Python's default memory format only; others are refused, never ignored. */
function onlyDefaultMemoryFormat(method: string, options: object, format: string): void {
  for (const [key, value] of Object.entries(options)) {
    if (key !== "memoryFormat") throw new TypeError(`Tensor.${method}(): unknown option '${key}' (its parameters are memoryFormat)`);
    if (value !== undefined && value !== format) {
      throw new TypeError(`Tensor.${method}(): memoryFormat '${String(value)}' is not supported here; use torch.ops.aten.${method}(t, { memoryFormat })`);
    }
  }
}
