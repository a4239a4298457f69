// Transformers (torch/nn/modules/transformer.py): TransformerEncoderLayer, TransformerEncoder,
// TransformerDecoderLayer, TransformerDecoder and Transformer, with PyTorch 2.x's signatures
// (`bias`, the `isCausal` hints; src/torch/binding/deviations.ts).
import type { Tensor } from "../tensor/tensor.js";
import { version } from "../version.js";
import { full } from "../tensor/creation.js";
import { Module, copyModule } from "./module.js";
import { Linear, factoryOf, checkPositiveInt, type FactoryOptions } from "./linear.js";
import { bind, type ArgsOf } from "../binding/index.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./normalization.js";
import { MultiheadAttention } from "./activation.js";
import { ModuleList } from "./container.js";
import * as F from "./functional.js";
import * as init from "./init.js";
import {
  canonicalMask, checkMaskDtype, fromNested, layerFastForward, toNested, whyNotLayerFastPath, whyNotNestedAtAll,
  whyNotSparsityFastPath, type FastPathLayer,
} from "./transformer-fast-path.js";

/** Python's activation argument: "relu", "gelu", or a function of one tensor. */
function activationOf(activation: unknown, layer: string): (x: Tensor) => Tensor {
  if (typeof activation === "function") return activation as (x: Tensor) => Tensor;
  if (activation === "relu") return (x) => F.relu(x);
  if (activation === "gelu") return (x) => F.gelu(x);
  throw new Error(`${layer}: activation should be relu/gelu, not ${String(activation)}`);
}

/** Python's `activation_relu_or_gelu`: 1 for relu, 2 for gelu (by name or F's own function), else 0. */
function reluOrGelu(activation: unknown): 0 | 1 | 2 {
  if (activation === "relu" || activation === F.relu) return 1;
  if (activation === "gelu" || activation === F.gelu) return 2;
  return 0;
}

const torch2 = (): boolean => version.major >= 2;

/** A LayerNorm with or without its bias (2.x's `bias` option of the transformer layers). */
function layerNorm(dModel: number, eps: number, bias: boolean, factory: FactoryOptions): LayerNorm {
  const norm = new LayerNorm(dModel, { eps, ...factory });
  if (!bias) norm.bias = null;
  return norm;
}

/** 2.x's rule for an `isCausal` hint: it describes the mask, so a mask must be given with it. */
function checkCausalHint(isCausal: boolean | null, mask: Tensor | null, name: string): void {
  if (isCausal === true && mask === null) {
    throw new Error(
      `${name} is a hint that the mask is causal: give the mask too (Transformer.generateSquareSubsequentMask makes one)`,
    );
  }
}

interface LayerOptions {
  dModel: number;
  nhead: number;
  dropout: number;
  batchFirst: boolean;
  bias: boolean;
}

/** A layer's attention: dModel wide, nhead heads, with the layer's dropout, bias and batchFirst. */
function attention(o: LayerOptions, factory: FactoryOptions): MultiheadAttention {
  return new MultiheadAttention(o.dModel, o.nhead, { dropout: o.dropout, bias: o.bias, batchFirst: o.batchFirst, ...factory });
}

/**
 * One layer of a transformer encoder, self-attention then feedforward
 * (torch.nn.TransformerEncoderLayer, "Attention Is All You Need").
 *
 * Args (positionally or by name, in Python's order): dModel, nhead, dimFeedforward (2048),
 * dropout (0.1), activation ("relu" | "gelu" | a function), layerNormEps (1e-5), batchFirst
 * (false), normFirst (false), bias (true), device, dtype.
 *
 * forward(src, srcMask?, srcKeyPaddingMask?, isCausal = false), positionally or by name;
 * `isCausal` is a hint that srcMask is the causal mask.
 *
 * Shape: src (S, N, E), or (N, S, E) batch first, or (S, E); output the same.
 *
 * State dict: self_attn.*, linear1.*, linear2.*, norm1.*, norm2.*.
 */
export class TransformerEncoderLayer extends Module {
  selfAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  readonly activation: (x: Tensor) => Tensor;
  /** Python's `activation_relu_or_gelu` (1 relu, 2 gelu, 0 other): the fused path needs 1 or 2. */
  readonly activationReluOrGelu: 0 | 1 | 2;

