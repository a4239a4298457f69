// Python-style indexing: `t.idx([0, "1:", null, "..."])` is `t[0, 1:, None, ...]`, and
// `t.idxPut_([mask], 0)` is `t[mask] = 0`. (Not `index`/`index_put_`: those names are aten ops
// with their own signatures, and DECISIONS keeps aten names for the generated surface.)
import { native, Tensor, describe, type Scalar } from "./tensor.js";
import { takeHandle } from "./scope.js";

/** A slice as an object: `{ start: 1 }` is `1:`, `{ step: -1 }` is not allowed (as PyTorch). */
export interface SliceIndex {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/**
 * One index item: an integer (selects, drops the dim), a slice (`"1:3"`, `":"`, `"::2"`, or
 * `{start, stop, step}`), `null` (a new axis), `"..."` (all remaining dims), a boolean, or a
 * Tensor (integer indices or a boolean mask).
 */
export type IndexItem = number | string | null | boolean | Tensor | SliceIndex;

declare module "./tensor.js" {
  interface Tensor {
    /** `t[items]` in Python: views for integers and slices, copies for tensor indices. */
    idx(items: IndexItem | readonly IndexItem[]): Tensor;
    /** `t[items] = value` in Python (in place; returns this tensor). */
    idxPut_(items: IndexItem | readonly IndexItem[], value: Tensor | Scalar): Tensor;
  }
}

function sliceFromString(s: string): (number | null)[] {
  const parts = s.split(":");
  if (parts.length < 2 || parts.length > 3) throw new TypeError(`idx: '${s}' is not a slice ("start:stop:step") or "..."`);
  return parts.map((p) => {
    const t = p.trim();
    if (t === "") return null;
    const n = Number(t);
    if (!Number.isInteger(n)) throw new TypeError(`idx: '${s}' is not a slice of integers`);
    return n;
  });
}

function toNative(items: IndexItem | readonly IndexItem[]): unknown[] {
  const list = Array.isArray(items) ? (items as readonly IndexItem[]) : [items as IndexItem];
  return list.map((it) => {
    if (it instanceof Tensor) return it._h;
    if (typeof it === "string") return it === "..." ? it : sliceFromString(it);
    if (it === null || typeof it === "number" || typeof it === "boolean") return it;
    if (typeof it === "object" && !Array.isArray(it)) return [it.start ?? null, it.stop ?? null, it.step ?? null];
    throw new TypeError(`idx: unsupported index item ${describe(it)}`);
  });
}

const proto = Tensor.prototype as unknown as Record<string, unknown>;
proto.idx = function idx(this: Tensor, items: IndexItem | readonly IndexItem[]): Tensor {
  // A single integer goes as it is: the addon selects without building an item list.
  return new Tensor(native().indexGet(this._h, typeof items === "number" ? items : toNative(items), takeHandle()));
};
proto.idxPut_ = function idxPut_(this: Tensor, items: IndexItem | readonly IndexItem[], value: Tensor | Scalar): Tensor {
  native().indexPut(this._h, toNative(items), value instanceof Tensor ? value._h : value);
  return this;
};
