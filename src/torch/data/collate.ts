// Collation (torch.utils.data.default_collate): a list of samples becomes one batch, position by
// position. Leaves: Tensors are stacked; numbers become an int64 tensor (all integers) or a
// float64 one; booleans a bool tensor; TypedArrays and ArrayTensors are stacked along a new first
// dimension; strings stay a string array. Arrays (tuples) and plain objects are collated per
// position / key.
//
// The same rules also run without libtorch (`plainCollate`, used in worker threads): leaves
// become ArrayTensors, which `materialize` turns into Tensors on the main thread.
import { Tensor, describe } from "../tensor/tensor.js";
import { fromTypedArray } from "../tensor/creation.js";
import type { AnyTypedArray, DType } from "../tensor/dtype.js";
import { stack } from "../generated/torch.js";
import { isPlainObject } from "../binding/type-checks.js";

/** A tensor's worth of plain data: what worker threads hand over (transferred, not copied). */
export interface ArrayTensor {
  data: AnyTypedArray;
  shape: number[];
  /** The dtype to make (default: the TypedArray's own). */
  dtype?: DType;
}

export type CollateFn<T = unknown, B = unknown> = (samples: T[]) => B;

/**
 * The type `defaultCollate` makes of a list of samples of type `T`: tensors, numbers, booleans,
 * TypedArrays and ArrayTensors become a Tensor; strings a string array; tuples and objects are
 * collated per position / key (`[Tensor, number]` -> `[Tensor, Tensor]`).
 */
export type Collated<T> = unknown extends T
  ? unknown
  : T extends Tensor | number | bigint | boolean | AnyTypedArray | ArrayTensor
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : unknown;

export function isArrayTensor(v: unknown): v is ArrayTensor {
  return (
    typeof v === "object" && v !== null && ArrayBuffer.isView((v as ArrayTensor).data) && Array.isArray((v as ArrayTensor).shape)
  );
}

function concat(parts: AnyTypedArray[], what: string): AnyTypedArray {
  const first = parts[0]!;
  const Ctor = first.constructor as new (n: number) => AnyTypedArray;
  const len = first.length;
  const out = new Ctor(len * parts.length);
  parts.forEach((p, i) => {
    if (p.constructor !== Ctor || p.length !== len) {
      throw new TypeError(`collate: ${what} in a batch must have the same type and length (got ${p.constructor.name}[${p.length}] and ${Ctor.name}[${len}])`);
    }
    (out as Float32Array).set(p as Float32Array, i * len);
  });
  return out;
}

function collateWith(samples: unknown[], leafTensor: ((batch: Tensor[]) => unknown) | null): unknown {
  const first = samples[0];
  if (first instanceof Tensor) {
    if (!leafTensor) throw new TypeError("collate: Tensors cannot be made in a worker thread; return TypedArrays or ArrayTensors");
    for (const s of samples) if (!(s instanceof Tensor)) throw new TypeError(`collate: expected a Tensor in every sample, got ${describe(s)}`);
    return leafTensor(samples as Tensor[]);
  }
  if (typeof first === "number") {
    const data = new Float64Array(samples.length);
    let integral = true;
    samples.forEach((s, i) => {
      if (typeof s !== "number") throw new TypeError(`collate: expected a number in every sample, got ${describe(s)}`);
      data[i] = s;
      if (integral && !Number.isInteger(s)) integral = false;
    });
    return { data, shape: [samples.length], dtype: integral ? "int64" : "float64" } satisfies ArrayTensor;
  }
  if (typeof first === "boolean") {
    return { data: Uint8Array.from(samples as boolean[], (b) => (b ? 1 : 0)), shape: [samples.length], dtype: "bool" } satisfies ArrayTensor;
  }
  if (typeof first === "bigint") {
    return { data: BigInt64Array.from(samples as bigint[]), shape: [samples.length] } satisfies ArrayTensor;
  }
  if (typeof first === "string") return samples;
  if (ArrayBuffer.isView(first)) {
    return { data: concat(samples as AnyTypedArray[], "TypedArrays"), shape: [samples.length, (first as AnyTypedArray).length] };
  }
  if (isArrayTensor(first)) {
    const shape = first.shape;
    for (const s of samples) {
      if (!isArrayTensor(s) || s.shape.length !== shape.length || s.shape.some((d, i) => d !== shape[i])) {
        throw new TypeError("collate: ArrayTensors in a batch must have the same shape");
      }
    }
    const data = concat((samples as ArrayTensor[]).map((s) => s.data), "ArrayTensors");
    return { data, shape: [samples.length, ...shape], dtype: first.dtype } satisfies ArrayTensor;
  }
  if (Array.isArray(first)) {
    const n = first.length;
    for (const s of samples) {
      if (!Array.isArray(s) || s.length !== n) throw new TypeError("collate: each element in list of batch should be of equal size");
    }
    return first.map((_, j) => collateWith(samples.map((s) => (s as unknown[])[j]), leafTensor));
  }
  if (isPlainObject(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = collateWith(
        samples.map((s) => {
          if (!isPlainObject(s) || !(key in s)) throw new TypeError(`collate: a sample lacks the key "${key}"`);
          return s[key];
        }),
        leafTensor,
      );
    }
    return out;
  }
  throw new TypeError(
    `default_collate: batch must contain Tensors, numbers, booleans, strings, TypedArrays, ArrayTensors, arrays or plain objects; found ${describe(first)}`,
  );
}

/** ArrayTensors (anywhere in arrays / plain objects) become Tensors. */
export function materialize(value: unknown): unknown {
  if (isArrayTensor(value)) return fromTypedArray(value.data, value.shape, value.dtype ? { dtype: value.dtype } : {});
  if (Array.isArray(value)) return value.map(materialize);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = materialize(v);
    return out;
  }
  return value;
}

/**
 * PyTorch's default_collate: `[[img0, 3], [img1, 5]]` -> `[stack([img0, img1]), tensor([3, 5])]`.
 * Without a batch size (`batchSize: null`), DataLoader converts single samples with
 * `defaultConvert` instead.
 */
export function defaultCollate<B = unknown>(samples: unknown[]): B {
  if (samples.length === 0) throw new RangeError("collate: an empty batch");
  return materialize(collateWith(samples, (batch) => stack(batch, 0))) as B;
}

/** The collation of a worker thread: no Tensors, leaves become ArrayTensors. */
export function plainCollate(samples: unknown[]): unknown {
  if (samples.length === 0) throw new RangeError("collate: an empty batch");
  return collateWith(samples, null);
}

/** Without batching: TypedArrays and ArrayTensors in one sample become Tensors; the rest stays. */
export function defaultConvert<T = unknown>(sample: unknown): T {
  if (ArrayBuffer.isView(sample)) return fromTypedArray(sample) as T;
  if (isArrayTensor(sample)) return materialize(sample) as T;
  if (Array.isArray(sample)) return sample.map((v) => defaultConvert(v)) as T;
  if (isPlainObject(sample)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sample)) out[k] = defaultConvert(v);
    return out as T;
  }
  return sample as T;
}

/** The TypedArray buffers in a plain batch (to transfer them from a worker without copying). */
export function transferList(value: unknown, out: ArrayBuffer[] = []): ArrayBuffer[] {
  if (isArrayTensor(value)) {
    const buf = value.data.buffer;
    if (buf instanceof ArrayBuffer && !out.includes(buf)) out.push(buf);
  } else if (Array.isArray(value)) for (const v of value) transferList(v, out);
  else if (isPlainObject(value)) for (const v of Object.values(value)) transferList(v, out);
  return out;
}
