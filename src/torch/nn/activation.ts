// Activation layers, and MultiheadAttention (in torch/nn/modules/activation.py as in PyTorch).
import type { Tensor } from "../tensor/tensor.js";
import { empty, zeros } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { Linear, checkPositiveInt, type FactoryOptions } from "./linear.js";
import * as F from "./functional.js";
import * as init from "./init.js";
import { version } from "../version.js";

/** ReLU(x) = max(0, x) (torch.nn.ReLU). Shape: any, output the same. */
export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(options: { inplace?: boolean } = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.relu(input, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}
/** ReLU6(x) = min(max(0, x), 6) (torch.nn.ReLU6). */
export class ReLU6 extends Module {
  override forward(input: Tensor): Tensor {
    return F.relu6(input);
  }
}
/** LeakyReLU(x) = max(0, x) + negativeSlope·min(0, x) (torch.nn.LeakyReLU). Default slope 0.01. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = negativeSlope;
  }
  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}
/** ELU with scale alpha (torch.nn.ELU). */
export class ELU extends Module {
  readonly alpha: number;
  constructor(alpha = 1) {
    super();
    this.alpha = alpha;
  }
  override forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}
/** SELU (torch.nn.SELU). */
export class SELU extends Module {
  override forward(input: Tensor): Tensor {
    return F.selu(input);
  }
}
/** GELU(x) = x·Φ(x); `approximate: "tanh"` for the tanh approximation (torch.nn.GELU). */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(options: { approximate?: "none" | "tanh" } = {}) {
    super();
    this.approximate = options.approximate ?? "none";
  }
  override forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}
/** SiLU(x) = x·σ(x), a.k.a. swish (torch.nn.SiLU). */
export class SiLU extends Module {
  override forward(input: Tensor): Tensor {
    return F.silu(input);
  }
}
/** Mish(x) = x·tanh(softplus(x)) (torch.nn.Mish). */
export class Mish extends Module {
  override forward(input: Tensor): Tensor {
    return F.mish(input);
  }
}
/** Tanh (torch.nn.Tanh). */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}
/** Sigmoid σ(x) = 1 / (1 + e^−x) (torch.nn.Sigmoid). */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}
/** Softplus(x) = 1/β·log(1 + e^(βx)) (torch.nn.Softplus). */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(beta = 1, threshold = 20) {
    super();
    this.beta = beta;
    this.threshold = threshold;
  }
  override forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}
