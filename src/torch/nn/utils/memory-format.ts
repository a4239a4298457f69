// convert_conv2d/3d_weight_memory_format (torch/nn/utils/memory_format.py): the weights of a
// model's convolutions laid out in a memory format (channels_last) so cuDNN picks NHWC kernels.
import type { Tensor } from "../../tensor/tensor.js";
import { aten } from "../../ops/aten.js";
import { Module } from "../module.js";
import { Conv2d, Conv3d, ConvTranspose2d, ConvTranspose3d } from "../conv.js";
import { bind, type ArgsOf } from "../../binding/index.js";
import type { AfterModule } from "./module-args.js";

function convert(module: Module, memoryFormat: string, isTarget: (m: Module) => boolean): Module {
  if (isTarget(module)) {
    const weight = (module as unknown as { weight: Tensor }).weight;
    const data = aten.contiguous!(weight.detach().clone(), { memoryFormat }) as Tensor;
    weight.setData(data.resize_(data.shape, { memoryFormat: memoryFormat as "channels_last" }));
  }
  for (const child of module.children()) convert(child, memoryFormat, isTarget);
  return module;
}

/** Lays out the weight of every Conv2d/ConvTranspose2d in `module` in `memoryFormat` ("channels_last"). Returns the module. */
export function convertConv2dWeightMemoryFormat<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.convert_conv2d_weight_memory_format">): M;
export function convertConv2dWeightMemoryFormat(...args: ArgsOf<"torch.nn.utils.convert_conv2d_weight_memory_format">): Module {
  const { module, memoryFormat } = bind("torch.nn.utils.convert_conv2d_weight_memory_format", args);
  return convert(module, memoryFormat, (m) => m instanceof Conv2d || m instanceof ConvTranspose2d);
}

/** Lays out the weight of every Conv3d/ConvTranspose3d in `module` in `memoryFormat` ("channels_last_3d"; PyTorch 2.x). */
export function convertConv3dWeightMemoryFormat<M extends Module>(module: M, ...rest: AfterModule<"torch.nn.utils.convert_conv3d_weight_memory_format">): M;
export function convertConv3dWeightMemoryFormat(...args: ArgsOf<"torch.nn.utils.convert_conv3d_weight_memory_format">): Module {
  const { module, memoryFormat } = bind("torch.nn.utils.convert_conv3d_weight_memory_format", args);
  return convert(module, memoryFormat, (m) => m instanceof Conv3d || m instanceof ConvTranspose3d);
}