  constructor(...args: ArgsOf<"torch.nn.TransformerEncoderLayer">) {
    super();
    const o = bind("torch.nn.TransformerEncoderLayer", args);
    const factory = factoryOf(o);
    this.stateKeys({ selfAttn: "self_attn" });
    this.selfAttn = attention(o, factory);
    this.linear1 = new Linear(o.dModel, o.dimFeedforward, { bias: o.bias, ...factory });
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dimFeedforward, o.dModel, { bias: o.bias, ...factory });
    this.normFirst = o.normFirst;
    this.norm1 = layerNorm(o.dModel, o.layerNormEps, o.bias, factory);
    this.norm2 = layerNorm(o.dModel, o.layerNormEps, o.bias, factory);
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.activation = activationOf(o.activation ?? "relu", "TransformerEncoderLayer");
    this.activationReluOrGelu = reluOrGelu(o.activation ?? "relu");
  }

  override forward(...args: ArgsOf<"torch.nn.TransformerEncoderLayer.forward">): Tensor {
    const bound = bind("torch.nn.TransformerEncoderLayer.forward", args);
    const { src, isCausal } = bound;
    checkCausalHint(isCausal, bound.srcMask, "TransformerEncoderLayer.forward(): isCausal");
    let srcMask = bound.srcMask;
    let srcKeyPaddingMask = bound.srcKeyPaddingMask;
    if (torch2()) {
      srcKeyPaddingMask = canonicalMask(srcKeyPaddingMask, "src_key_padding_mask", srcMask?.dtype ?? null, "src_mask", src);
      srcMask = canonicalMask(srcMask, "src_mask", null, "", src, false);
    } else {
      checkMaskDtype(srcKeyPaddingMask, "key_padding_mask");
    }
    // Python's inference fast path: the fused kernel (eval, no gradients, batch first, ...).
    const whyNot = whyNotLayerFastPath(this, src, srcMask, srcKeyPaddingMask);
    if (!whyNot) return layerFastForward(this, src, srcMask, srcKeyPaddingMask);
    if (src.isNested) throw new Error(`TransformerEncoderLayer.forward(): a nested tensor input needs the fused path, declined because ${whyNot}`);
    let x = src;
    if (this.normFirst) {
      x = x.add(this.selfAttentionBlock(this.norm1.forward(x), srcMask, srcKeyPaddingMask));
      x = x.add(this.feedForwardBlock(this.norm2.forward(x)));
    } else {
      x = this.norm1.forward(x.add(this.selfAttentionBlock(x, srcMask, srcKeyPaddingMask)));
      x = this.norm2.forward(x.add(this.feedForwardBlock(x)));
    }
    return x;
  }

  private selfAttentionBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [out] = this.selfAttn.call(x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout1.forward(out);
  }

  private feedForwardBlock(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }
}

/**
 * One layer of a transformer decoder: self-attention, attention over the encoder's output
 * (memory), then feedforward (torch.nn.TransformerDecoderLayer).
 *
 * Args (positionally or by name, in Python's order): dModel, nhead, dimFeedforward (2048),
 * dropout (0.1), activation ("relu" | "gelu" | a function), layerNormEps (1e-5), batchFirst
 * (false), normFirst (false), bias (true), device, dtype.
 *
 * forward(tgt, memory, tgtMask?, memoryMask?, tgtKeyPaddingMask?, memoryKeyPaddingMask?,
 * tgtIsCausal = false, memoryIsCausal = false), positionally or by name.
 *
 * Shape: tgt (T, N, E), memory (S, N, E) (batch first: N first), or unbatched (T, E), (S, E);
 * output as tgt.
 *
 * State dict: self_attn.*, multihead_attn.*, linear1.*, linear2.*, norm1.*, norm2.*, norm3.*.
 */
export class TransformerDecoderLayer extends Module {
  selfAttn: MultiheadAttention;
  multiheadAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  readonly activation: (x: Tensor) => Tensor;

