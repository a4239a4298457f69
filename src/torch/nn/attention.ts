// Scaled dot-product attention (PyTorch 2.x's F.scaled_dot_product_attention): aten's fused op
// on libtorch 2.x; on libtorch 1.13, which lacks it, the math path of that op composed of ops.
import { Tensor, describe } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import * as ops from "../generated/torch.js";
import { ones, zeros, zerosLike } from "../tensor/creation.js";
import { version } from "../version.js";

const FN = "nn.functional.scaledDotProductAttention";

/** Keyword-only in Python (`scale`, `enable_gqa`), or any of the positional ones by name. */
export interface ScaledDotProductAttentionOptions {
  /** Boolean (true: take part in attention) or float (added to the scores), broadcastable to (..., L, S). Default: null. */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (applied whenever > 0, as in PyTorch). Default: 0. */
  dropoutP?: number;
  /** A causal (lower-triangular, top-left aligned) mask; then attnMask must be null. Default: false. */
  isCausal?: boolean;
  /** Factor on the scores. Default: null, 1 / sqrt(E). */
  scale?: number | null;
  /** Grouped-query attention: key and value may have fewer heads (dim -3) than query, dividing its count. Default: false. */
  enableGqa?: boolean;
}

const OPTION_KEYS: readonly (keyof ScaledDotProductAttentionOptions)[] = ["attnMask", "dropoutP", "isCausal", "scale", "enableGqa"];
const POSITIONAL: readonly (keyof ScaledDotProductAttentionOptions)[] = ["attnMask", "dropoutP", "isCausal"];

function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Python's binding of (attn_mask, dropout_p, is_causal, *, scale, enable_gqa): positional or by name, never both. */
function bindOptions(rest: readonly unknown[]): Required<ScaledDotProductAttentionOptions> {
  const given: Record<string, unknown> = {};
  let positional = rest;
  const last = rest[rest.length - 1];
  if (rest.length > 0 && isOptionsObject(last)) {
    positional = rest.slice(0, -1);
    for (const key of Object.keys(last)) {
      if (!(OPTION_KEYS as readonly string[]).includes(key)) throw new TypeError(`${FN}() got an unexpected option '${key}'`);
      given[key] = last[key];
    }
  }
  if (positional.length > POSITIONAL.length) {
    throw new TypeError(`${FN}() takes from 3 to 6 positional arguments but ${positional.length + 3} were given`);
  }
  positional.forEach((value, i) => {
    const name = POSITIONAL[i]!;
    if (name in given) throw new TypeError(`${FN}() got multiple values for argument '${name}'`);
    given[name] = value;
  });
  const attnMask = given.attnMask ?? null;
  const dropoutP = given.dropoutP ?? 0;
  const isCausal = given.isCausal ?? false;
  const scale = given.scale ?? null;
  const enableGqa = given.enableGqa ?? false;
  if (attnMask !== null && !(attnMask instanceof Tensor)) throw new TypeError(`${FN}(): argument 'attnMask' must be a Tensor or null, not ${describe(attnMask)}`);
  if (typeof dropoutP !== "number") throw new TypeError(`${FN}(): argument 'dropoutP' must be a number, not ${describe(dropoutP)}`);
  if (typeof isCausal !== "boolean") throw new TypeError(`${FN}(): argument 'isCausal' must be a boolean, not ${describe(isCausal)}`);
  if (scale !== null && typeof scale !== "number") throw new TypeError(`${FN}(): argument 'scale' must be a number or null, not ${describe(scale)}`);
  if (typeof enableGqa !== "boolean") throw new TypeError(`${FN}(): argument 'enableGqa' must be a boolean, not ${describe(enableGqa)}`);
  return { attnMask, dropoutP, isCausal, scale, enableGqa };
}

