// RMSNorm (torch.nn.RMSNorm, PyTorch 2.x; here on every version): root-mean-square layer
// normalisation, computed as aten's composite rms_norm.
import type { Tensor } from "../tensor/tensor.js";
import { empty } from "../tensor/creation.js";
import { Module, pyFloat } from "./module.js";
import { Parameter } from "./parameter.js";
import * as init from "./init.js";
import { factoryOf } from "./linear.js";
import { bind, type ArgsOf } from "../binding/index.js";

/** torch.finfo(dtype).eps of the floating dtypes RMSNorm meets. */
const EPSILON: Record<string, number> = { float64: 2 ** -52, float32: 2 ** -23, float16: 2 ** -10, bfloat16: 2 ** -7 };

/**
 * Root-mean-square layer normalisation (torch.nn.RMSNorm, Zhang & Sennrich 2019):
 * y = x / √(mean(x²) + eps) · γ, the mean over the last `normalizedShape` dimensions.
 *
 * Args (positionally or by name, in Python's order): normalizedShape (int or list), eps (null:
 * the input dtype's machine epsilon), elementwiseAffine (true: a weight of ones), device, dtype.
 *
 * Shape: Input (N, *); Output the same. State dict: weight.
 */
export class RMSNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number | null;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;

  constructor(...args: ArgsOf<"torch.nn.RMSNorm">) {
    super();
    const o = bind("torch.nn.RMSNorm", args);
    this.normalizedShape = typeof o.normalizedShape === "number" ? [o.normalizedShape] : [...o.normalizedShape];
    this.eps = o.eps;
    this.elementwiseAffine = o.elementwiseAffine;
    this.weight = o.elementwiseAffine ? new Parameter(empty(this.normalizedShape, factoryOf(o))) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.weight) init.ones_(this.weight);
  }

  override forward(input: Tensor): Tensor {
    const n = this.normalizedShape.length;
    const tail = input.shape.slice(input.dim() - n);
    if (input.dim() < n || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new Error(`RMSNorm: expected an input of shape [*, ${this.normalizedShape.join(", ")}], got [${input.shape.join(", ")}]`);
    }
    const eps = this.eps ?? EPSILON[input.dtype] ?? EPSILON.float32!;
    const dims = Array.from({ length: n }, (_, i) => input.dim() - n + i);
    const out = input.mul(input.pow(2).mean(dims, true).add(eps).rsqrt());
    return this.weight ? out.mul(this.weight) : out;
  }

  override extraRepr(): string {
    const shape = this.normalizedShape.length === 1 ? `(${this.normalizedShape[0]},)` : `(${this.normalizedShape.join(", ")})`;
    return `${shape}, eps=${this.eps === null ? "None" : pyFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? "True" : "False"}`;
  }
}
