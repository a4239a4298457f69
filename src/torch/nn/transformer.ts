// Transformer encoder: TransformerEncoderLayer and TransformerEncoder.
import type { Tensor } from "../tensor/tensor.js";
import { Module, copyModule } from "./module.js";
import { Linear, factoryOf, checkPositiveInt } from "./linear.js";
import { bind, type ArgsOf } from "../binding/index.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./normalization.js";
import { MultiheadAttention } from "./activation.js";
import { ModuleList } from "./container.js";
import * as F from "./functional.js";

/** Python's activation argument: "relu", "gelu", or a function of one tensor. */
function activationOf(activation: unknown, layer: string): (x: Tensor) => Tensor {
  if (typeof activation === "function") return activation as (x: Tensor) => Tensor;
  if (activation === "relu") return (x) => F.relu(x);
  if (activation === "gelu") return (x) => F.gelu(x);
  throw new Error(`${layer}: activation should be relu/gelu, not ${String(activation)}`);
}

/**
 * One layer of a transformer encoder, self-attention then feedforward
 * (torch.nn.TransformerEncoderLayer, "Attention Is All You Need").
 *
 * Args (positionally or by name, in Python's order): dModel, nhead, dimFeedforward (2048),
 * dropout (0.1), activation ("relu" | "gelu" | a function), layerNormEps (1e-5), batchFirst
 * (false), normFirst (false), device, dtype.
 *
 * forward(src, srcMask?, srcKeyPaddingMask?), positionally or by name.
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

  constructor(...args: ArgsOf<"torch.nn.TransformerEncoderLayer">) {
    super();
    const options = bind("torch.nn.TransformerEncoderLayer", args);
    const { dModel, nhead, dimFeedforward: ff, dropout: p, layerNormEps: eps } = options;
    const factory = factoryOf(options);
    this.stateKeys({ selfAttn: "self_attn" });
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: options.batchFirst, ...factory });
    this.linear1 = new Linear(dModel, ff, factory);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel, factory);
    this.normFirst = options.normFirst;
    this.norm1 = new LayerNorm(dModel, { eps, ...factory });
    this.norm2 = new LayerNorm(dModel, { eps, ...factory });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    // Python's default is the function F.relu, which the signature table binds as undefined.
    this.activation = activationOf(options.activation ?? "relu", "TransformerEncoderLayer");
  }

  override forward(...args: ArgsOf<"torch.nn.TransformerEncoderLayer.forward">): Tensor {
    const { src, srcMask, srcKeyPaddingMask } = bind("torch.nn.TransformerEncoderLayer.forward", args);
    const options = { srcMask, srcKeyPaddingMask };
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

  private selfAttentionBlock(x: Tensor, options: { srcMask: Tensor | null; srcKeyPaddingMask: Tensor | null }): Tensor {
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
 * Args: encoderLayer, numLayers, norm (null), enableNestedTensor and maskCheck (Python's fast-path
 * switches: accepted, values are the same either way).
 *
 * forward(src, mask?, srcKeyPaddingMask?), positionally or by name as Python's
 * (`encoder.forward(src, { mask })`).
 *
 * Shape: as the layer. State dict: layers.0.self_attn.in_proj_weight, ..., norm.*.
 */
export class TransformerEncoder extends Module {
  layers: ModuleList<TransformerEncoderLayer>;
  readonly numLayers: number;
  norm: Module | null;

  constructor(...args: ArgsOf<"torch.nn.TransformerEncoder">) {
    super();
    const { encoderLayer, numLayers, norm } = bind("torch.nn.TransformerEncoder", args);
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new TypeError("TransformerEncoder(): argument 'encoderLayer' must be a TransformerEncoderLayer");
    }
    checkPositiveInt(numLayers, "TransformerEncoder", "numLayers", true);
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => copyModule(encoderLayer)));
    this.numLayers = numLayers;
    this.norm = norm;
  }

  override forward(...args: ArgsOf<"torch.nn.TransformerEncoder.forward">): Tensor {
    const { src, mask, srcKeyPaddingMask } = bind("torch.nn.TransformerEncoder.forward", args);
    let x = src;
    for (const layer of this.layers) x = layer.call(x, mask, srcKeyPaddingMask);
    if (this.norm) x = (this.norm as LayerNorm).call(x);
    return x;
  }
}