/** The checks of aten's scaled_dot_product_attention, before either path runs. */
function validate(query: Tensor, key: Tensor, value: Tensor, o: Required<ScaledDotProductAttentionOptions>): void {
  for (const [name, t] of [["query", query], ["key", key], ["value", value]] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`${FN}(): argument '${name}' must be a Tensor, not ${describe(t)}`);
  }
  if (query.dtype !== key.dtype || query.dtype !== value.dtype) {
    throw new Error(`${FN}(): query, key and value must have the same dtype, but got query ${query.dtype}, key ${key.dtype} and value ${value.dtype}`);
  }
  if (query.device !== key.device || query.device !== value.device) {
    throw new Error(`${FN}(): query, key and value must be on the same device, but got query ${query.device}, key ${key.device} and value ${value.device}`);
  }
  if (query.dim() < 2 || key.dim() < 2 || value.dim() < 2) {
    throw new Error(`${FN}(): query, key and value must be at least 2-dimensional, but got query ${query.dim()}-D, key ${key.dim()}-D and value ${value.dim()}-D`);
  }
  const mask = o.attnMask;
  if (mask !== null && mask.dtype !== "bool" && mask.dtype !== "float32" && mask.dtype !== query.dtype) {
    throw new Error(`${FN}(): argument 'attnMask' must be bool, float32 or query's dtype (${query.dtype}), not ${mask.dtype}`);
  }
  if (o.isCausal && mask !== null) throw new Error(`${FN}(): argument 'attnMask' must be null when isCausal is true`);
  if (!(o.dropoutP >= 0 && o.dropoutP <= 1)) throw new RangeError(`${FN}(): argument 'dropoutP' (a dropout probability) must be between 0 and 1, but got ${o.dropoutP}`);
  if (o.enableGqa && query.dim() >= 3 && key.dim() >= 3 && value.dim() >= 3) {
    const [qHeads, kHeads, vHeads] = [query.size(-3), key.size(-3), value.size(-3)];
    if (qHeads % kHeads !== 0 || qHeads % vHeads !== 0) {
      throw new Error(`${FN}(): with enableGqa the number of heads of key (${kHeads}) and value (${vHeads}) must divide query's (${qHeads})`);
    }
  }
}

/** A boolean mask (true: attend) as the additive one aten uses: 0 where true, -inf where false. */
function additiveMask(mask: Tensor, dtype: DType): Tensor {
  return zerosLike(mask, { dtype }).maskedFill(mask.logicalNot(), Number.NEGATIVE_INFINITY);
}

/** Softmax over `dim` where a row of only -inf gives zeros, not NaN (aten's _safe_softmax). */
function safeSoftmax(scores: Tensor, dim: number): Tensor {
  const out = ops.softmax(scores, dim);
  const masked = scores.eq(Number.NEGATIVE_INFINITY).all(dim, { keepdim: true });
  return ops.where(masked, zeros([], { dtype: out.dtype, device: out.device }), out);
}

/** Key and value with their heads (dim -3) repeated to query's count, for grouped-query attention (validate checked they divide it). */
function expandGroups(query: Tensor, key: Tensor, value: Tensor, enableGqa: boolean): [Tensor, Tensor] {
  if (!enableGqa) return [key, value];
  const qHeads = query.size(-3);
  const kHeads = key.size(-3);
  const vHeads = value.size(-3);
  if (qHeads === kHeads && kHeads === vHeads) return [key, value];
  return [key.repeatInterleave(qHeads / kHeads, { dim: -3 }), value.repeatInterleave(qHeads / vHeads, { dim: -3 })];
}

/**
 * libtorch 2.x's math path of scaled_dot_product_attention (aten's
 * _scaled_dot_product_attention_math), for libtorch 1.13: q and k each scaled by sqrt(scale)
 * before their product, half precision computed in float32, rows with every key masked give 0.
 */
