// The inference fast paths of torch/nn/modules/transformer.py, each libtorch version as its own
// Python: TransformerEncoderLayer's fused `_transformer_encoder_layer_fwd`, and TransformerEncoder's
// "sparsity fast path", which packs a padded batch into a nested tensor (padded positions come back
// as 0; torch 1.13 also trims the output to the longest sequence). Conditions and their order are
// Python's; a reason string names why a path is declined, as Python's `why_not_sparsity_fast_path`.
import { Tensor, describe } from "../tensor/tensor.js";
import { zerosLike } from "../tensor/creation.js";
import { isGradEnabled } from "../tensor/runtime.js";
import { aten } from "../ops/aten.js";
import { version } from "../version.js";
import type { Module } from "./module.js";
import type { MultiheadAttention } from "./activation.js";
import type { LayerNorm } from "./normalization.js";
import type { Linear } from "./linear.js";

const torch2 = (): boolean => version.major >= 2;

/** What the fast paths read of a TransformerEncoderLayer. */
export interface FastPathLayer extends Module {
  readonly selfAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly normFirst: boolean;
  /** Python's `activation_relu_or_gelu`: 1 relu, 2 gelu, 0 anything else. */
  readonly activationReluOrGelu: 0 | 1 | 2;
}

/** Python's check of a padding mask's dtype (1.13 in the module, 2.x in F._canonical_mask). */
export function checkMaskDtype(mask: Tensor | null, name: string): void {
  if (mask === null) return;
  if (!(mask instanceof Tensor)) throw new TypeError(`${name} must be a Tensor or null, got ${describe(mask)}`);
  if (mask.dtype !== "bool" && !mask.isFloatingPoint()) throw new Error(`only bool and floating types of ${name} are supported`);
}

/** torch 2.x's F._canonical_mask: a bool mask becomes a float one, -inf where it was true. */
export function canonicalMask(mask: Tensor | null, name: string, otherDtype: string | null, otherName: string, target: Tensor, checkOther = true): Tensor | null {
  if (mask === null) return null;
  checkMaskDtype(mask, name);
  if (checkOther && otherDtype !== null && mask.dtype !== otherDtype) {
    process.emitWarning(`Support for mismatched ${name} and ${otherName} is deprecated. Use same type for both instead.`, "UserWarning");
  }
  if (mask.isFloatingPoint()) return mask;
  return zerosLike(mask, { dtype: target.dtype }).maskedFill_(mask, -Infinity);
}

/** The thirteen tensors Python checks for device and requires_grad. */
function tensorArgs(src: Tensor, layer: FastPathLayer): Tensor[] {
  const a = layer.selfAttn;
  const all = [
    src, a.inProjWeight, a.inProjBias, a.outProj.weight, a.outProj.bias, layer.norm1.weight, layer.norm1.bias,
    layer.norm2.weight, layer.norm2.bias, layer.linear1.weight, layer.linear1.bias, layer.linear2.weight, layer.linear2.bias,
  ];
  return all.filter((t): t is Tensor => t instanceof Tensor);
}

const onCpuOrCuda = (t: Tensor): boolean => t.device === "cpu" || t.device.startsWith("cuda");

function tensorReason(src: Tensor, layer: FastPathLayer, allDevices: boolean): string {
  const args = tensorArgs(src, layer);
  if (allDevices ? !args.every(onCpuOrCuda) : !onCpuOrCuda(src)) return "some Tensor argument's device is neither one of cpu, cuda";
  if (isGradEnabled() && args.some((t) => t.requiresGrad)) {
    return "grad is enabled and at least one of query or the input/output projection weights or biases requires_grad";
  }
  return "";
}

