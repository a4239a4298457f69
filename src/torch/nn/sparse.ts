// Embedding: a lookup table of vectors.
import type { Tensor } from "../tensor/tensor.js";
import { empty } from "../tensor/creation.js";
import { noGrad } from "../tensor/runtime.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import * as F from "./functional.js";
import * as init from "./init.js";
import { checkPositiveInt, type FactoryOptions } from "./linear.js";

export interface EmbeddingOptions extends FactoryOptions {
  /** This row gets no gradient and is initialised to zeros (negative counts from the end). */
  paddingIdx?: number | null;
  /** Renormalize looked-up rows whose norm exceeds this. */
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
  /** Use this tensor as the weight instead of initialising one. */
  weight?: Tensor;
}

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

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    checkPositiveInt(numEmbeddings, "Embedding", "numEmbeddings");
    checkPositiveInt(embeddingDim, "Embedding", "embeddingDim");
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let paddingIdx = options.paddingIdx ?? null;
    if (paddingIdx !== null) {
      if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) throw new RangeError("Padding_idx must be within num_embeddings");
      if (paddingIdx < 0) paddingIdx += numEmbeddings;
    }
    this.paddingIdx = paddingIdx;
    this.maxNorm = options.maxNorm ?? null;
    this.normType = options.normType ?? 2;
    this.scaleGradByFreq = options.scaleGradByFreq ?? false;
    this.sparse = options.sparse ?? false;
    if (options.weight) {
      const shape = options.weight.shape;
      if (shape.length !== 2 || shape[0] !== numEmbeddings || shape[1] !== embeddingDim) {
        throw new Error("Shape of weight does not match num_embeddings and embedding_dim");
      }
      this.weight = new Parameter(options.weight);
    } else {
      this.weight = new Parameter(empty([numEmbeddings, embeddingDim], { device: options.device, dtype: options.dtype }));
      this.resetParameters();
    }
  }

  /** An Embedding holding `embeddings` (frozen unless `freeze: false`). */
  static fromPretrained(embeddings: Tensor, options: Omit<EmbeddingOptions, "weight"> & { freeze?: boolean } = {}): Embedding {
    const shape = embeddings.shape;
    if (shape.length !== 2) throw new Error("Embeddings parameter is expected to be 2-dimensional");
    const e = new Embedding(shape[0]!, shape[1]!, { ...options, weight: embeddings });
    e.weight.requiresGrad = !(options.freeze ?? true);
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