  constructor(...args: ArgsOf<"torch.nn.TransformerDecoderLayer">) {
    super();
    const o = bind("torch.nn.TransformerDecoderLayer", args);
    const factory = factoryOf(o);
    this.stateKeys({ selfAttn: "self_attn", multiheadAttn: "multihead_attn" });
    this.selfAttn = attention(o, factory);
    this.multiheadAttn = attention(o, factory);
    this.linear1 = new Linear(o.dModel, o.dimFeedforward, { bias: o.bias, ...factory });
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dimFeedforward, o.dModel, { bias: o.bias, ...factory });
    this.normFirst = o.normFirst;
    this.norm1 = layerNorm(o.dModel, o.layerNormEps, o.bias, factory);
    this.norm2 = layerNorm(o.dModel, o.layerNormEps, o.bias, factory);
    this.norm3 = layerNorm(o.dModel, o.layerNormEps, o.bias, factory);
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.dropout3 = new Dropout(o.dropout);
    this.activation = activationOf(o.activation ?? "relu", "TransformerDecoderLayer");
  }

  override forward(...args: ArgsOf<"torch.nn.TransformerDecoderLayer.forward">): Tensor {
    const a = bind("torch.nn.TransformerDecoderLayer.forward", args);
    checkCausalHint(a.tgtIsCausal, a.tgtMask, "TransformerDecoderLayer.forward(): tgtIsCausal");
    checkCausalHint(a.memoryIsCausal, a.memoryMask, "TransformerDecoderLayer.forward(): memoryIsCausal");
    const { memory } = a;
    let x = a.tgt;
    if (this.normFirst) {
      x = x.add(this.selfAttentionBlock(this.norm1.forward(x), a.tgtMask, a.tgtKeyPaddingMask));
      x = x.add(this.memoryAttentionBlock(this.norm2.forward(x), memory, a.memoryMask, a.memoryKeyPaddingMask));
      x = x.add(this.feedForwardBlock(this.norm3.forward(x)));
    } else {
      x = this.norm1.forward(x.add(this.selfAttentionBlock(x, a.tgtMask, a.tgtKeyPaddingMask)));
      x = this.norm2.forward(x.add(this.memoryAttentionBlock(x, memory, a.memoryMask, a.memoryKeyPaddingMask)));
      x = this.norm3.forward(x.add(this.feedForwardBlock(x)));
    }
    return x;
  }

  private selfAttentionBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [out] = this.selfAttn.call(x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout1.forward(out);
  }

  private memoryAttentionBlock(x: Tensor, memory: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [out] = this.multiheadAttn.call(x, memory, memory, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout2.forward(out);
  }

  private feedForwardBlock(x: Tensor): Tensor {
    return this.dropout3.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }
}

/**
 * A stack of `numLayers` copies of `encoderLayer` (torch.nn.TransformerEncoder); the copies
 * start with the same weights, as PyTorch's deepcopy. An optional final `norm`.
 *
 * Args: encoderLayer, numLayers, norm (null), enableNestedTensor (true) and maskCheck (true):
 * Python's inference "sparsity fast path". In eval mode without gradients, with batchFirst layers
 * and a left-aligned srcKeyPaddingMask, the batch runs as a nested tensor of its unpadded
 * sequences through the layers' fused kernel, as Python's: outputs at padded positions are 0
 * (before `norm`), and torch 1.13 trims the output to the longest sequence.
 *
 * forward(src, mask?, srcKeyPaddingMask?, isCausal?), positionally or by name as Python's
 * (`encoder.forward(src, { mask })`).
 *
 * Shape: as the layer. State dict: layers.0.self_attn.in_proj_weight, ..., norm.*.
 */
export class TransformerEncoder extends Module {
  layers: ModuleList<TransformerEncoderLayer>;
  readonly numLayers: number;
  norm: Module | null;
  /** Whether a padded batch may run as a nested tensor in inference (the value given). */
  readonly enableNestedTensor: boolean;
  /** torch 2.x: whether the layers allow it at all (decided here, with Python's warning when not). */
  readonly useNestedTensor: boolean;
  /** Whether the padding mask is checked to be left-aligned before packing. */
  readonly maskCheck: boolean;

