// nn.functional activations (element-wise and softmax family), each with Python's parameters.
import type { Tensor } from "../../tensor/tensor.js";
import * as ops from "../../generated/torch.js";
import { bind, type ArgsOf } from "../../binding/index.js";

/** max(0, x). `inplace` modifies the input. @example F.relu(x, true) */
export function relu(...args: ArgsOf<"torch.nn.functional.relu">): Tensor {
  const { input, inplace } = bind("torch.nn.functional.relu", args);
  return inplace ? ops.relu_(input) : ops.relu(input);
}
/** In-place relu. */
export function relu_(...args: ArgsOf<"torch.nn.functional.relu_">): Tensor {
  return ops.relu_(bind("torch.nn.functional.relu_", args).input);
}
/** min(max(0, x), 6). */
export function relu6(...args: ArgsOf<"torch.nn.functional.relu6">): Tensor {
  const { input, inplace } = bind("torch.nn.functional.relu6", args);
  return inplace ? ops.hardtanh_(input, 0, 6) : ops.hardtanh(input, 0, 6);
}
/** max(0, x) + negativeSlope · min(0, x). @example F.leakyRelu(x, 0.2) */
export function leakyRelu(...args: ArgsOf<"torch.nn.functional.leaky_relu">): Tensor {
  const { input, negativeSlope, inplace } = bind("torch.nn.functional.leaky_relu", args);
  return inplace ? ops.leakyRelu_(input, negativeSlope) : ops.leakyRelu(input, negativeSlope);
}
/** In-place leakyRelu. */
export function leakyRelu_(...args: ArgsOf<"torch.nn.functional.leaky_relu_">): Tensor {
  const { input, negativeSlope } = bind("torch.nn.functional.leaky_relu_", args);
  return ops.leakyRelu_(input, negativeSlope);
}
/** x if x > 0 else alpha · (eˣ − 1). */
export function elu(...args: ArgsOf<"torch.nn.functional.elu">): Tensor {
  const { input, alpha, inplace } = bind("torch.nn.functional.elu", args);
  return inplace ? ops.elu_(input, alpha) : ops.elu(input, alpha);
}
/** In-place elu. */
export function elu_(...args: ArgsOf<"torch.nn.functional.elu_">): Tensor {
  const { input, alpha } = bind("torch.nn.functional.elu_", args);
  return ops.elu_(input, alpha);
}
/** scale · elu(x, alpha) with the self-normalizing constants. */
export function selu(...args: ArgsOf<"torch.nn.functional.selu">): Tensor {
  const { input, inplace } = bind("torch.nn.functional.selu", args);
  return inplace ? ops.selu_(input) : ops.selu(input);
}
/** In-place selu. */
export function selu_(...args: ArgsOf<"torch.nn.functional.selu_">): Tensor {
  return ops.selu_(bind("torch.nn.functional.selu_", args).input);
}
/** max(0, x) + min(0, alpha · (e^(x/alpha) − 1)). */
export function celu(...args: ArgsOf<"torch.nn.functional.celu">): Tensor {
  const { input, alpha, inplace } = bind("torch.nn.functional.celu", args);
  return inplace ? ops.celu_(input, alpha) : ops.celu(input, alpha);
}
/** In-place celu. */
export function celu_(...args: ArgsOf<"torch.nn.functional.celu_">): Tensor {
  const { input, alpha } = bind("torch.nn.functional.celu_", args);
  return ops.celu_(input, alpha);
}
/** x · Φ(x); `approximate: "tanh"` for the tanh approximation. */
export function gelu(...args: ArgsOf<"torch.nn.functional.gelu">): Tensor {
  const { input, approximate } = bind("torch.nn.functional.gelu", args);
  return ops.gelu(input, { approximate });
}
/** x · sigmoid(x). */
export function silu(...args: ArgsOf<"torch.nn.functional.silu">): Tensor {
  const { input, inplace } = bind("torch.nn.functional.silu", args);
  return inplace ? ops.silu_(input) : ops.silu(input);
}
/** x · tanh(softplus(x)). */
export function mish(...args: ArgsOf<"torch.nn.functional.mish">): Tensor {
  const { input, inplace } = bind("torch.nn.functional.mish", args);
  return inplace ? ops.mish_(input) : ops.mish(input);
}
/** Clamps to [minVal, maxVal]. */
export function hardtanh(...args: ArgsOf<"torch.nn.functional.hardtanh">): Tensor {
  const { input, minVal, maxVal, inplace } = bind("torch.nn.functional.hardtanh", args);
  return inplace ? ops.hardtanh_(input, minVal, maxVal) : ops.hardtanh(input, minVal, maxVal);
}
/** In-place hardtanh. */
export function hardtanh_(...args: ArgsOf<"torch.nn.functional.hardtanh_">): Tensor {
  const { input, minVal, maxVal } = bind("torch.nn.functional.hardtanh_", args);
  return ops.hardtanh_(input, minVal, maxVal);
}
/** x · relu6(x + 3) / 6. */
export function hardswish(...args: ArgsOf<"torch.nn.functional.hardswish">): Tensor {
  const { input, inplace } = bind("torch.nn.functional.hardswish", args);
  return inplace ? ops.hardswish_(input) : ops.hardswish(input);
}
/** relu6(x + 3) / 6. */
export function hardsigmoid(...args: ArgsOf<"torch.nn.functional.hardsigmoid">): Tensor {
  const { input, inplace } = bind("torch.nn.functional.hardsigmoid", args);
  return inplace ? ops.hardsigmoid_(input) : ops.hardsigmoid(input);
}
/** 1 / (1 + e⁻ˣ). */
export function sigmoid(...args: ArgsOf<"torch.nn.functional.sigmoid">): Tensor {
  return ops.sigmoid(bind("torch.nn.functional.sigmoid", args).input);
}
/** Hyperbolic tangent. */
export function tanh(...args: ArgsOf<"torch.nn.functional.tanh">): Tensor {
  return ops.tanh(bind("torch.nn.functional.tanh", args).input);
}
/** log(1 + e^(beta·x)) / beta, linear above `threshold`. */
export function softplus(...args: ArgsOf<"torch.nn.functional.softplus">): Tensor {
  const { input, beta, threshold } = bind("torch.nn.functional.softplus", args);
  return ops.softplus(input, beta, threshold);
}
/** x / (1 + |x|). */
export function softsign(...args: ArgsOf<"torch.nn.functional.softsign">): Tensor {
  const { input } = bind("torch.nn.functional.softsign", args);
  return input.div(input.abs().add(1));
}
/** log(sigmoid(x)). */
export function logsigmoid(...args: ArgsOf<"torch.nn.functional.logsigmoid">): Tensor {
  return ops.logSigmoid(bind("torch.nn.functional.logsigmoid", args).input);
}
/** x − tanh(x). */
export function tanhshrink(...args: ArgsOf<"torch.nn.functional.tanhshrink">): Tensor {
  const { input } = bind("torch.nn.functional.tanhshrink", args);
  return input.sub(input.tanh());
}
/** x where |x| > lambd, else 0. */
export function hardshrink(...args: ArgsOf<"torch.nn.functional.hardshrink">): Tensor {
  const { input, lambd } = bind("torch.nn.functional.hardshrink", args);
  return ops.hardshrink(input, lambd);
}
/** x − lambd·sign(x) where |x| > lambd, else 0. */
export function softshrink(...args: ArgsOf<"torch.nn.functional.softshrink">): Tensor {
  const { input, lambd } = bind("torch.nn.functional.softshrink", args);
  return ops.softshrink(input, lambd);
}
/** x where x > threshold, else value. */
export function threshold(...args: ArgsOf<"torch.nn.functional.threshold">): Tensor {
  const { input, threshold: limit, value, inplace } = bind("torch.nn.functional.threshold", args);
  return inplace ? ops.threshold_(input, limit, value) : ops.threshold(input, limit, value);
}
/** In-place threshold. */
export function threshold_(...args: ArgsOf<"torch.nn.functional.threshold_">): Tensor {
  const { input, threshold: limit, value } = bind("torch.nn.functional.threshold_", args);
  return ops.threshold_(input, limit, value);
}
/** max(0, x) + weight · min(0, x), weight per channel (or one). */
export function prelu(...args: ArgsOf<"torch.nn.functional.prelu">): Tensor {
  const { input, weight } = bind("torch.nn.functional.prelu", args);
  return ops.prelu(input, weight);
}
/** Randomized leaky relu: slope drawn from U(lower, upper) when training, (lower + upper) / 2 otherwise. */
export function rrelu(...args: ArgsOf<"torch.nn.functional.rrelu">): Tensor {
  const { input, lower, upper, training, inplace } = bind("torch.nn.functional.rrelu", args);
  return inplace ? ops.rrelu_(input, lower, upper, training) : ops.rrelu(input, lower, upper, training);
}
/** In-place rrelu. */
export function rrelu_(...args: ArgsOf<"torch.nn.functional.rrelu_">): Tensor {
  const { input, lower, upper, training } = bind("torch.nn.functional.rrelu_", args);
  return ops.rrelu_(input, lower, upper, training);
}
/** Gated linear unit: a · sigmoid(b), the input split in halves along `dim`. */
export function glu(...args: ArgsOf<"torch.nn.functional.glu">): Tensor {
  const { input, dim } = bind("torch.nn.functional.glu", args);
  if (input.dim() === 0) throw new Error("nn.functional.glu(): glu does not support scalars because halving size must be even");
  return ops.glu(input, dim);
}

