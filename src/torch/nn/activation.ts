// Activation layers, and MultiheadAttention (in torch/nn/modules/activation.py as in PyTorch).
// Each layer binds Python's constructor arguments and calls the aten kernel itself, the in-place
// one where `inplace` asks for it.
import type { Tensor, Device } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { empty, zeros } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { Module, pyFloat } from "./module.js";
import { Parameter } from "./parameter.js";
import { Linear, checkPositiveInt, factoryOf } from "./linear.js";
import * as F from "./functional.js";
import * as init from "./init.js";
import { version } from "../version.js";
import { bind, type ArgsOf } from "../binding/index.js";

const pyBool = (b: boolean): string => (b ? "True" : "False");
const inplaceRepr = (inplace: boolean): string => (inplace ? "inplace=True" : "");

/**
 * Thresholds each element: y = x if x > threshold else value (torch.nn.Threshold).
 *
 * Args: threshold, value, inplace (false). Shape: any, output the same.
 *
 * Example:
 *   new nn.Threshold(0.1, 20).forward(torch.randn(2))
 */
export class Threshold extends Module {
  readonly threshold: number;
  readonly value: number;
  readonly inplace: boolean;
  constructor(...args: ArgsOf<"torch.nn.Threshold">) {
    super();
    ({ threshold: this.threshold, value: this.value, inplace: this.inplace } = bind("torch.nn.Threshold", args));
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.threshold_(input, this.threshold, this.value) : ops.threshold(input, this.threshold, this.value);
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}${this.inplace ? ", inplace=True" : ""}`;
  }
}

/**
 * ReLU(x) = max(0, x) (torch.nn.ReLU).
 *
 * Args: inplace (false): overwrite the input. Shape: any, output the same.
 *
 * Example:
 *   new nn.ReLU(true) // in place, as Python's nn.ReLU(True)
 */
export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(...args: ArgsOf<"torch.nn.ReLU">) {
    super();
    ({ inplace: this.inplace } = bind("torch.nn.ReLU", args));
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.relu_(input) : ops.relu(input);
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/**
 * Randomized leaky ReLU (torch.nn.RReLU): in training the negative slope of each element is drawn
 * from U(lower, upper); in eval it is (lower + upper) / 2.
 *
 * Args: lower (1/8), upper (1/3), inplace (false).
 */
export class RReLU extends Module {
  readonly lower: number;
  readonly upper: number;
  readonly inplace: boolean;
  constructor(...args: ArgsOf<"torch.nn.RReLU">) {
    super();
    ({ lower: this.lower, upper: this.upper, inplace: this.inplace } = bind("torch.nn.RReLU", args));
  }
  override forward(input: Tensor): Tensor {
    const options = { lower: this.lower, upper: this.upper, training: this.training };
    return this.inplace ? ops.rrelu_(input, options) : ops.rrelu(input, options);
  }
  override extraRepr(): string {
    return `lower=${this.lower}, upper=${this.upper}${this.inplace ? ", inplace=True" : ""}`;
  }
}

/**
 * Clamps to [minVal, maxVal] (torch.nn.Hardtanh).
 *
 * Args: minVal (-1), maxVal (1), inplace (false); minValue / maxValue are Python's deprecated
 * spellings and win when given.
 */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  readonly inplace: boolean;
  constructor(...args: ArgsOf<"torch.nn.Hardtanh">) {
    super();
    const a = bind("torch.nn.Hardtanh", args);
    this.minVal = a.minValue ?? a.minVal;
    this.maxVal = a.maxValue ?? a.maxVal;
    this.inplace = a.inplace;
    if (!(this.maxVal > this.minVal)) throw new Error("Hardtanh: maxVal must be greater than minVal");
  }
  override forward(input: Tensor): Tensor {
    const bounds = { minVal: this.minVal, maxVal: this.maxVal };
    return this.inplace ? ops.hardtanh_(input, bounds) : ops.hardtanh(input, bounds);
  }
  override extraRepr(): string {
    return `min_val=${this.minVal}, max_val=${this.maxVal}${this.inplace ? ", inplace=True" : ""}`;
  }
}

/** ReLU6(x) = min(max(0, x), 6) (torch.nn.ReLU6). Args: inplace (false). */
export class ReLU6 extends Hardtanh {
  constructor(...args: ArgsOf<"torch.nn.ReLU6">) {
    super(0, 6, bind("torch.nn.ReLU6", args).inplace);
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** A parameterless activation with an optional in-place form. */
abstract class InplaceActivation extends Module {
  readonly inplace: boolean;
  constructor(inplace: boolean) {
    super();
    this.inplace = inplace;
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** σ(x) = 1 / (1 + e^−x) (torch.nn.Sigmoid). */
export class Sigmoid extends Module {
  constructor(...args: ArgsOf<"torch.nn.Sigmoid">) {
    super();
    bind("torch.nn.Sigmoid", args);
  }
  override forward(input: Tensor): Tensor {
    return ops.sigmoid(input);
  }
}
/** Hardsigmoid(x) = relu6(x + 3) / 6 (torch.nn.Hardsigmoid). Args: inplace (false). */
export class Hardsigmoid extends InplaceActivation {
  constructor(...args: ArgsOf<"torch.nn.Hardsigmoid">) {
    super(bind("torch.nn.Hardsigmoid", args).inplace);
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.hardsigmoid_(input) : ops.hardsigmoid(input);
  }
}
/** Tanh (torch.nn.Tanh). */
export class Tanh extends Module {
  constructor(...args: ArgsOf<"torch.nn.Tanh">) {
    super();
    bind("torch.nn.Tanh", args);
  }
  override forward(input: Tensor): Tensor {
    return ops.tanh(input);
  }
}
/** SiLU(x) = x·σ(x), a.k.a. swish (torch.nn.SiLU). Args: inplace (false). */
export class SiLU extends InplaceActivation {
  constructor(...args: ArgsOf<"torch.nn.SiLU">) {
    super(bind("torch.nn.SiLU", args).inplace);
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.silu_(input) : ops.silu(input);
  }
}
/** Mish(x) = x·tanh(softplus(x)) (torch.nn.Mish). Args: inplace (false). */
export class Mish extends InplaceActivation {
  constructor(...args: ArgsOf<"torch.nn.Mish">) {
    super(bind("torch.nn.Mish", args).inplace);
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.mish_(input) : ops.mish(input);
  }
}
/** Hardswish(x) = x·relu6(x + 3) / 6 (torch.nn.Hardswish). Args: inplace (false). */
export class Hardswish extends InplaceActivation {
  constructor(...args: ArgsOf<"torch.nn.Hardswish">) {
    super(bind("torch.nn.Hardswish", args).inplace);
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.hardswish_(input) : ops.hardswish(input);
  }
}
/** ELU(x) = x if x > 0 else alpha·(e^x − 1) (torch.nn.ELU). Args: alpha (1), inplace (false). */
export class ELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;
  constructor(...args: ArgsOf<"torch.nn.ELU">) {
    super();
    ({ alpha: this.alpha, inplace: this.inplace } = bind("torch.nn.ELU", args));
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.elu_(input, { alpha: this.alpha }) : ops.elu(input, { alpha: this.alpha });
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ", inplace=True" : ""}`;
  }
}
/** CELU(x) = max(0, x) + min(0, alpha·(e^(x/alpha) − 1)) (torch.nn.CELU). Args: alpha (1), inplace. */
export class CELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;
  constructor(...args: ArgsOf<"torch.nn.CELU">) {
    super();
    ({ alpha: this.alpha, inplace: this.inplace } = bind("torch.nn.CELU", args));
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.celu_(input, { alpha: this.alpha }) : ops.celu(input, { alpha: this.alpha });
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ", inplace=True" : ""}`;
  }
}
/** SELU, the self-normalizing ELU (torch.nn.SELU). Args: inplace (false). */
export class SELU extends InplaceActivation {
  constructor(...args: ArgsOf<"torch.nn.SELU">) {
    super(bind("torch.nn.SELU", args).inplace);
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.selu_(input) : ops.selu(input);
  }
}
/**
 * Gated linear unit: GLU(a, b) = a ⊗ σ(b), the input halved along `dim` (torch.nn.GLU).
 *
 * Args: dim (-1). Shape: (*1, N, *2) -> (*1, N/2, *2).
 */
export class GLU extends Module {
  readonly dim: number;
  constructor(...args: ArgsOf<"torch.nn.GLU">) {
    super();
    ({ dim: this.dim } = bind("torch.nn.GLU", args));
  }
  override forward(input: Tensor): Tensor {
    return ops.glu(input, { dim: this.dim });
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
/** GELU(x) = x·Φ(x); `approximate: "tanh"` for the tanh approximation (torch.nn.GELU). */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(...args: ArgsOf<"torch.nn.GELU">) {
    super();
    const { approximate } = bind("torch.nn.GELU", args);
    if (approximate !== "none" && approximate !== "tanh") {
      throw new Error(`GELU: approximate must be 'none' or 'tanh', got '${approximate}'`);
    }
    this.approximate = approximate;
  }
  override forward(input: Tensor): Tensor {
    return ops.gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}
/** Hardshrink(x) = x if |x| > lambd else 0 (torch.nn.Hardshrink). Args: lambd (0.5). */
export class Hardshrink extends Module {
  readonly lambd: number;
  constructor(...args: ArgsOf<"torch.nn.Hardshrink">) {
    super();
    ({ lambd: this.lambd } = bind("torch.nn.Hardshrink", args));
  }
  override forward(input: Tensor): Tensor {
    return ops.hardshrink(input, { lambd: this.lambd });
  }
  override extraRepr(): string {
    return `${this.lambd}`;
  }
}
/** LeakyReLU(x) = max(0, x) + negativeSlope·min(0, x) (torch.nn.LeakyReLU). Args: negativeSlope (0.01), inplace. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;
  constructor(...args: ArgsOf<"torch.nn.LeakyReLU">) {
    super();
    ({ negativeSlope: this.negativeSlope, inplace: this.inplace } = bind("torch.nn.LeakyReLU", args));
  }
  override forward(input: Tensor): Tensor {
    const slope = { negativeSlope: this.negativeSlope };
    return this.inplace ? ops.leakyRelu_(input, slope) : ops.leakyRelu(input, slope);
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}${this.inplace ? ", inplace=True" : ""}`;
  }
}
/** LogSigmoid(x) = log σ(x) (torch.nn.LogSigmoid). */
export class LogSigmoid extends Module {
  constructor(...args: ArgsOf<"torch.nn.LogSigmoid">) {
    super();
    bind("torch.nn.LogSigmoid", args);
  }
  override forward(input: Tensor): Tensor {
    return ops.logSigmoid(input);
  }
}
/** Softplus(x) = 1/β·log(1 + e^(βx)), linear above `threshold` (torch.nn.Softplus). Args: beta (1), threshold (20). */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(...args: ArgsOf<"torch.nn.Softplus">) {
    super();
    ({ beta: this.beta, threshold: this.threshold } = bind("torch.nn.Softplus", args));
  }
  override forward(input: Tensor): Tensor {
    return ops.softplus(input, { beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}
/** Softshrink(x) = x − lambd if x > lambd, x + lambd if x < −lambd, else 0 (torch.nn.Softshrink). */
export class Softshrink extends Module {
  readonly lambd: number;
  constructor(...args: ArgsOf<"torch.nn.Softshrink">) {
    super();
    ({ lambd: this.lambd } = bind("torch.nn.Softshrink", args));
  }
  override forward(input: Tensor): Tensor {
    return ops.softshrink(input, { lambd: this.lambd });
  }
  override extraRepr(): string {
    return `${this.lambd}`;
  }
}
/**
 * PReLU(x) = max(0, x) + a·min(0, x) with a learned slope a, one or per channel
 * (torch.nn.PReLU).
 *
 * Args: numParameters (1, or the channel count), init (0.25), device, dtype.
 */
export class PReLU extends Module {
  readonly numParameters: number;
  weight: Parameter;
  readonly init: number;
  constructor(...args: ArgsOf<"torch.nn.PReLU">) {
    super();
    const a = bind("torch.nn.PReLU", args);
    checkPositiveInt(a.numParameters, "PReLU", "numParameters");
    this.numParameters = a.numParameters;
    this.init = a.init;
    this.weight = new Parameter(empty([a.numParameters], factoryOf(a)));
    this.resetParameters();
  }
  resetParameters(): void {
    init.constant_(this.weight, this.init);
  }
  override forward(input: Tensor): Tensor {
    return ops.prelu(input, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}
/** Softsign(x) = x / (1 + |x|) (torch.nn.Softsign). */
export class Softsign extends Module {
  constructor(...args: ArgsOf<"torch.nn.Softsign">) {
    super();
    bind("torch.nn.Softsign", args);
  }
  override forward(input: Tensor): Tensor {
    return input.div(input.abs().add(1));
  }
}
/** Tanhshrink(x) = x − tanh(x) (torch.nn.Tanhshrink). */
export class Tanhshrink extends Module {
  constructor(...args: ArgsOf<"torch.nn.Tanhshrink">) {
    super();
    bind("torch.nn.Tanhshrink", args);
  }
  override forward(input: Tensor): Tensor {
    return input.sub(input.tanh());
  }
}

/** Python's implicit softmax dim (deprecated there): 0 for 0-, 1- and 3-d inputs, else 1. */
function softmaxDim(dim: number | null, input: Tensor): number {
  if (dim !== null) return dim;
  const d = input.dim();
  return d === 0 || d === 1 || d === 3 ? 0 : 1;
}

abstract class DimActivation extends Module {
  readonly dim: number | null;
  constructor(dim: number | null) {
    super();
    this.dim = dim;
  }
  override extraRepr(): string {
    return `dim=${this.dim === null ? "None" : this.dim}`;
  }
}
/** Softmin along `dim` (torch.nn.Softmin): softmax of −x. Args: dim (null: Python's implicit choice). */
export class Softmin extends DimActivation {
  constructor(...args: ArgsOf<"torch.nn.Softmin">) {
    super(bind("torch.nn.Softmin", args).dim);
  }
  override forward(input: Tensor): Tensor {
    return ops.softmax(input.neg(), softmaxDim(this.dim, input));
  }
}
/**
 * Softmax along `dim` (torch.nn.Softmax): outputs in [0, 1] summing to 1 along it.
 *
 * Args: dim (null: Python's implicit, deprecated choice: 0 for 0/1/3-d inputs, else 1).
 *
 * Example:
 *   new nn.Softmax(1).forward(torch.randn(2, 3))
 */
export class Softmax extends DimActivation {
  constructor(...args: ArgsOf<"torch.nn.Softmax">) {
    super(bind("torch.nn.Softmax", args).dim);
  }
  override forward(input: Tensor): Tensor {
    return ops.softmax(input, softmaxDim(this.dim, input));
  }
}
/** Softmax over the channels of (N, C, H, W) or (C, H, W) inputs (torch.nn.Softmax2d). */
export class Softmax2d extends Module {
  constructor(...args: ArgsOf<"torch.nn.Softmax2d">) {
    super();
    bind("torch.nn.Softmax2d", args);
  }
  override forward(input: Tensor): Tensor {
    if (input.dim() !== 3 && input.dim() !== 4) {
      throw new Error(`Softmax2d: expected input to be 3D or 4D, got ${input.dim()}D instead`);
    }
    return ops.softmax(input, -3);
  }
}
/** log(Softmax) along `dim`, computed stably (torch.nn.LogSoftmax). Args: dim. */
export class LogSoftmax extends DimActivation {
  constructor(...args: ArgsOf<"torch.nn.LogSoftmax">) {
    super(bind("torch.nn.LogSoftmax", args).dim);
  }
  override forward(input: Tensor): Tensor {
    return ops.logSoftmax(input, softmaxDim(this.dim, input));
  }
}

export interface MultiheadAttentionOptions {
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
  device?: Device | null;
  dtype?: DType | null;
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
 * Args (positionally or by name, in Python's order): embedDim, numHeads (embedDim divisible by
 * it), dropout (0), bias (true), addBiasKv (false), addZeroAttn (false), kdim, vdim, batchFirst
 * (false), device, dtype. `forward(query, key, value, keyPaddingMask?, needWeights = true,
 * attnMask?, averageAttnWeights = true)`, each also by name in one options object.
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

  constructor(...args: ArgsOf<"torch.nn.MultiheadAttention">) {
    super();
    const options = bind("torch.nn.MultiheadAttention", args);
    const { embedDim, numHeads } = options;
    checkPositiveInt(embedDim, "MultiheadAttention", "embedDim");
    checkPositiveInt(numHeads, "MultiheadAttention", "numHeads");
    this.embedDim = embedDim;
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    this.numHeads = numHeads;
    this.dropout = options.dropout;
    this.batchFirst = options.batchFirst;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new Error("embed_dim must be divisible by num_heads");
    this.addZeroAttn = options.addZeroAttn;
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
    const factory = factoryOf(options);
    const sameDims = this.kdim === embedDim && this.vdim === embedDim;
    this.inProjWeight = sameDims ? new Parameter(empty([3 * embedDim, embedDim], factory)) : null;
    this.qProjWeight = sameDims ? null : new Parameter(empty([embedDim, embedDim], factory));
    this.kProjWeight = sameDims ? null : new Parameter(empty([embedDim, this.kdim], factory));
    this.vProjWeight = sameDims ? null : new Parameter(empty([embedDim, this.vdim], factory));
    const bias = options.bias;
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

  override forward(...args: ArgsOf<"torch.nn.MultiheadAttention.forward">): [Tensor, Tensor | null] {
    const { keyPaddingMask, needWeights, attnMask, averageAttnWeights, ...qkv } = bind("torch.nn.MultiheadAttention.forward", args);
    let { query, key, value } = qkv;
    const options = { keyPaddingMask, needWeights, attnMask, averageAttnWeights };
    const batched = query.dim() === 3;
    if (this.batchFirst && batched) {
      const sameKey = key === query;
      const sameValue = value === key;
      query = query.transpose(1, 0);
      key = sameKey ? query : key.transpose(1, 0);
      value = sameValue ? key : value.transpose(1, 0);
    }
    const [out, weights] = multiHeadAttentionCore(query, key, value, this, options);
    return [this.batchFirst && batched ? out.transpose(1, 0) : out, weights];
  }
}

/**
 * The weights and settings the attention computation reads: a MultiheadAttention module, or the
 * arguments of nn.functional.multiHeadAttentionForward (functional/multi-head-attention.ts).
 */
export interface AttentionWeights {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly addZeroAttn: boolean;
  /** The dropout probability, applied while `training`. */
  readonly dropout: number;
  readonly training: boolean;
  /** The packed q/k/v projection; null: the separate q/k/v weights are used. */
  readonly inProjWeight: Tensor | null;
  readonly qProjWeight: Tensor | null;
  readonly kProjWeight: Tensor | null;
  readonly vProjWeight: Tensor | null;
  readonly inProjBias: Tensor | null;
  readonly biasK: Tensor | null;
  readonly biasV: Tensor | null;
  readonly outProj: { readonly weight: Tensor; readonly bias: Tensor | null };
}

/**
 * The attention computation of MultiheadAttention on (L, N, E) inputs (PyTorch's
 * F.multi_head_attention_forward, the general path).
 */
export function multiHeadAttentionCore(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  m: AttentionWeights,
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
  if (m.inProjWeight && key === value && query === key) {
    // Self-attention: one packed projection, as Python's _in_projection_packed (same gradient bits).
    [q, k, v] = F.linear(query, m.inProjWeight, bias).chunk(3, -1) as [Tensor, Tensor, Tensor];
  } else if (m.inProjWeight && key === value) {
    // Encoder-decoder attention: q alone, k and v from one projection.
    const [wq, wkv] = m.inProjWeight.split([embedDim, 2 * embedDim]) as [Tensor, Tensor];
    const [bqOnly, bkv] = bias ? (bias.split([embedDim, 2 * embedDim]) as [Tensor, Tensor]) : [null, null];
    q = F.linear(query, wq, bqOnly);
    [k, v] = F.linear(key, wkv, bkv).chunk(2, -1) as [Tensor, Tensor];
  } else if (m.inProjWeight) {
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