  constructor(...args: ArgsOf<"torch.nn.TransformerEncoder">) {
    super();
    const { encoderLayer, numLayers, norm, enableNestedTensor, maskCheck } = bind("torch.nn.TransformerEncoder", args);
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new TypeError("nn.TransformerEncoder(): argument 'encoderLayer' must be a TransformerEncoderLayer");
    }
    checkPositiveInt(numLayers, "TransformerEncoder", "numLayers", true);
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => copyModule(encoderLayer)));
    this.numLayers = numLayers;
    this.norm = norm;
    this.enableNestedTensor = enableNestedTensor;
    this.maskCheck = maskCheck;
    let use = enableNestedTensor;
    if (torch2()) {
      const whyNot = whyNotNestedAtAll(encoderLayer, isEncoderLayer);
      if (enableNestedTensor && whyNot) {
        process.emitWarning(`enable_nested_tensor is True, but self.use_nested_tensor is False because ${whyNot}`, "UserWarning");
        use = false;
      }
    }
    this.useNestedTensor = use;
  }

  override forward(...args: ArgsOf<"torch.nn.TransformerEncoder.forward">): Tensor {
    const bound = bind("torch.nn.TransformerEncoder.forward", args);
    const { src, isCausal } = bound;
    checkCausalHint(isCausal, bound.mask, "TransformerEncoder.forward(): isCausal");
    let mask = bound.mask;
    let srcKeyPaddingMask = bound.srcKeyPaddingMask;
    if (torch2()) {
      srcKeyPaddingMask = canonicalMask(srcKeyPaddingMask, "src_key_padding_mask", mask?.dtype ?? null, "mask", src);
      mask = canonicalMask(mask, "mask", null, "", src, false);
    } else {
      checkMaskDtype(srcKeyPaddingMask, "key_padding_mask");
    }
    const layers = [...this.layers];
    // Python's sparsity fast path: a padded batch runs as a nested tensor of its sequences.
    const nested =
      srcKeyPaddingMask !== null && !whyNotSparsityFastPath(this, layers[0], isEncoderLayer, src, mask, srcKeyPaddingMask)
        ? toNested(src, srcKeyPaddingMask)
        : null;
    let x = nested ?? src;
    const layerPaddingMask = nested ? null : srcKeyPaddingMask;
    for (const layer of layers) x = layer.call(x, mask, layerPaddingMask);
    if (nested) x = fromNested(x, src);
    if (this.norm) x = (this.norm as LayerNorm).call(x);
    return x;
  }
}

function isEncoderLayer(x: unknown): x is FastPathLayer {
  return x instanceof TransformerEncoderLayer;
}

/**
 * A stack of `numLayers` copies of `decoderLayer` (torch.nn.TransformerDecoder), the copies
 * starting with the same weights; an optional final `norm`.
 *
 * Args: decoderLayer, numLayers, norm (null).
 *
 * forward(tgt, memory, tgtMask?, memoryMask?, tgtKeyPaddingMask?, memoryKeyPaddingMask?,
 * tgtIsCausal?, memoryIsCausal = false), positionally or by name.
 *
 * State dict: layers.0.self_attn.*, layers.0.multihead_attn.*, ..., norm.*.
 */
export class TransformerDecoder extends Module {
  layers: ModuleList<TransformerDecoderLayer>;
  readonly numLayers: number;
  norm: Module | null;

  constructor(...args: ArgsOf<"torch.nn.TransformerDecoder">) {
    super();
    const { decoderLayer, numLayers, norm } = bind("torch.nn.TransformerDecoder", args);
    if (!(decoderLayer instanceof TransformerDecoderLayer)) {
      throw new TypeError("nn.TransformerDecoder(): argument 'decoderLayer' must be a TransformerDecoderLayer");
    }
    checkPositiveInt(numLayers, "TransformerDecoder", "numLayers", true);
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => copyModule(decoderLayer)));
    this.numLayers = numLayers;
    this.norm = norm;
  }

  override forward(...args: ArgsOf<"torch.nn.TransformerDecoder.forward">): Tensor {
    const a = bind("torch.nn.TransformerDecoder.forward", args);
    checkCausalHint(a.tgtIsCausal, a.tgtMask, "TransformerDecoder.forward(): tgtIsCausal");
    let x = a.tgt;
    for (const layer of this.layers) {
      x = layer.call(x, a.memory, a.tgtMask, a.memoryMask, a.tgtKeyPaddingMask, a.memoryKeyPaddingMask, a.tgtIsCausal ?? false, a.memoryIsCausal);
    }
    if (this.norm) x = (this.norm as LayerNorm).call(x);
    return x;
  }
}

