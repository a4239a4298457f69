// Embedding and EmbeddingBag: lookup tables of vectors.
import type { Tensor } from "../tensor/tensor.js";
import { arange, empty } from "../tensor/creation.js";
import { noGrad } from "../tensor/runtime.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import * as F from "./functional.js";
import * as init from "./init.js";
import { checkPositiveInt, factoryOf } from "./linear.js";
import * as ops from "../generated/torch.js";
import { bind, bindArgs, type ArgsOf } from "../binding/index.js";

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (torch.nn.Embedding).
 *
 * Shape: Input (*) integer indices; Output (*, embeddingDim).
 *
 * Attributes: weight (numEmbeddings, embeddingDim), initialised from N(0, 1) (the paddingIdx
 * row zeroed).
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly sparse: boolean;
  weight: Parameter;

  constructor(...args: ArgsOf<"torch.nn.Embedding">) {
    super();
    const options = bind("torch.nn.Embedding", args);
    const { numEmbeddings, embeddingDim } = options;
    checkPositiveInt(numEmbeddings, "Embedding", "numEmbeddings");
    checkPositiveInt(embeddingDim, "Embedding", "embeddingDim");
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let paddingIdx = options.paddingIdx;
    if (paddingIdx !== null) {
      if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) throw new RangeError("Padding_idx must be within num_embeddings");
      if (paddingIdx < 0) paddingIdx += numEmbeddings;
    }
    this.paddingIdx = paddingIdx;
    this.maxNorm = options.maxNorm;
    this.normType = options.normType;
    this.scaleGradByFreq = options.scaleGradByFreq;
    this.sparse = options.sparse;
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim], factoryOf(options)));
    this.resetParameters();
  }

  /**
   * An Embedding holding `embeddings` (Python's Embedding.from_pretrained): frozen unless
   * `freeze` is false. Args: embeddings (V, D), freeze (true), paddingIdx, maxNorm, normType (2),
   * scaleGradByFreq (false), sparse (false).
   */
  static fromPretrained(...args: [embeddings: Tensor, ...rest: unknown[]]): Embedding {
    const a = bindArgs<{
      embeddings: Tensor;
      freeze: boolean;
      paddingIdx: number | null;
      maxNorm: number | null;
      normType: number;
      scaleGradByFreq: boolean;
      sparse: boolean;
    }>("torch.nn.Embedding.from_pretrained", args);
    const shape = a.embeddings.shape;
    if (shape.length !== 2) throw new Error("Embeddings parameter is expected to be 2-dimensional");
    const e = new Embedding(shape[0]!, shape[1]!, a.paddingIdx, a.maxNorm, a.normType, a.scaleGradByFreq, a.sparse);
    e.weight = new Parameter(a.embeddings, !a.freeze);
    return e;
  }

  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => this.weight.select(0, row).fill_(0));
    }
  }

  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, {
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
      sparse: this.sparse,
    });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${this.maxNorm}`;
    if (this.normType !== 2) s += `, norm_type=${this.normType}`;
    if (this.scaleGradByFreq) s += ", scale_grad_by_freq=True";
    if (this.sparse) s += ", sparse=True";
    return s;
  }
}

/**
 * Sums, averages or takes the max of bags of embeddings without building the intermediate
 * lookups (torch.nn.EmbeddingBag).
 *
 * Args: numEmbeddings, embeddingDim, maxNorm, normType (2), scaleGradByFreq (false), mode
 * ("mean" | "sum" | "max"), sparse (false), includeLastOffset (false), paddingIdx, device, dtype.
 *
 * forward(input, offsets?, perSampleWeights?): a 2-d input (B, N) is B bags of N indices; a 1-d
 * input is split into bags at `offsets`. Output (B, embeddingDim).
 */
export class EmbeddingBag extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly mode: "sum" | "mean" | "max";
  readonly sparse: boolean;
  readonly includeLastOffset: boolean;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(...args: ArgsOf<"torch.nn.EmbeddingBag">) {
    super();
    const a = bind("torch.nn.EmbeddingBag", args);
    checkPositiveInt(a.numEmbeddings, "EmbeddingBag", "numEmbeddings");
    checkPositiveInt(a.embeddingDim, "EmbeddingBag", "embeddingDim");
    if (a.mode !== "sum" && a.mode !== "mean" && a.mode !== "max") throw new Error(`EmbeddingBag: mode has to be one of sum, mean or max, got '${a.mode}'`);
    this.numEmbeddings = a.numEmbeddings;
    this.embeddingDim = a.embeddingDim;
    this.maxNorm = a.maxNorm;
    this.normType = a.normType;
    this.scaleGradByFreq = a.scaleGradByFreq;
    this.mode = a.mode;
    this.sparse = a.sparse;
    this.includeLastOffset = a.includeLastOffset;
    let paddingIdx = a.paddingIdx;
    if (paddingIdx !== null) {
      if (paddingIdx >= a.numEmbeddings || paddingIdx < -a.numEmbeddings) throw new RangeError("padding_idx must be within num_embeddings");
      if (paddingIdx < 0) paddingIdx += a.numEmbeddings;
    }
    this.paddingIdx = paddingIdx;
    this.weight = new Parameter(empty([a.numEmbeddings, a.embeddingDim], factoryOf(a)));
    this.resetParameters();
  }

  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => this.weight.select(0, row).fill_(0));
    }
  }

  override forward(input: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    if (perSampleWeights !== null && this.mode !== "sum") {
      throw new Error(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${this.mode}')`);
    }
    let indices = input;
    let bagOffsets = offsets;
    let weights = perSampleWeights;
    if (input.dim() === 2) {
      if (offsets !== null) throw new Error("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences");
      const [bags, length] = input.shape as [number, number];
      bagOffsets = arange(0, bags * length, length, { dtype: input.dtype, device: input.device });
      indices = input.reshape(-1);
      if (weights !== null) weights = weights.reshape(-1);
    } else if (input.dim() === 1) {
      if (offsets === null) throw new Error("offsets has to be a 1D Tensor but got None");
      if (offsets.dim() !== 1) throw new Error("offsets has to be a 1D Tensor");
    } else {
      throw new Error(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.dim()}`);
    }
    if (this.maxNorm !== null) {
      const maxNorm = this.maxNorm;
      noGrad(() => ops.embeddingRenorm_(this.weight, indices, maxNorm, this.normType));
    }
    const mode = this.mode === "sum" ? 0 : this.mode === "mean" ? 1 : 2;
    const [out] = ops.embeddingBag(
      this.weight,
      indices,
      bagOffsets!,
      this.scaleGradByFreq,
      mode,
      this.sparse,
      weights,
      this.includeLastOffset,
      this.paddingIdx,
    );
    return out;
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.maxNorm !== null) s += `, max_norm=${this.maxNorm}`;
    if (this.normType !== 2) s += `, norm_type=${this.normType}`;
    if (this.scaleGradByFreq) s += ", scale_grad_by_freq=True";
    s += `, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
