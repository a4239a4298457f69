// AdaptiveLogSoftmaxWithLoss (torch/nn/modules/adaptive.py): the efficient softmax approximation
// of Grave et al. (2016) for large output spaces.
import type { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { Module, pyFloat } from "./module.js";
import { Linear, checkPositiveInt, factoryOf } from "./linear.js";
import { ModuleList, Sequential } from "./container.js";
import { bind, type ArgsOf } from "../binding/index.js";

/** What forward returns: Python's named tuple `_ASMoutput(output, loss)`, by index or by name. */
export type ASMOutput = [output: Tensor, loss: Tensor] & { readonly output: Tensor; readonly loss: Tensor };

function asmOutput(output: Tensor, loss: Tensor): ASMOutput {
  const out = [output, loss] as [Tensor, Tensor];
  Object.defineProperty(out, "output", { value: output, enumerable: false });
  Object.defineProperty(out, "loss", { value: loss, enumerable: false });
  return out as ASMOutput;
}

/**
 * Adaptive softmax (torch.nn.AdaptiveLogSoftmaxWithLoss): frequent classes (below the first
 * cutoff) in a head, the rest in tail clusters of decreasing projection size (inFeatures /
 * divValue^(i+1)), each reached through one extra head output.
 *
 * Args (positionally or by name, in Python's order): inFeatures, nClasses, cutoffs (increasing,
 * each in 1..nClasses-1), divValue (4.0), headBias (false), device, dtype.
 *
 * forward(input, target) returns `[output, loss]` (also `.output`, `.loss`): the target's log
 * probability per example and the mean negative log likelihood. `logProb(input)` gives every
 * class's log probability, `predict(input)` the most likely class.
 *
 * Shape: input (N, inFeatures) or (inFeatures); target (N) or (); output (N) or (); logProb (N, nClasses).
 *
 * State dict: head.weight, tail.<i>.0.weight, tail.<i>.1.weight.
 */
export class AdaptiveLogSoftmaxWithLoss extends Module {
  readonly inFeatures: number;
  readonly nClasses: number;
  /** The cutoffs given, then nClasses. */
  readonly cutoffs: number[];
  readonly divValue: number;
  readonly headBias: boolean;
  readonly shortlistSize: number;
  readonly nClusters: number;
  readonly headSize: number;
  head: Linear;
  tail: ModuleList<Sequential>;

  constructor(...args: ArgsOf<"torch.nn.AdaptiveLogSoftmaxWithLoss">) {
    super();
    const options = bind("torch.nn.AdaptiveLogSoftmaxWithLoss", args);
    const { inFeatures, nClasses, divValue, headBias } = options;
    checkPositiveInt(inFeatures, "AdaptiveLogSoftmaxWithLoss", "inFeatures");
    checkPositiveInt(nClasses, "AdaptiveLogSoftmaxWithLoss", "nClasses");
    const cutoffs = [...options.cutoffs];
    const sorted = cutoffs.every((c, i) => i === 0 || cutoffs[i - 1]! < c);
    if (cutoffs.length === 0 || !sorted || cutoffs[0]! <= 0 || cutoffs[cutoffs.length - 1]! > nClasses - 1 || cutoffs.some((c) => !Number.isInteger(c))) {
      throw new Error(
        "cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where each value is between 1 and n_classes-1",
      );
    }
    this.inFeatures = inFeatures;
    this.nClasses = nClasses;
    this.cutoffs = [...cutoffs, nClasses];
    this.divValue = divValue;
    this.headBias = headBias;
    this.shortlistSize = this.cutoffs[0]!;
    this.nClusters = this.cutoffs.length - 1;
    this.headSize = this.shortlistSize + this.nClusters;
    const factory = factoryOf(options);
    this.head = new Linear(inFeatures, this.headSize, { bias: headBias, ...factory });
    this.tail = new ModuleList<Sequential>();
    for (let i = 0; i < this.nClusters; i++) {
      const hsz = Math.floor(inFeatures / divValue ** (i + 1));
      const osz = this.cutoffs[i + 1]! - this.cutoffs[i]!;
      this.tail.append(new Sequential(new Linear(inFeatures, hsz, { bias: false, ...factory }), new Linear(hsz, osz, { bias: false, ...factory })));
    }
  }

  resetParameters(): void {
    this.head.resetParameters();
    for (const projection of this.tail) for (const layer of projection) (layer as Linear).resetParameters();
  }

  override forward(...args: ArgsOf<"torch.nn.AdaptiveLogSoftmaxWithLoss.forward">): ASMOutput {
    const { input_, target_ } = bind("torch.nn.AdaptiveLogSoftmaxWithLoss.forward", args);
    const targetDim = target_.dim();
    if (targetDim === 1) {
      if (input_.size(0) !== target_.size(0)) throw new Error("Input and target should have the same size in the batch dimension.");
      if (input_.dim() !== 2) throw new Error(`1D target tensor expects 2D input tensors, but found inputs with size [${input_.shape.join(", ")}]`);
    } else if (targetDim === 0) {
      if (input_.dim() !== 1) throw new Error(`0D target tensor expects 1D input tensors, but found inputs with size [${input_.shape.join(", ")}]`);
    } else {
      throw new Error("0D or 1D target tensor expected, multi-target not supported");
    }
    const batched = targetDim > 0;
    const input = batched ? input_ : input_.unsqueeze(0);
    const target = batched ? target_ : target_.unsqueeze(0);
    const batchSize = target.size(0);
    let output = input.newZeros([batchSize]);
    let gatherInds = target.newEmpty([batchSize]);
    const cutoffValues = [0, ...this.cutoffs];
    let usedRows = 0;
    for (let i = 0; i < cutoffValues.length - 1; i++) {
      const low = cutoffValues[i]!;
      const high = cutoffValues[i + 1]!;
      const mask = target.ge(low).logicalAnd(target.lt(high));
      const rows = mask.nonzero().view(-1);
      if (rows.numel() === 0) continue;
      if (i === 0) {
        gatherInds = gatherInds.indexCopy(0, rows, target.maskedSelect(mask));
      } else {
        const relativeTarget = target.maskedSelect(mask).sub(low);
        const clusterOutput = this.tail.at(i - 1).call(input.indexSelect(0, rows));
        gatherInds = gatherInds.indexFill(0, rows, this.shortlistSize + i - 1);
        const local = clusterOutput.logSoftmax(1).gather(1, relativeTarget.unsqueeze(1));
        output = output.indexCopy(0, rows, local.squeeze(1));
      }
      usedRows += rows.numel();
    }
    if (usedRows !== batchSize) {
      throw new Error(
        `Target values should be in [0, ${this.nClasses - 1}], but values in range [${String(target.min().item())}, ${String(target.max().item())}] were found. `,
      );
    }
    const headLogprob = this.head.call(input).logSoftmax(1);
    output = output.add(headLogprob.gather(1, gatherInds.unsqueeze(1)).squeeze());
    const loss = output.neg().mean();
    return asmOutput(batched ? output : output.squeeze(0), loss);
  }

  /** Every class's log probability from the head's and the clusters' (Python's _get_full_log_prob). */
  private fullLogProb(input: Tensor, headOutput: Tensor): Tensor {
    const headLogprob = headOutput.logSoftmax(1);
    const parts = [headLogprob.narrow(1, 0, this.shortlistSize)];
    for (let i = 0; i < this.nClusters; i++) {
      const clusterLogprob = this.tail.at(i).call(input).logSoftmax(1);
      parts.push(clusterLogprob.add(headLogprob.select(1, this.shortlistSize + i).unsqueeze(1)));
    }
    return ops.cat(parts, 1);
  }

  /** The log probability of every class. Shape: (N, inFeatures) -> (N, nClasses). */
  logProb(...args: ArgsOf<"torch.nn.AdaptiveLogSoftmaxWithLoss.log_prob">): Tensor {
    const { input } = bind("torch.nn.AdaptiveLogSoftmaxWithLoss.log_prob", args);
    return this.fullLogProb(input, this.head.call(input));
  }

  /** The most likely class of each example: logProb(input).argmax(1), cheaper when the head decides. */
  predict(...args: ArgsOf<"torch.nn.AdaptiveLogSoftmaxWithLoss.predict">): Tensor {
    const { input } = bind("torch.nn.AdaptiveLogSoftmaxWithLoss.predict", args);
    const headOutput = this.head.call(input);
    const output = headOutput.argmax(1);
    const notInShortlist = output.ge(this.shortlistSize);
    if (!notInShortlist.any().item()) return output;
    if (notInShortlist.all().item()) return this.fullLogProb(input, headOutput).argmax(1);
    const logProb = this.fullLogProb(input.idx([notInShortlist]), headOutput.idx([notInShortlist]));
    output.idxPut_([notInShortlist], logProb.argmax(1));
    return output;
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, n_classes=${this.nClasses}, cutoffs=[${this.cutoffs.join(", ")}], div_value=${pyFloat(this.divValue)}`;
  }
}
