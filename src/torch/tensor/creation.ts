// Tensor creation: from JS data (`tensor`, `asTensor`, `fromTypedArray`) and the factory functions,
// each taking Python's arguments through the shared binder (sizes as varargs or one array).
import { dtypeCode, dtypeOfTypedArray, type DType } from "./dtype.js";
import { getDefaultDtype } from "./default-dtype.js";
import { native, Tensor, describe, type Device, type NestedArray, type Scalar } from "./tensor.js";
import { bindArgs, isPlainObject, type OptionsOf, type PySignatures } from "../binding/index.js";
import type { Generator } from "../ops/generator.js";
import { aten } from "../ops/aten.js";

/** The tensor options every factory takes (PyTorch's keyword arguments). */
export interface TensorOptions {
  dtype?: DType | null;
  device?: Device | null;
  requiresGrad?: boolean;
}

/** Options of the random factories: a `torch.Generator` to draw from instead of the default. */
export interface RandomOptions extends TensorOptions {
  generator?: Generator | null;
}

type Shape = readonly number[];
type KeywordOptions<Q extends keyof PySignatures> = OptionsOf<PySignatures[Q]["k"]>;

/** A size as varargs or one array, then the options: `zeros(2, 3)`, `zeros([2, 3], { dtype })`. */
export type SizeArgs<O> = [...size: number[]] | [...size: number[], options: O] | [size: Shape, options?: O];

/** The keyword options of `zeros`/`ones`. */
export type FactoryOptions = KeywordOptions<"torch.zeros">;
export type EmptyOptions = KeywordOptions<"torch.empty">;
export type RandOptions = KeywordOptions<"torch.rand">;
export type LikeOptions = KeywordOptions<"torch.zeros_like">;

interface CreationArgs {
  out?: Tensor | null;
  dtype?: DType | null;
  layout?: string | null;
  device?: Device | null;
  requiresGrad?: boolean;
  pinMemory?: boolean;
  memoryFormat?: string | null;
  generator?: Generator | null;
}

function codeOf(dtype: DType | null | undefined): number | undefined {
  return dtype === undefined || dtype === null ? undefined : dtypeCode(dtype);
}

/** Refuses the options we cannot honour (never silently ignored). */
function checkSupported(fn: string, a: CreationArgs): void {
  if (a.layout !== undefined && a.layout !== null && a.layout !== "strided") {
    throw new TypeError(`${fn}(): layout '${a.layout}' is not supported (only "strided")`);
  }
  if (a.pinMemory === true) throw new TypeError(`${fn}(): pinMemory is not supported`);
  if (
    a.memoryFormat !== undefined &&
    a.memoryFormat !== null &&
    a.memoryFormat !== "contiguous_format" &&
    a.memoryFormat !== "preserve_format"
  ) {
    throw new TypeError(`${fn}(): memoryFormat '${a.memoryFormat}' is not supported (contiguous_format or preserve_format)`);
  }
}

/** Applies `requiresGrad` and `out` (resized and written, as Python's out=). */
function finish(t: Tensor, a: CreationArgs): Tensor {
  if (a.out !== undefined && a.out !== null) {
    const out = a.out;
    (out as unknown as { resize_(size: readonly number[]): Tensor }).resize_(t.shape);
    out.copy_(t);
    if (a.requiresGrad) out.requiresGrad = true;
    return out;
  }
  if (a.requiresGrad) t.requiresGrad = true;
  return t;
}

function floatDtype(a: CreationArgs): number {
  return dtypeCode(a.dtype ?? getDefaultDtype());
}

function deviceOf(a: CreationArgs): string | undefined {
  return a.device ?? undefined;
}

/**
 * A tensor from nested arrays of numbers/booleans/bigints, a number, a TypedArray (1-d) or a
 * Tensor (copied, cut from the graph). The dtype is inferred as PyTorch does (booleans -> bool,
 * integers -> int64, other numbers -> the default dtype) unless given.
 *
 * Args:
 *   data: the values.
 *   dtype, device, requiresGrad (options): as in PyTorch.
 *
 * @example
 * const t = torch.tensor([[1, 2], [3, 4]], { dtype: "float32", requiresGrad: true });
 */