/** Python's implicit softmax dimension (deprecated there): 0 for 0-, 1- and 3-d inputs, else 1. */
function softmaxDim(input: Tensor, dim: number | null, fn: string): number {
  if (dim !== null) return dim;
  process.emitWarning(`Implicit dimension choice for ${fn} has been deprecated. Change the call to include dim=X as an argument.`);
  const n = input.dim();
  return n === 0 || n === 1 || n === 3 ? 0 : 1;
}
/**
 * Softmax along `dim`: exp(xᵢ) / Σⱼ exp(xⱼ). `dtype` casts the input first.
 *
 * @example
 * F.softmax(x, 1); F.softmax(x, { dim: 1 }); F.softmax(x, -1, "float64")
 */
export function softmax(...args: ArgsOf<"torch.nn.functional.softmax">): Tensor {
  const { input, dim, dtype } = bind("torch.nn.functional.softmax", args);
  return ops.softmax(input, softmaxDim(input, dim, "softmax"), dtype);
}
/** softmax(−x) along `dim`. */
export function softmin(...args: ArgsOf<"torch.nn.functional.softmin">): Tensor {
  const { input, dim, dtype } = bind("torch.nn.functional.softmin", args);
  return ops.softmax(input.neg(), softmaxDim(input, dim, "softmin"), dtype);
}
/** log(softmax(x)) along `dim`, computed stably. */
export function logSoftmax(...args: ArgsOf<"torch.nn.functional.log_softmax">): Tensor {
  const { input, dim, dtype } = bind("torch.nn.functional.log_softmax", args);
  return ops.logSoftmax(input, softmaxDim(input, dim, "log_softmax"), dtype);
}
/**
 * Samples from the Gumbel-softmax distribution: softmax((logits + g) / tau), g ~ Gumbel(0, 1) drawn
 * from the default generator; `hard` returns one-hot samples with the soft sample's gradient.
 */
export function gumbelSoftmax(...args: ArgsOf<"torch.nn.functional.gumbel_softmax">): Tensor {
  const { logits, tau, hard, dim } = bind("torch.nn.functional.gumbel_softmax", args);
  // As torch/nn/functional.py: -log(Exp(1)) noise, drawn with exponential_ on the logits' shape.
  const gumbels = logits.detach().clone().exponential_().log().neg();
  const soft = logits.add(gumbels).div(tau).softmax(dim);
  if (!hard) return soft;
  const index = soft.max(dim, true)[1];
  const hardOut = logits.detach().mul(0).scatter_(dim, index, 1.0);
  return hardOut.sub(soft.detach()).add(soft);
}