/**
 * A whole transformer, encoder and decoder (torch.nn.Transformer, "Attention Is All You Need").
 *
 * Args (positionally or by name, in Python's order): dModel (512), nhead (8), numEncoderLayers
 * (6), numDecoderLayers (6), dimFeedforward (2048), dropout (0.1), activation ("relu"), customEncoder
 * (null), customDecoder (null), layerNormEps (1e-5), batchFirst (false), normFirst (false), bias
 * (true), device, dtype. Weights of more than one dimension are re-initialised Xavier-uniform, as Python's.
 *
 * forward(src, tgt, srcMask?, tgtMask?, memoryMask?, srcKeyPaddingMask?, tgtKeyPaddingMask?,
 * memoryKeyPaddingMask?, srcIsCausal?, tgtIsCausal?, memoryIsCausal = false).
 *
 * Shape: src (S, N, E), tgt (T, N, E) (batch first: N first; unbatched: no N); output (T, N, E).
 *
 * Example:
 *   const model = new nn.Transformer({ nhead: 16, numEncoderLayers: 12 });
 *   const mask = nn.Transformer.generateSquareSubsequentMask(tgt.size(0));
 *   const out = model.forward(src, tgt, { tgtMask: mask });
 */
export class Transformer extends Module {
  encoder: Module;
  decoder: Module;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  constructor(...args: ArgsOf<"torch.nn.Transformer">) {
    super();
    const o = bind("torch.nn.Transformer", args);
    const factory = factoryOf(o);
    const layer = [o.dModel, o.nhead, o.dimFeedforward, o.dropout, o.activation, o.layerNormEps, o.batchFirst, o.normFirst, o.bias, o.device, o.dtype] as const;
    if (o.customEncoder !== null) {
      this.encoder = o.customEncoder;
    } else {
      const encoderLayer = new TransformerEncoderLayer(...layer);
      this.encoder = new TransformerEncoder(encoderLayer, o.numEncoderLayers, layerNorm(o.dModel, o.layerNormEps, o.bias, factory));
    }
    if (o.customDecoder !== null) {
      this.decoder = o.customDecoder;
    } else {
      const decoderLayer = new TransformerDecoderLayer(...layer);
      this.decoder = new TransformerDecoder(decoderLayer, o.numDecoderLayers, layerNorm(o.dModel, o.layerNormEps, o.bias, factory));
    }
    for (const p of this.parameters()) if (p.dim() > 1) init.xavierUniform_(p);
    this.dModel = o.dModel;
    this.nhead = o.nhead;
    this.batchFirst = o.batchFirst;
  }

  override forward(...args: ArgsOf<"torch.nn.Transformer.forward">): Tensor {
    const a = bind("torch.nn.Transformer.forward", args);
    const { src, tgt } = a;
    const batched = src.dim() === 3;
    const batchDim = this.batchFirst ? 0 : 1;
    if (batched && src.size(batchDim) !== tgt.size(batchDim)) throw new Error("the batch number of src and tgt must be equal");
    if (src.size(-1) !== this.dModel || tgt.size(-1) !== this.dModel) {
      throw new Error("the feature number of src and tgt must be equal to d_model");
    }
    const memory = (this.encoder.call as (...x: unknown[]) => Tensor).call(this.encoder, src, {
      mask: a.srcMask,
      srcKeyPaddingMask: a.srcKeyPaddingMask,
      isCausal: a.srcIsCausal,
    });
    return (this.decoder.call as (...x: unknown[]) => Tensor).call(this.decoder, tgt, memory, {
      tgtMask: a.tgtMask,
      memoryMask: a.memoryMask,
      tgtKeyPaddingMask: a.tgtKeyPaddingMask,
      memoryKeyPaddingMask: a.memoryKeyPaddingMask,
      tgtIsCausal: a.tgtIsCausal,
      memoryIsCausal: a.memoryIsCausal,
    });
  }

  /**
   * The causal mask of a sequence of `sz`: -inf above the diagonal, 0 on and below it, so position
   * i attends to positions ≤ i. Args: sz, device, dtype (float32).
   */
  static generateSquareSubsequentMask(...args: ArgsOf<"torch.nn.Transformer.generate_square_subsequent_mask">): Tensor {
    const { sz, device, dtype } = bind("torch.nn.Transformer.generate_square_subsequent_mask", args);
    return full([sz, sz], -Infinity, { device: device ?? undefined, dtype: dtype ?? undefined }).triu(1);
  }
}