/** Why Python's TransformerEncoderLayer.forward declines its fused path ("" when it takes it). */
export function whyNotLayerFastPath(layer: FastPathLayer, src: Tensor, srcMask: Tensor | null, keyPaddingMask: Tensor | null): string {
  const a = layer.selfAttn;
  const reason = (() => {
    if (src.dim() !== 3) return `input not batched; expected src.dim() of 3 but got ${src.dim()}`;
    if (layer.training) return "training is enabled";
    if (!a.batchFirst) return "self_attn.batch_first was not True";
    if (torch2() && a.inProjBias === null) return "self_attn was passed bias=False";
    if (a.inProjWeight === null) return "self_attn._qkv_same_embed_dim was not True";
    if (!layer.activationReluOrGelu) return "activation_relu_or_gelu was not True";
    if (layer.norm1.eps !== layer.norm2.eps) return "norm1.eps is not equal to norm2.eps";
    if (!torch2() && srcMask !== null) return "src_mask is not supported for fastpath";
    if (src.isNested && (keyPaddingMask !== null || (torch2() && srcMask !== null))) return "masks are not supported with NestedTensor input";
    if (a.numHeads % 2 === 1) return "num_head is odd";
    if (torch2() && [...layer.modules()].some((m) => m._hasForwardHooks())) return "forward pre-/hooks are attached to the module";
    return "";
  })();
  return reason || tensorReason(src, layer, true);
}

/** torch 2.x's MultiheadAttention.merge_masks: one mask and its type for the fused kernels. */
function mergeMasks(layer: FastPathLayer, attnMask: Tensor | null, keyPaddingMask: Tensor | null, query: Tensor): [Tensor | null, number | null] {
  let merged: Tensor | null = keyPaddingMask;
  let type: number | null = keyPaddingMask === null ? null : 1;
  if (attnMask !== null) {
    const [batch, seq] = query.shape as [number, number, number];
    const heads = layer.selfAttn.numHeads;
    const expanded = attnMask.dim() === 3 ? attnMask.view([batch, -1, seq, seq]) : attnMask.view([1, 1, seq, seq]).expand([batch, heads, -1, -1]);
    merged = keyPaddingMask === null ? expanded : expanded.add(keyPaddingMask.view([batch, 1, 1, seq]).expand([-1, heads, -1, -1]));
    type = 2;
  }
  return [merged, type];
}

/** The fused layer (`torch._transformer_encoder_layer_fwd`) with Python's arguments. */
export function layerFastForward(layer: FastPathLayer, src: Tensor, srcMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
  const a = layer.selfAttn;
  const [mask, maskType] = torch2() ? mergeMasks(layer, srcMask, keyPaddingMask, src) : [srcMask ?? keyPaddingMask, keyPaddingMask !== null ? 1 : srcMask !== null ? 0 : null];
  // By name: more arguments than an op call takes positionally.
  return aten._transformer_encoder_layer_fwd!(src, {
    embedDim: a.embedDim, numHeads: a.numHeads, qkvWeight: a.inProjWeight, qkvBias: a.inProjBias,
    projWeight: a.outProj.weight, projBias: a.outProj.bias, useGelu: layer.activationReluOrGelu === 2, normFirst: layer.normFirst,
    eps: layer.norm1.eps, normWeight1: layer.norm1.weight, normBias1: layer.norm1.bias, normWeight2: layer.norm2.weight,
    normBias2: layer.norm2.bias, ffnWeight1: layer.linear1.weight, ffnBias1: layer.linear1.bias, ffnWeight2: layer.linear2.weight,
    ffnBias2: layer.linear2.bias, mask, maskType,
  }) as Tensor;
}

/** torch 2.x's TransformerEncoder.__init__ check: why the encoder never packs its input. */
export function whyNotNestedAtAll(layer: unknown, isLayer: (x: unknown) => x is FastPathLayer): string {
  const name = "encoder_layer";
  if (!isLayer(layer)) return `${name} was not TransformerEncoderLayer`;
  const a = layer.selfAttn;
  if (layer.normFirst) return `${name}.norm_first was True`;
  if (!a.batchFirst) return `${name}.self_attn.batch_first was not True(use batch_first for better inference performance)`;
  if (a.inProjWeight === null) return `${name}.self_attn._qkv_same_embed_dim was not True`;
  if (a.inProjBias === null) return `${name}.self_attn was passed bias=False`;
  if (!layer.activationReluOrGelu) return `${name}.activation_relu_or_gelu was not True`;
  if (layer.norm1.eps !== layer.norm2.eps) return `${name}.norm1.eps was not equal to ${name}.norm2.eps`;
  if (a.numHeads % 2 === 1) return `${name}.self_attn.num_heads is odd`;
  return "";
}

