// parameters_to_vector / vector_to_parameters (torch/nn/utils/convert_parameters.py): all
// parameters as one flat vector, and back.
import { Tensor, describe } from "../../tensor/tensor.js";
import { noGrad } from "../../tensor/runtime.js";
import * as ops from "../../generated/torch.js";
import { bind, type ArgsOf } from "../../binding/index.js";

function parameterList(parameters: unknown, fn: string): Tensor[] {
  if (parameters instanceof Tensor) throw new TypeError(`${fn}(): expected an iterable of Tensors, got a Tensor`);
  if (parameters === null || typeof parameters !== "object" || !(Symbol.iterator in parameters)) {
    throw new TypeError(`${fn}(): expected an iterable of Tensors, got ${describe(parameters)}`);
  }
  const list = Array.from(parameters as Iterable<unknown>);
  for (const p of list) if (!(p instanceof Tensor)) throw new TypeError(`${fn}(): expected Tensors, got ${describe(p)}`);
  return list as Tensor[];
}

function checkSameDevice(parameters: Tensor[]): void {
  const device = parameters[0]?.device;
  for (const p of parameters) {
    if (p.device !== device) throw new TypeError("Found two parameters on different devices, this is currently not supported.");
  }
}

/** One vector of every parameter's values, flattened in order (differentiable). */
export function parametersToVector(...args: ArgsOf<"torch.nn.utils.parameters_to_vector">): Tensor {
  const { parameters } = bind("torch.nn.utils.parameters_to_vector", args);
  const list = parameterList(parameters, "nn.utils.parametersToVector");
  checkSameDevice(list);
  return ops.cat(list.map((p) => p.view(-1)));
}

/** Copies consecutive slices of `vec` into the parameters, each reshaped to its parameter's shape. */
export function vectorToParameters(...args: ArgsOf<"torch.nn.utils.vector_to_parameters">): void {
  const { vec, parameters } = bind("torch.nn.utils.vector_to_parameters", args);
  const list = parameterList(parameters, "nn.utils.vectorToParameters");
  checkSameDevice(list);
  let pointer = 0;
  noGrad(() => {
    for (const p of list) {
      const n = p.numel();
      p.setData(vec.narrow(0, pointer, n).view(p.shape).detach());
      pointer += n;
    }
  });
}