export function tensor(
  ...args: [data: NestedArray<number> | NestedArray<boolean> | NestedArray<bigint> | ArrayBufferView | Tensor, options?: KeywordOptions<"torch.tensor">]
): Tensor {
  const a = bindArgs<{ data: unknown } & CreationArgs>("torch.tensor", args);
  checkSupported("tensor", a);
  return fromData("tensor", a.data, a);
}

function fromData(fn: string, data: unknown, a: CreationArgs): Tensor {
  const N = native();
  if (data instanceof Tensor) {
    const copy = data.detach().to({ dtype: a.dtype ?? undefined, device: a.device ?? undefined, copy: true });
    if (a.requiresGrad) copy.requiresGrad = true;
    return copy;
  }
  if (ArrayBuffer.isView(data)) {
    const length = (data as unknown as ArrayLike<number>).length;
    return new Tensor(
      N.fromBuffer(data, dtypeCode(dtypeOfTypedArray(data)), [length], codeOf(a.dtype), deviceOf(a), a.requiresGrad),
    );
  }
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const numel = shape.reduce((x, y) => x * y, 1);
  let kind: "number" | "boolean" | "bigint" | undefined;
  let allIntegral = true;
  const flat = new Float64Array(numel);
  let bigFlat: BigInt64Array | undefined;
  let pos = 0;
  const visit = (value: unknown, depth: number): void => {
    if (depth < shape.length) {
      if (!Array.isArray(value) || value.length !== shape[depth]) {
        throw new TypeError(
          `${fn}(): ragged nested array: expected a length-${shape[depth]} array at depth ${depth}, got ${describe(value)}`,
        );
      }
      for (const v of value) visit(v, depth + 1);
      return;
    }
    const t = typeof value;
    if (t !== "number" && t !== "boolean" && t !== "bigint") {
      throw new TypeError(`${fn}(): elements must be numbers, booleans or bigints, got ${describe(value)}`);
    }
    if (kind === undefined) kind = t as "number" | "boolean" | "bigint";
    else if (kind !== t) throw new TypeError(`${fn}(): mixed element types (${kind} and ${t})`);
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
  const inferred: DType =
    kind === "boolean" ? "bool" : kind === "bigint" ? "int64" : allIntegral && kind ? "int64" : getDefaultDtype();
  const dtype = a.dtype ?? inferred;
  const h = bigFlat
    ? N.fromBuffer(bigFlat, dtypeCode("int64"), shape, dtypeCode(dtype), deviceOf(a), a.requiresGrad)
    : N.fromBuffer(flat, dtypeCode("float64"), shape, dtypeCode(dtype), deviceOf(a), a.requiresGrad);
  return new Tensor(h);
}

/**
 * `torch.as_tensor`: `data` itself when it is a Tensor of the asked dtype and device (else
 * converted, sharing nothing only where a conversion copies), or a new tensor from JS data.
 *
 * @example
 * const t = torch.asTensor([1, 2, 3], "float64");
 * torch.asTensor(t) === t; // true
 */
export function asTensor(
  ...args: [data: NestedArray<number> | NestedArray<boolean> | NestedArray<bigint> | ArrayBufferView | Tensor, dtype?: DType | null, device?: Device | null]
    | [data: NestedArray<number> | NestedArray<boolean> | NestedArray<bigint> | ArrayBufferView | Tensor, options: { dtype?: DType | null; device?: Device | null }]
): Tensor {
  const a = bindArgs<{ data: unknown } & CreationArgs>("torch.as_tensor", args);
  if (a.data instanceof Tensor) return a.data.to({ dtype: a.dtype ?? undefined, device: a.device ?? undefined });
  return fromData("asTensor", a.data, a);
}

/** A tensor holding a copy of `data` with the given shape (default: 1-d). */
export function fromTypedArray(data: ArrayBufferView, shape?: Shape, options: TensorOptions = {}): Tensor {
  const source = dtypeOfTypedArray(data);
  const length = (data as unknown as ArrayLike<number>).length;
  return new Tensor(
    native().fromBuffer(data, dtypeCode(source), shape ?? [length], codeOf(options.dtype), options.device ?? undefined, options.requiresGrad),
  );
}

function sized(qualname: string, fn: string, args: ArrayLike<unknown>): { size: number[] } & CreationArgs {
  const a = bindArgs<{ size: number[] } & CreationArgs>(qualname, args);
  checkSupported(fn, a);
  return a;
}

/**
 * A tensor of zeros: `torch.zeros(2, 3)`, `torch.zeros([2, 3], { dtype: "int64" })`.
 *
 * Args:
 *   size: the shape, as varargs or one array.
 *   out, dtype (default `getDefaultDtype()`), layout ("strided"), device, requiresGrad (options).
 */
export function zeros(...args: SizeArgs<FactoryOptions>): Tensor {
  const a = sized("torch.zeros", "zeros", args);
  return finish(new Tensor(native().zeros(a.size, floatDtype(a), deviceOf(a))), a);
}

/** A tensor of ones; arguments as `zeros`. @example torch.ones(2, 3) */
export function ones(...args: SizeArgs<FactoryOptions>): Tensor {
  const a = sized("torch.ones", "ones", args);
  return finish(new Tensor(native().ones(a.size, floatDtype(a), deviceOf(a))), a);
}

/** Uninitialised memory of the given shape; arguments as `zeros`. @example torch.empty(2, 3) */
export function empty(...args: SizeArgs<EmptyOptions>): Tensor {
  const a = sized("torch.empty", "empty", args);
  return finish(new Tensor(native().empty(a.size, floatDtype(a), deviceOf(a))), a);
}

/**
 * Uniform on [0, 1): `torch.rand(2, 3)`, `torch.rand([2, 3], { generator })`.
 *
 * Args:
 *   size: varargs or one array. generator, out, dtype, layout, device, requiresGrad (options).
 */
export function rand(...args: SizeArgs<RandOptions>): Tensor {
  const a = sized("torch.rand", "rand", args);
  if (a.generator) {
    const t = new Tensor(native().empty(a.size, floatDtype(a), deviceOf(a)));
    return finish(t.uniform_({ from: 0, to: 1, generator: a.generator }), a);
  }
  return finish(new Tensor(native().rand(a.size, floatDtype(a), deviceOf(a))), a);
}

/** Standard normal; arguments as `rand`. @example torch.randn(4, 8) */
export function randn(...args: SizeArgs<RandOptions>): Tensor {
  const a = sized("torch.randn", "randn", args);
  if (a.generator) {
    const t = new Tensor(native().empty(a.size, floatDtype(a), deviceOf(a)));
    return finish(t.normal_({ mean: 0, std: 1, generator: a.generator }), a);
  }
  return finish(new Tensor(native().randn(a.size, floatDtype(a), deviceOf(a))), a);
}

/** The dtype `full` infers from its fill value when none is given, as PyTorch. */
function fillDtype(value: Scalar): DType {
  if (typeof value === "boolean") return "bool";
  if (typeof value === "bigint" || Number.isInteger(value)) return "int64";
  return getDefaultDtype();
}

/**
 * A tensor of `size` filled with `fillValue`; the dtype follows the value (bool, int64, or the
 * default float) unless given.
 *
 * @example
 * torch.full([2, 3], 7); // int64 sevens
 * torch.full([2, 3], 0.5, { dtype: "float64" });
 */
export function full(
  ...args: [size: Shape, fillValue: Scalar, options?: KeywordOptions<"torch.full">] | [options: OptionsOf<PySignatures["torch.full"]["p"]> & KeywordOptions<"torch.full">]
): Tensor {
  const a = bindArgs<{ size: number[]; fillValue: Scalar } & CreationArgs>("torch.full", args);
  checkSupported("full", a);
  const dtype = a.dtype ?? fillDtype(a.fillValue);
  return finish(new Tensor(native().full(a.size, a.fillValue, dtypeCode(dtype), deviceOf(a))), a);
}

/**
 * Integers uniform on [low, high): `randint(10, [3])`, `randint(2, 10, [3])`, options
 * `{ generator, dtype (int64), device, requiresGrad, out }`.
 */
export function randint(high: number, size: Shape, options?: KeywordOptions<"torch.randint">): Tensor;
export function randint(low: number, high: number, size: Shape, options?: KeywordOptions<"torch.randint">): Tensor;
export function randint(high: number, options: { size: Shape } & KeywordOptions<"torch.randint">): Tensor;
export function randint(options: { low?: number; high: number; size: Shape } & KeywordOptions<"torch.randint">): Tensor;
export function randint(...args: unknown[]): Tensor {
  const shifted = shiftLeadingDefault(args, ["low", "high", "size"]);
  const a = bindArgs<{ low: number; high: number | null; size: number[] | undefined } & CreationArgs>("torch.randint", shifted);
  checkSupported("randint", a);
  if (a.high === null || a.high === undefined) throw new TypeError("randint(): missing required argument 'high'");
  if (a.size === undefined || a.size === null) throw new TypeError("randint(): missing required argument 'size'");
  if (a.generator) {
    const t = new Tensor(native().empty(a.size, dtypeCode(a.dtype ?? "int64"), deviceOf(a)));
    return finish(t.random_(a.low, a.high, { generator: a.generator }), a);
  }
  return finish(new Tensor(native().randint(a.low, a.high, a.size, codeOf(a.dtype), deviceOf(a))), a);
}

/**
 * Python's overloads `f(low=0, high, ...)` / `arange(start=0, end, step=1)`: with fewer leading
 * positionals than the required ones (and the later names not given as options), the first
 * parameter takes its default and the positionals start at the second.
 */
function shiftLeadingDefault(args: ArrayLike<unknown>, names: readonly string[], required = names.length): unknown[] {
  const list = Array.from(args);
  while (list.length > 0 && list[list.length - 1] === undefined) list.pop();
  const last = list[list.length - 1];
  const options = list.length > 0 && isPlainObject(last) ? (last as Record<string, unknown>) : {};
  const positional = last === options ? list.length - 1 : list.length;
  if (positional === 0 || positional >= required) return list;
  const unfilled = names.slice(positional, required).some((n) => !Object.prototype.hasOwnProperty.call(options, n));
  return unfilled ? [undefined, ...list] : list;
}

/**
 * Values from `start` to `end` (exclusive) by `step`: `arange(5)`, `arange(1, 4, 0.5)`. Integer
 * arguments give int64, others the default dtype, as PyTorch.
 */
export function arange(end: number, options?: KeywordOptions<"torch.arange">): Tensor;
export function arange(start: number, end: number, step?: number, options?: KeywordOptions<"torch.arange">): Tensor;
export function arange(start: number, end: number, options?: { step?: number } & KeywordOptions<"torch.arange">): Tensor;
export function arange(...args: unknown[]): Tensor {
  const shifted = shiftLeadingDefault(args, ["start", "end", "step"], 2);
  const a = bindArgs<{ start: number; end: number | null; step: number } & CreationArgs>("torch.arange", shifted);
  checkSupported("arange", a);
  if (a.end === null || a.end === undefined) throw new TypeError("arange(): missing required argument 'end'");
  const integral = [a.start, a.end, a.step].every((v) => Number.isInteger(Number(v)));
  const dtype = a.dtype ?? (integral ? "int64" : getDefaultDtype());
  return finish(new Tensor(native().arange(Number(a.start), Number(a.end), Number(a.step), dtypeCode(dtype), deviceOf(a))), a);
}

/** `steps` values evenly spaced from `start` to `end` inclusive. @example torch.linspace(0, 1, 5) */
export function linspace(
  ...args: [start: number, end: number, steps: number, options?: KeywordOptions<"torch.linspace">] | [options: OptionsOf<PySignatures["torch.linspace"]["p"]> & KeywordOptions<"torch.linspace">]
): Tensor {
  const a = bindArgs<{ start: number; end: number; steps: number } & CreationArgs>("torch.linspace", args);
  checkSupported("linspace", a);
  return finish(new Tensor(native().linspace(Number(a.start), Number(a.end), a.steps, floatDtype(a), deviceOf(a))), a);
}

/** `base ** linspace(start, end, steps)`. @example torch.logspace(0, 2, 3) // [1, 10, 100] */
export function logspace(
  ...args:
    | [start: number, end: number, steps: number, base?: number, options?: KeywordOptions<"torch.logspace">]
    | [start: number, end: number, steps: number, options: KeywordOptions<"torch.logspace">]
): Tensor {
  const a = bindArgs<{ start: number; end: number; steps: number; base: number } & CreationArgs>("torch.logspace", args);
  checkSupported("logspace", a);
  const values = aten.logspace!(Number(a.start), Number(a.end), a.steps, {
    base: Number(a.base),
    dtype: a.dtype ?? getDefaultDtype(),
    device: a.device ?? undefined,
  }) as Tensor;
  return finish(values, a);
}

/** The identity matrix `n` x `m` (`m` defaults to `n`). @example torch.eye(3) */
export function eye(
  ...args: [n: number, m?: number | null, options?: KeywordOptions<"torch.eye">] | [n: number, options: KeywordOptions<"torch.eye">]
): Tensor {
  const a = bindArgs<{ n: number; m: number | null } & CreationArgs>("torch.eye", args);
  checkSupported("eye", a);
  return finish(new Tensor(native().eye(a.n, a.m ?? undefined, floatDtype(a), deviceOf(a))), a);
}

/** A 0-d tensor holding one value. */
export function scalarTensor(value: Scalar, options: TensorOptions = {}): Tensor {
  const t = new Tensor(native().scalarTensor(value, codeOf(options.dtype), options.device ?? undefined));
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

interface LikeArgs extends CreationArgs {
  input: Tensor;
}

function like(qualname: string, fn: string, args: ArrayLike<unknown>): LikeArgs & Record<string, unknown> {
  const a = bindArgs<LikeArgs & Record<string, unknown>>(qualname, args);
  checkSupported(fn, a);
  return a;
}

function likeDtype(a: LikeArgs): number {
  return dtypeCode(a.dtype ?? a.input.dtype);
}
function likeDevice(a: LikeArgs): string {
  return a.device ?? a.input.device;
}

type LikeArgList = [input: Tensor, options?: LikeOptions];

/** Zeros shaped like `input` (its dtype and device unless given). @example torch.zerosLike(x) */
export function zerosLike(...args: LikeArgList): Tensor {
  const a = like("torch.zeros_like", "zerosLike", args);
  return finish(new Tensor(native().zeros(a.input.shape, likeDtype(a), likeDevice(a))), a);
}
/** Ones shaped like `input`. @example torch.onesLike(x) */
export function onesLike(...args: LikeArgList): Tensor {
  const a = like("torch.ones_like", "onesLike", args);
  return finish(new Tensor(native().ones(a.input.shape, likeDtype(a), likeDevice(a))), a);
}
/** Uninitialised memory shaped like `input`. @example torch.emptyLike(x) */
export function emptyLike(...args: LikeArgList): Tensor {
  const a = like("torch.empty_like", "emptyLike", args);
  return finish(new Tensor(native().empty(a.input.shape, likeDtype(a), likeDevice(a))), a);
}
/** Uniform on [0, 1) shaped like `input`. @example torch.randLike(x) */
export function randLike(...args: LikeArgList): Tensor {
  const a = like("torch.rand_like", "randLike", args);
  return finish(new Tensor(native().rand(a.input.shape, likeDtype(a), likeDevice(a))), a);
}
/** Standard normal shaped like `input`. @example torch.randnLike(x) */
export function randnLike(...args: LikeArgList): Tensor {
  const a = like("torch.randn_like", "randnLike", args);
  return finish(new Tensor(native().randn(a.input.shape, likeDtype(a), likeDevice(a))), a);
}
/** `fillValue` shaped like `input`, in `input`'s dtype unless given. @example torch.fullLike(x, 7) */
export function fullLike(...args: [input: Tensor, fillValue: Scalar, options?: KeywordOptions<"torch.full_like">]): Tensor {
  const a = like("torch.full_like", "fullLike", args);
  return finish(new Tensor(native().full(a.input.shape, a.fillValue as Scalar, likeDtype(a), likeDevice(a))), a);
}
/** Integers on [low, high) shaped like `input`: `randintLike(x, 10)`, `randintLike(x, 2, 10)`. */
export function randintLike(input: Tensor, high: number, options?: KeywordOptions<"torch.randint_like">): Tensor;
export function randintLike(input: Tensor, low: number, high: number, options?: KeywordOptions<"torch.randint_like">): Tensor;
export function randintLike(...args: unknown[]): Tensor {
  const [input, ...rest] = args;
  const shifted = [input, ...shiftLeadingDefault(rest, ["low", "high"])];
  const a = like("torch.randint_like", "randintLike", shifted);
  if (a.high === null || a.high === undefined) throw new TypeError("randintLike(): missing required argument 'high'");
  return finish(
    new Tensor(native().randint(a.low as number, a.high as number, a.input.shape, likeDtype(a), likeDevice(a))),
    a,
  );
}
