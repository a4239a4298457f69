// nn.functional.multi_head_attention_forward: multi-head attention from explicit weights, the
// computation nn.MultiheadAttention runs (activation.ts's multiHeadAttentionCore).
import type { Tensor } from "../../tensor/tensor.js";
import { bindArgs } from "../../binding/index.js";
import { multiHeadAttentionCore } from "../activation.js";

interface Bound {
  query: Tensor;
  key: Tensor;
  value: Tensor;
  embedDimToCheck: number;
  numHeads: number;
  inProjWeight: Tensor | null;
  inProjBias: Tensor | null;
  biasK: Tensor | null;
  biasV: Tensor | null;
  addZeroAttn: boolean;
  dropoutP: number;
  outProjWeight: Tensor;
  outProjBias: Tensor | null;
  training: boolean;
  keyPaddingMask: Tensor | null;
  needWeights: boolean;
  attnMask: Tensor | null;
  useSeparateProjWeight: boolean;
  qProjWeight: Tensor | null;
  kProjWeight: Tensor | null;
  vProjWeight: Tensor | null;
  staticK: Tensor | null;
  staticV: Tensor | null;
  averageAttnWeights: boolean;
  isCausal?: boolean;
}

/**
 * Multi-head attention of (L, N, E) query and (S, N, E) key/value (unbatched (L, E) too) with the
 * given projections, as torch.nn.functional.multi_head_attention_forward: returns
 * `[attnOutput (L, N, E), attnWeights]` (weights averaged over heads unless `averageAttnWeights`
 * is false; null without `needWeights`). `staticK`/`staticV` and `isCausal` are not supported (a
 * TypeError unless left at their defaults).
 *
 * @example
 * const [out, w] = F.multiHeadAttentionForward(q, k, v, 4, 2, inW, inB, null, null, false, 0, outW, outB);
 */
export function multiHeadAttentionForward(...args: unknown[]): [Tensor, Tensor | null] {
  const a = bindArgs<Bound>("torch.nn.functional.multi_head_attention_forward", args);
  const fn = "nn.functional.multiHeadAttentionForward()";
  if (a.staticK !== null || a.staticV !== null) throw new TypeError(`${fn}: staticK/staticV are not supported`);
  if (a.isCausal === true) throw new TypeError(`${fn}: isCausal other than false is not supported; pass the causal mask as attnMask`);
  const embedDim = a.query.shape[a.query.dim() - 1]!;
  if (embedDim !== a.embedDimToCheck) throw new Error(`${fn}: was expecting embedding dimension of ${a.embedDimToCheck}, but got ${embedDim}`);
  const headDim = Math.floor(embedDim / a.numHeads);
  if (headDim * a.numHeads !== embedDim) throw new Error(`${fn}: embed_dim ${embedDim} not divisible by num_heads ${a.numHeads}`);
  if (a.useSeparateProjWeight) {
    if (a.qProjWeight === null || a.kProjWeight === null || a.vProjWeight === null) {
      throw new Error(`${fn}: useSeparateProjWeight is true but qProjWeight, kProjWeight or vProjWeight is null`);
    }
  } else if (a.inProjWeight === null) throw new Error(`${fn}: useSeparateProjWeight is false but inProjWeight is null`);
  return multiHeadAttentionCore(
    a.query,
    a.key,
    a.value,
    {
      embedDim,
      numHeads: a.numHeads,
      headDim,
      addZeroAttn: a.addZeroAttn,
      dropout: a.dropoutP,
      training: a.training,
      inProjWeight: a.useSeparateProjWeight ? null : a.inProjWeight,
      qProjWeight: a.qProjWeight,
      kProjWeight: a.kProjWeight,
      vProjWeight: a.vProjWeight,
      inProjBias: a.inProjBias,
      biasK: a.biasK,
      biasV: a.biasV,
      outProj: { weight: a.outProjWeight, bias: a.outProjBias },
    },
    { keyPaddingMask: a.keyPaddingMask, needWeights: a.needWeights, attnMask: a.attnMask, averageAttnWeights: a.averageAttnWeights },
  );
}
