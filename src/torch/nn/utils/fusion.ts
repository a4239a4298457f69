// Folding an eval-mode BatchNorm into the convolution or linear layer before it
// (torch/nn/utils/fusion.py): one layer computing bn(layer(x)).
import type { Tensor } from "../../tensor/tensor.js";
import { onesLike, zerosLike } from "../../tensor/creation.js";
import { Module, copyModule } from "../module.js";
import { Parameter } from "../parameter.js";
import { BatchNormNd } from "../batchnorm.js";
import { bind, type ArgsOf } from "../../binding/index.js";

interface WithWeightAndBias {
  weight: Tensor;
  bias: Tensor | null;
  training: boolean;
}

function batchNormOf(bn: Module, fn: string): BatchNormNd {
  if (!(bn instanceof BatchNormNd)) throw new TypeError(`${fn}(): bn must be a BatchNorm module, not ${bn.constructor.name}`);
  if (bn.runningMean === null || bn.runningVar === null) throw new Error(`${fn}(): the BatchNorm must track running statistics`);
  return bn;
}

/**
 * The weight and bias of a convolution followed by an eval-mode BatchNorm with the given
 * statistics and affine parameters (null: ones / zeros); `transpose` for a ConvTranspose's weight layout.
 */
export function fuseConvBnWeights(...args: ArgsOf<"torch.nn.utils.fuse_conv_bn_weights">): [Parameter, Parameter] {
  const a = bind("torch.nn.utils.fuse_conv_bn_weights", args);
  const convW = a.convW;
  const weightDtype = convW.dtype;
  const biasDtype = a.convB?.dtype ?? weightDtype;
  const convB = a.convB ?? zerosLike(a.bnRm);
  const bnW = a.bnW ?? onesLike(a.bnRm);
  const bnB = a.bnB ?? zerosLike(a.bnRm);
  const bnVarRsqrt = a.bnRv.add(a.bnEps).rsqrt();
  const ones = Array.from({ length: convW.dim() - 2 }, () => 1);
  const shape = a.transpose ? [1, -1, ...ones] : [-1, 1, ...ones];
  const fusedW = convW.mul(bnW.mul(bnVarRsqrt).reshape(shape)).to(weightDtype);
  const fusedB = convB.sub(a.bnRm).mul(bnVarRsqrt).mul(bnW).add(bnB).to(biasDtype);
  return [new Parameter(fusedW, convW.requiresGrad), new Parameter(fusedB, convB.requiresGrad)];
}

/** A copy of eval-mode `conv` computing bn(conv(x)) (`transpose` for a ConvTranspose). */
export function fuseConvBnEval(...args: ArgsOf<"torch.nn.utils.fuse_conv_bn_eval">): Module {
  const { conv, bn, transpose } = bind("torch.nn.utils.fuse_conv_bn_eval", args);
  const layer = conv as Module & WithWeightAndBias;
  if (layer.training || bn.training) throw new Error("Fusion only for eval!");
  const norm = batchNormOf(bn, "nn.utils.fuseConvBnEval");
  const fused = copyModule(layer);
  [fused.weight, fused.bias] = fuseConvBnWeights(fused.weight, fused.bias, norm.runningMean!, norm.runningVar!, norm.eps, norm.weight, norm.bias, transpose);
  return fused;
}

/** The weight and bias of a linear layer followed by an eval-mode BatchNorm (PyTorch 2.x). */
export function fuseLinearBnWeights(...args: ArgsOf<"torch.nn.utils.fuse_linear_bn_weights">): [Parameter, Parameter] {
  const a = bind("torch.nn.utils.fuse_linear_bn_weights", args);
  const weightDtype = a.linearW.dtype;
  const biasDtype = a.linearB?.dtype ?? weightDtype;
  const linearB = a.linearB ?? zerosLike(a.bnRm);
  const bnW = a.bnW ?? onesLike(a.bnRm);
  const bnB = a.bnB ?? zerosLike(a.bnRm);
  const bnScale = bnW.mul(a.bnRv.add(a.bnEps).rsqrt());
  const fusedW = a.linearW.mul(bnScale.unsqueeze(-1).to(weightDtype));
  const fusedB = linearB.sub(a.bnRm).mul(bnScale).add(bnB).to(biasDtype);
  return [new Parameter(fusedW, a.linearW.requiresGrad), new Parameter(fusedB, linearB.requiresGrad)];
}

/** A copy of eval-mode `linear` computing bn(linear(x)) (PyTorch 2.x). */
export function fuseLinearBnEval(...args: ArgsOf<"torch.nn.utils.fuse_linear_bn_eval">): Module {
  const { linear, bn } = bind("torch.nn.utils.fuse_linear_bn_eval", args);
  const layer = linear as Module & WithWeightAndBias & { outFeatures: number };
  if (layer.training || bn.training) throw new Error("Fusion only for eval!");
  const norm = batchNormOf(bn, "nn.utils.fuseLinearBnEval");
  if (layer.outFeatures !== norm.numFeatures && norm.numFeatures !== 1) {
    throw new Error("To fuse, linear.out_features == bn.num_features or bn.num_features == 1");
  }
  const fused = copyModule(layer);
  [fused.weight, fused.bias] = fuseLinearBnWeights(fused.weight, fused.bias, norm.runningMean!, norm.runningVar!, norm.eps, norm.weight, norm.bias);
  return fused;
}