/** Hardtanh: clamps to [minVal, maxVal] (torch.nn.Hardtanh). */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  constructor(minVal = -1, maxVal = 1) {
    super();
    this.minVal = minVal;
    this.maxVal = maxVal;
  }
  override forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `min_val=${this.minVal}, max_val=${this.maxVal}`;
  }
}
/** Hardswish (torch.nn.Hardswish). */
export class Hardswish extends Module {
  override forward(input: Tensor): Tensor {
    return F.hardswish(input);
  }
}
/** Hardsigmoid (torch.nn.Hardsigmoid). */
export class Hardsigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.hardsigmoid(input);
  }
}
/** LogSigmoid(x) = log σ(x) (torch.nn.LogSigmoid). */
export class LogSigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }
}
/** PReLU: leaky ReLU with a learned slope per channel (or one), initialised to `init` (0.25). */
export class PReLU extends Module {
  readonly numParameters: number;
  weight: Parameter;
  constructor(numParameters = 1, initValue = 0.25, options: FactoryOptions = {}) {
    super();
    this.numParameters = numParameters;
    this.weight = new Parameter(empty([numParameters], options));
    init.constant_(this.weight, initValue);
  }
  override forward(input: Tensor): Tensor {
    return F.prelu(input, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

abstract class DimActivation extends Module {
  readonly dim: number;
  constructor(dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new TypeError(`${this.constructor.name}: dim must be an integer (PyTorch's implicit dim is deprecated)`);
    this.dim = dim;
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
/** Softmax along `dim` (torch.nn.Softmax): outputs in [0, 1] summing to 1. */
export class Softmax extends DimActivation {
  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
}
/** Softmin along `dim` (torch.nn.Softmin). */
export class Softmin extends DimActivation {
  override forward(input: Tensor): Tensor {
    return F.softmin(input, this.dim);
  }
}
/** log(Softmax) along `dim`, computed stably (torch.nn.LogSoftmax). */
export class LogSoftmax extends DimActivation {
  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
}

export interface MultiheadAttentionOptions extends FactoryOptions {
  /** Dropout on the attention weights. Default: 0. */
  dropout?: number;
  /** Biases on the input/output projections. Default: true. */
  bias?: boolean;
  /** Learned biases appended to the key and value sequences. Default: false. */
  addBiasKv?: boolean;
  /** A batch of zeros appended to the key and value sequences. Default: false. */
  addZeroAttn?: boolean;
  /** Key/value feature sizes (default: embedDim). */
  kdim?: number;
  vdim?: number;
  /** Inputs and outputs as (batch, seq, feature). Default: false (seq, batch, feature). */
  batchFirst?: boolean;
}

export interface AttentionCallOptions {
  /** (N, S): true (or -inf) marks key positions to ignore. */
  keyPaddingMask?: Tensor | null;
  /** Also return the attention weights. Default: true. */
  needWeights?: boolean;
  /** (L, S) or (N·numHeads, L, S): bool (true = masked) or float (added). */
  attnMask?: Tensor | null;
  /** Average the returned weights over heads. Default: true. */
  averageAttnWeights?: boolean;
}

/**
 * Multi-head attention (torch.nn.MultiheadAttention):
 * MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W_O, head_i = Attention(Q W_Qi, K W_Ki, V W_Vi).
 *
 * Args: embedDim, numHeads (embedDim divisible by it); options dropout, bias, addBiasKv,
 * addZeroAttn, kdim, vdim, batchFirst.
 *
 * Shape: query (L, N, E), key (S, N, E_k), value (S, N, E_v) (batch first with batchFirst;
 * unbatched (L, E) too). Returns [attnOutput (L, N, E), attnWeights (N, L, S) averaged over
 * heads, (N, numHeads, L, S) otherwise, or null without needWeights].
 *
 * State dict: in_proj_weight, in_proj_bias (or q/k/v_proj_weight when kdim/vdim differ),
 * bias_k, bias_v, out_proj.weight, out_proj.bias.
 */
export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly headDim: number;
  readonly addZeroAttn: boolean;
  inProjWeight: Parameter | null;
  qProjWeight: Parameter | null;
  kProjWeight: Parameter | null;
  vProjWeight: Parameter | null;
  inProjBias: Parameter | null;
  outProj: Linear;
  biasK: Parameter | null;
  biasV: Parameter | null;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    checkPositiveInt(embedDim, "MultiheadAttention", "embedDim");
    checkPositiveInt(numHeads, "MultiheadAttention", "numHeads");
    this.embedDim = embedDim;
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    this.numHeads = numHeads;
    this.dropout = options.dropout ?? 0;
    this.batchFirst = options.batchFirst ?? false;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new Error("embed_dim must be divisible by num_heads");
    this.addZeroAttn = options.addZeroAttn ?? false;
    this.stateKeys({
      inProjWeight: "in_proj_weight",
      qProjWeight: "q_proj_weight",
      kProjWeight: "k_proj_weight",
      vProjWeight: "v_proj_weight",
      inProjBias: "in_proj_bias",
      outProj: "out_proj",
      biasK: "bias_k",
      biasV: "bias_v",
    });
    const factory = { device: options.device, dtype: options.dtype };
    const sameDims = this.kdim === embedDim && this.vdim === embedDim;
    this.inProjWeight = sameDims ? new Parameter(empty([3 * embedDim, embedDim], factory)) : null;
    this.qProjWeight = sameDims ? null : new Parameter(empty([embedDim, embedDim], factory));
    this.kProjWeight = sameDims ? null : new Parameter(empty([embedDim, this.kdim], factory));
    this.vProjWeight = sameDims ? null : new Parameter(empty([embedDim, this.vdim], factory));
    const bias = options.bias ?? true;
    this.inProjBias = bias ? new Parameter(empty([3 * embedDim], factory)) : null;
    // Made (and randomly initialised) before the projections below, as PyTorch: same RNG draws.
    this.outProj = new Linear(embedDim, embedDim, { bias, ...factory });
    this.biasK = options.addBiasKv ? new Parameter(empty([1, 1, embedDim], factory)) : null;
    this.biasV = options.addBiasKv ? new Parameter(empty([1, 1, embedDim], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.inProjWeight) init.xavierUniform_(this.inProjWeight);
    else {
      init.xavierUniform_(this.qProjWeight!);
      init.xavierUniform_(this.kProjWeight!);
      init.xavierUniform_(this.vProjWeight!);
    }
    if (this.inProjBias) {
      init.constant_(this.inProjBias, 0);
      init.constant_(this.outProj.bias!, 0);
    }
    if (this.biasK) init.xavierNormal_(this.biasK);
    if (this.biasV) init.xavierNormal_(this.biasV);
  }

  override forward(query: Tensor, key: Tensor, value: Tensor, options: AttentionCallOptions = {}): [Tensor, Tensor | null] {
    const batched = query.dim() === 3;
    if (this.batchFirst && batched) {
      const sameKey = key === query;
      const sameValue = value === key;
      query = query.transpose(1, 0);
      key = sameKey ? query : key.transpose(1, 0);
      value = sameValue ? key : value.transpose(1, 0);
    }
    const [out, weights] = multiHeadAttentionForward(query, key, value, this, options);
    return [this.batchFirst && batched ? out.transpose(1, 0) : out, weights];
  }
}

/**
 * The attention computation of MultiheadAttention on (L, N, E) inputs (PyTorch's
 * F.multi_head_attention_forward, the general path).
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  m: MultiheadAttention,
  options: AttentionCallOptions = {},
): [Tensor, Tensor | null] {
  const { needWeights = true, averageAttnWeights = true } = options;
  let attnMask = options.attnMask ?? null;
  let keyPaddingMask = options.keyPaddingMask ?? null;
  const batched = query.dim() === 3;
  if (!batched) {
    query = query.unsqueeze(1);
    key = key.unsqueeze(1);
    value = value.unsqueeze(1);
    if (keyPaddingMask) keyPaddingMask = keyPaddingMask.unsqueeze(0);
  }
  const [tgtLen, bsz, embedDim] = query.shape as [number, number, number];
  if (embedDim !== m.embedDim) throw new Error(`was expecting embedding dimension of ${m.embedDim}, but got ${embedDim}`);
  const H = m.numHeads;
  const headDim = m.headDim;
  let q: Tensor;
  let k: Tensor;
  let v: Tensor;
  const bias = m.inProjBias;
  const [bq, bk, bv] = bias ? bias.chunk(3) : [null, null, null];
  if (m.inProjWeight) {
    const [wq, wk, wv] = m.inProjWeight.chunk(3) as [Tensor, Tensor, Tensor];
    q = F.linear(query, wq, bq);
    k = F.linear(key, wk, bk);
    v = F.linear(value, wv, bv);
  } else {
    q = F.linear(query, m.qProjWeight!, bq);
    k = F.linear(key, m.kProjWeight!, bk);
    v = F.linear(value, m.vProjWeight!, bv);
  }
  if (attnMask) {
    if (attnMask.dim() === 2) attnMask = attnMask.unsqueeze(0);
    else if (attnMask.dim() !== 3) throw new Error(`attn_mask's dimension ${attnMask.dim()} is not supported`);
  }
  if (m.biasK && m.biasV) {
    k = ops.cat([k, m.biasK.repeat([1, bsz, 1])]);
    v = ops.cat([v, m.biasV.repeat([1, bsz, 1])]);
    if (attnMask) attnMask = F.pad(attnMask, [0, 1]);
    if (keyPaddingMask) keyPaddingMask = F.pad(keyPaddingMask, [0, 1]);
  }
  q = q.contiguous().view([tgtLen, bsz * H, headDim]).transpose(0, 1);
  k = k.contiguous().view([k.shape[0]!, bsz * H, headDim]).transpose(0, 1);
  v = v.contiguous().view([v.shape[0]!, bsz * H, headDim]).transpose(0, 1);
  if (m.addZeroAttn) {
    k = ops.cat([k, zeros([bsz * H, 1, headDim], { dtype: k.dtype, device: k.device })], { dim: 1 });
    v = ops.cat([v, zeros([bsz * H, 1, headDim], { dtype: v.dtype, device: v.device })], { dim: 1 });
    if (attnMask) attnMask = F.pad(attnMask, [0, 1]);
    if (keyPaddingMask) keyPaddingMask = F.pad(keyPaddingMask, [0, 1]);
  }
  const srcLen = k.shape[1]!;
  if (keyPaddingMask) {
    const kpm = keyPaddingMask.view([bsz, 1, 1, srcLen]).expand([-1, H, -1, -1]).reshape([bsz * H, 1, srcLen]);
    if (!attnMask) attnMask = kpm;
    else if (attnMask.dtype === "bool") attnMask = attnMask.logicalOr(kpm.dtype === "bool" ? kpm : kpm.bool());
    else attnMask = attnMask.maskedFill(kpm.bool(), Number.NEGATIVE_INFINITY);
  }
  if (attnMask && attnMask.dtype === "bool") {
    attnMask = zeros(attnMask.shape, { dtype: q.dtype, device: q.device }).maskedFill(attnMask, Number.NEGATIVE_INFINITY);
  }
  const dropoutP = m.training ? m.dropout : 0;
  // libtorch 2.x, as PyTorch 2.x: with no weights to return, one scaled_dot_product_attention
  // over (N, heads, L, headDim) (its fused kernels; the same values within rounding).
  if (!needWeights && version.major >= 2) {
    const mask = attnMask && (attnMask.shape[0] === 1 ? attnMask.unsqueeze(0) : attnMask.view([bsz, H, -1, srcLen]));
    const heads = (t: Tensor, len: number) => t.view([bsz, H, len, headDim]);
    let out = F.scaledDotProductAttention(heads(q, tgtLen), heads(k, srcLen), heads(v, srcLen), mask, dropoutP);
    out = out.permute([2, 0, 1, 3]).contiguous().view([bsz * tgtLen, embedDim]);
    out = F.linear(out, m.outProj.weight, m.outProj.bias).view([tgtLen, bsz, embedDim]);
    return [batched ? out : out.squeeze(1), null];
  }
  const scaled = q.div(Math.sqrt(headDim));
  let weights = attnMask ? ops.baddbmm(attnMask, scaled, k.transpose(-2, -1)) : ops.bmm(scaled, k.transpose(-2, -1));
  weights = F.softmax(weights, -1);
  if (dropoutP > 0) weights = F.dropout(weights, { p: dropoutP });
  let out = ops.bmm(weights, v);
  out = out.transpose(0, 1).contiguous().view([tgtLen * bsz, embedDim]);
  out = F.linear(out, m.outProj.weight, m.outProj.bias);
  out = out.view([tgtLen, bsz, out.shape[1]!]);
  let returned: Tensor | null = null;
  if (needWeights) {
    returned = weights.view([bsz, H, tgtLen, srcLen]);
    if (averageAttnWeights) returned = returned.sum(1).div(H);
    if (!batched) returned = returned.squeeze(0);
  }
  if (!batched) out = out.squeeze(1);
  return [out, returned];
}
