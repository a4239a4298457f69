// Transformer encoder: TransformerEncoderLayer and TransformerEncoder.
import type { Tensor } from "../tensor/tensor.js";
import { Module, copyModule } from "./module.js";
import { Linear, type FactoryOptions } from "./linear.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./normalization.js";
import { MultiheadAttention } from "./activation.js";
import { ModuleList } from "./container.js";
import * as F from "./functional.js";

export interface TransformerEncoderLayerOptions extends FactoryOptions {
  /** Width of the feedforward network. Default: 2048. */
  dimFeedforward?: number;
  /** Default: 0.1. */
  dropout?: number;
  /** "relu" (default), "gelu", or a function. */
  activation?: "relu" | "gelu" | ((x: Tensor) => Tensor);
  layerNormEps?: number;
  /** Inputs as (batch, seq, feature). Default: false. */
  batchFirst?: boolean;
  /** Layer norm before attention and feedforward (pre-LN). Default: false. */
  normFirst?: boolean;
}

export interface EncoderCallOptions {
  /** (S, S) attention mask. */
  srcMask?: Tensor | null;
  /** (N, S): true marks padding positions. */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * One layer of a transformer encoder, self-attention then feedforward
 * (torch.nn.TransformerEncoderLayer, "Attention Is All You Need").
 *
 * Args: dModel, nhead; options dimFeedforward (2048), dropout (0.1), activation ("relu"),
 * layerNormEps (1e-5), batchFirst (false), normFirst (false).
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

  constructor(dModel: number, nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super();
    const factory = { device: options.device, dtype: options.dtype };
    const p = options.dropout ?? 0.1;
    const ff = options.dimFeedforward ?? 2048;
    const eps = options.layerNormEps ?? 1e-5;
    this.stateKeys({ selfAttn: "self_attn" });
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: options.batchFirst ?? false, ...factory });
    this.linear1 = new Linear(dModel, ff, factory);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel, factory);
    this.normFirst = options.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps, ...factory });
    this.norm2 = new LayerNorm(dModel, { eps, ...factory });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    const activation = options.activation ?? "relu";
    if (typeof activation === "function") this.activation = activation;
    else if (activation === "relu") this.activation = (x) => F.relu(x);
    else if (activation === "gelu") this.activation = (x) => F.gelu(x);
    else throw new Error(`activation should be relu/gelu, not ${String(activation)}`);
  }

  override forward(src: Tensor, options: EncoderCallOptions = {}): Tensor {
    let x = src;
    if (this.normFirst) {
      x = x.add(this.selfAttentionBlock(this.norm1.forward(x), options));
      x = x.add(this.feedForwardBlock(this.norm2.forward(x)));
    } else {
      x = this.norm1.forward(x.add(this.selfAttentionBlock(x, options)));
      x = this.norm2.forward(x.add(this.feedForwardBlock(x)));
    }
    return x;
  }

  private selfAttentionBlock(x: Tensor, options: EncoderCallOptions): Tensor {
    const [out] = this.selfAttn.call(x, x, x, {
      attnMask: options.srcMask ?? null,
      keyPaddingMask: options.srcKeyPaddingMask ?? null,
      needWeights: false,
    });
    return this.dropout1.forward(out);
  }

  private feedForwardBlock(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }
}

/**
 * A stack of `numLayers` copies of `encoderLayer` (torch.nn.TransformerEncoder); the copies
 * start with the same weights, as PyTorch's deepcopy. An optional final `norm`.
 *
 * Shape: as the layer. State dict: layers.0.self_attn.in_proj_weight, ..., norm.*.
 */
export class TransformerEncoder extends Module {
  layers: ModuleList<TransformerEncoderLayer>;
  readonly numLayers: number;
  norm: Module | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options: { norm?: Module | null } = {}) {
    super();
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => copyModule(encoderLayer)));
    this.numLayers = numLayers;
    this.norm = options.norm ?? null;
  }

  override forward(src: Tensor, options: EncoderCallOptions = {}): Tensor {
    let x = src;
    for (const layer of this.layers) x = layer.call(x, options);
    if (this.norm) x = (this.norm as LayerNorm).call(x);
    return x;
  }
}