/** What the encoder's sparsity path reads of the encoder. */
export interface FastPathEncoder {
  readonly enableNestedTensor: boolean;
  /** torch 2.x: whether the first layer allows packing at all (set in the constructor). */
  readonly useNestedTensor: boolean;
  readonly maskCheck: boolean;
}

/** Why Python's TransformerEncoder.forward does not pack its input into a nested tensor ("" when it does). */
export function whyNotSparsityFastPath(
  encoder: FastPathEncoder, first: unknown, isLayer: (x: unknown) => x is FastPathLayer, src: Tensor, mask: Tensor | null, keyPaddingMask: Tensor | null,
): string {
  const leftAligned = (m: Tensor): boolean => aten._nested_tensor_from_mask_left_aligned!(src, m.logicalNot()) as boolean;
  const reason = ((): string => {
    if (torch2()) {
      if (!encoder.useNestedTensor) return "self.use_nested_tensor (set in init) was not True";
      if (!isLayer(first)) return "self.layers[0] was not TransformerEncoderLayer";
      if (first.training) return "self.layers[0] was in training mode";
      if (src.dim() !== 3) return `input not batched; expected src.dim() of 3 but got ${src.dim()}`;
      if (keyPaddingMask === null) return "src_key_padding_mask was None";
      if (encoder.maskCheck && !leftAligned(keyPaddingMask)) return "mask_check enabled, and src and src_key_padding_mask was not left aligned";
      if (src.isNested) return "NestedTensor input is not supported";
      if (mask !== null) return "src_key_padding_mask and mask were both supplied";
      return "";
    }
    if (!isLayer(first)) return "self.layers[0] was not TransformerEncoderLayer";
    const a = first.selfAttn;
    if (first.normFirst) return "self.layers[0].norm_first was True";
    if (first.training) return "self.layers[0] was in training mode";
    if (!a.batchFirst) return " self.layers[0].self_attn.batch_first was not True";
    if (a.inProjWeight === null) return "self.layers[0].self_attn._qkv_same_embed_dim was not True";
    if (!first.activationReluOrGelu) return " self.layers[0].activation_relu_or_gelu was not True";
    if (first.norm1.eps !== first.norm2.eps) return "self.layers[0].norm1.eps was not equal to self.layers[0].norm2.eps";
    if (src.dim() !== 3) return `input not batched; expected src.dim() of 3 but got ${src.dim()}`;
    if (!encoder.enableNestedTensor) return "enable_nested_tensor was not True";
    if (keyPaddingMask === null) return "src_key_padding_mask was None";
    if (encoder.maskCheck && !leftAligned(keyPaddingMask)) return "mask_check enabled, and src and src_key_padding_mask was not left aligned";
    if (src.isNested) return "NestedTensor input is not supported";
    if (mask !== null) return "src_key_padding_mask and mask were both supplied";
    if (a.numHeads % 2 === 1) return "num_head is odd";
    return "";
  })();
  return reason || tensorReason(src, first as FastPathLayer, false);
}

/** The padded batch as a nested tensor of its unpadded sequences (`torch._nested_tensor_from_mask`). */
export function toNested(src: Tensor, keyPaddingMask: Tensor): Tensor {
  return aten._nested_tensor_from_mask!(src, keyPaddingMask.logicalNot(), { maskCheck: false }) as Tensor;
}

/** Back to a padded batch, zeros at padded positions: 2.x at `src`'s shape, 1.13 at the longest sequence. */
export function fromNested(output: Tensor, src: Tensor): Tensor {
  return (torch2() ? aten.to_padded_tensor!(output, 0.0, src.shape) : aten.to_padded_tensor!(output, 0.0)) as Tensor;
}