function mathAttention(query: Tensor, key: Tensor, value: Tensor, o: Required<ScaledDotProductAttentionOptions>): Tensor {
  const originDtype = query.dtype;
  let mask = o.attnMask !== null && o.attnMask.dtype === "bool" ? additiveMask(o.attnMask, originDtype) : o.attnMask;
  const lowPrecision = originDtype === "float16" || originDtype === "bfloat16";
  let q = lowPrecision ? query.to("float32") : query;
  let k = lowPrecision ? key.to("float32") : key;
  let v = lowPrecision ? value.to("float32") : value;
  const negative = o.scale !== null && o.scale < 0;
  const scale = o.scale === null ? 1 / Math.sqrt(q.size(-1)) : Math.abs(o.scale);
  const factor = Math.sqrt(scale);
  q = q.mul(negative ? -factor : factor);
  if (o.isCausal) {
    const L = q.size(-2);
    const S = k.size(-2);
    mask = additiveMask(ones([L, S], { dtype: "bool", device: q.device }).tril(), q.dtype);
  }
  [k, v] = expandGroups(q, k, v, o.enableGqa);
  let attn = q.matmul(k.transpose(-2, -1).mul(factor));
  if (mask !== null) attn = attn.add(mask);
  attn = safeSoftmax(attn, -1);
  if (o.dropoutP > 0) attn = ops.dropout(attn, o.dropoutP, true);
  const out = attn.matmul(v);
  return out.dtype === originDtype ? out : out.to(originDtype);
}

/**
 * Scaled dot-product attention (torch.nn.functional.scaled_dot_product_attention):
 * softmax(Q Kᵀ · scale + mask) V, with optional dropout on the weights.
 *
 * On libtorch 2.x this is aten's op (its fused CPU/CUDA kernels where they apply); on libtorch
 * 1.13, which lacks it, the same computation as 2.x's math path, composed of ops (autograd works
 * through both).
 *
 * Args:
 *   query: (N, ..., Hq, L, E) — at least 2-D.
 *   key: (N, ..., H, S, E).
 *   value: (N, ..., H, S, Ev).
 *   attnMask: bool (true: take part in attention) or float (added), broadcastable to (N, ..., Hq, L, S). Default: null.
 *   dropoutP: dropout probability, applied whenever > 0 (pass 0 in evaluation). Default: 0.
 *   isCausal: a lower-triangular mask aligned at the top left; attnMask must then be null. Default: false.
 *   scale (option): factor on the scores. Default: 1 / sqrt(E).
 *   enableGqa (option): grouped-query attention (H divides Hq). Default: false.
 *
 * Returns: (N, ..., Hq, L, Ev). A query row whose keys are all masked gives zeros.
 *
 * @example
 * const q = torch.randn([2, 8, 16, 64]);
 * const out = F.scaledDotProductAttention(q, k, v, null, 0, true);
 * const scaled = F.scaledDotProductAttention(q, k, v, { scale: 0.125 });
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options?: ScaledDotProductAttentionOptions): Tensor;
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  attnMask?: Tensor | null,
  dropoutP?: number,
  isCausal?: boolean,
  options?: Pick<ScaledDotProductAttentionOptions, "scale" | "enableGqa">,
): Tensor;
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, ...rest: unknown[]): Tensor {
  const o = bindOptions(rest);
  validate(query, key, value, o);
  if (version.major < 2) return mathAttention(query, key, value, o);
  // Options at their defaults stay unsent: a 2.x older than 2.6 may lack them (scale: 2.1, enable_gqa: 2.5).
  const call: { attnMask?: Tensor | null; dropoutP?: number; isCausal?: boolean; scale?: number | null; enableGqa?: boolean } = {};
  if (o.attnMask !== null) call.attnMask = o.attnMask;
  if (o.dropoutP !== 0) call.dropoutP = o.dropoutP;
  if (o.isCausal) call.isCausal = true;
  if (o.scale !== null) call.scale = o.scale;
  if (o.enableGqa) call.enableGqa = true;
  return ops.scaledDotProductAttention(query, key, value, call);
}
