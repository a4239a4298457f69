// torch.nn.utils.rnn: variable-length batches for the recurrent layers. A PackedSequence holds
// the time steps of sequences sorted by length, one batch per step (`batch_sizes`), so
// LSTM/GRU/RNN skip the padding; pack/pad convert between it and padded tensors.
import { Tensor, describe } from "../../tensor/tensor.js";
import type { DType } from "../../tensor/dtype.js";
import { arange, asTensor, emptyLike } from "../../tensor/creation.js";
import { aten } from "../../ops/aten.js";
import * as ops from "../../generated/torch.js";
import { bind, registerTypeCheck, type ArgsOf } from "../../binding/index.js";

/**
 * Holds the data and list of `batchSizes` of a packed sequence (torch.nn.utils.rnn.PackedSequence).
 * Made by `packPaddedSequence` / `packSequence`, never by hand in ordinary use; LSTM, GRU and RNN
 * take one as input and return one as output.
 *
 * Attributes: data (the packed steps, (sum of lengths, *)), batchSizes (int64 on the CPU: the
 * batch size at each time step), sortedIndices and unsortedIndices (how the batch was sorted by
 * decreasing length, or null when it was given sorted). Destructures as Python's namedtuple:
 * `const [data, batchSizes, sortedIndices, unsortedIndices] = packed`.
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batchSizes: Tensor;
  readonly sortedIndices: Tensor | null;
  readonly unsortedIndices: Tensor | null;

  constructor(...args: ArgsOf<"torch.nn.utils.rnn.PackedSequence">) {
    const a = bind("torch.nn.utils.rnn.PackedSequence", args);
    if (a.batchSizes === null) {
      throw new TypeError("nn.utils.rnn.PackedSequence(): batchSizes is required (make one with packPaddedSequence or packSequence)");
    }
    this.data = a.data;
    this.batchSizes = a.batchSizes;
    this.sortedIndices = a.sortedIndices === null ? null : a.sortedIndices.to(a.data.device);
    this.unsortedIndices = a.unsortedIndices ?? (this.sortedIndices === null ? null : invertPermutation(this.sortedIndices));
  }

  /** Python's field names, for code ported as is. */
  get batch_sizes(): Tensor {
    return this.batchSizes;
  }
  get sorted_indices(): Tensor | null {
    return this.sortedIndices;
  }
  get unsorted_indices(): Tensor | null {
    return this.unsortedIndices;
  }

  *[Symbol.iterator](): Generator<Tensor | null> {
    yield this.data;
    yield this.batchSizes;
    yield this.sortedIndices;
    yield this.unsortedIndices;
  }

  /** `data` moved or cast as `Tensor.to` does; the indices follow the device, batchSizes stays on the CPU. */
  to(...args: Parameters<Tensor["to"]>): PackedSequence {
    const data = this.data.to(...args);
    if (data === this.data) return this;
    const move = (t: Tensor | null): Tensor | null => (t === null ? null : t.to(data.device));
    return new PackedSequence(data, this.batchSizes, move(this.sortedIndices), move(this.unsortedIndices));
  }
  cuda(device = 0): PackedSequence {
    return this.to(`cuda:${device}`);
  }
  cpu(): PackedSequence {
    return this.to("cpu");
  }
  private cast(dtype: DType): PackedSequence {
    return this.to(dtype);
  }
  double(): PackedSequence {
    return this.cast("float64");
  }
  float(): PackedSequence {
    return this.cast("float32");
  }
  half(): PackedSequence {
    return this.cast("float16");
  }
  long(): PackedSequence {
    return this.cast("int64");
  }
  int(): PackedSequence {
    return this.cast("int32");
  }
  short(): PackedSequence {
    return this.cast("int16");
  }
  char(): PackedSequence {
    return this.cast("int8");
  }
  byte(): PackedSequence {
    return this.cast("uint8");
  }
  get isCuda(): boolean {
    return this.data.isCuda;
  }
  isPinned(): boolean {
    return this.data.isPinned();
  }
  pinMemory(): PackedSequence {
    return new PackedSequence(this.data.pinMemory(), this.batchSizes, this.sortedIndices, this.unsortedIndices);
  }

  toString(): string {
    return `PackedSequence(data=${this.data.toString()}, batch_sizes=${this.batchSizes.toString()}, ` +
      `sorted_indices=${String(this.sortedIndices)}, unsorted_indices=${String(this.unsortedIndices)})`;
  }
}

registerTypeCheck("PackedSequence", (v) => v instanceof PackedSequence);

/** The inverse of a permutation (`p[inv[i]] = i`), or null for null. */
export function invertPermutation(...args: ArgsOf<"torch.nn.utils.rnn.invert_permutation">): Tensor | null {
  const { permutation } = bind("torch.nn.utils.rnn.invert_permutation", args);
  if (permutation === null) return null;
  const output = emptyLike(permutation, { memoryFormat: "contiguous_format" });
  output.scatter_(0, permutation, arange(0, permutation.numel(), { device: permutation.device }));
  return output;
}

function int64Lengths(lengths: Tensor | readonly number[], fn: string): Tensor {
  if (lengths instanceof Tensor) return lengths.to("int64");
  if (!Array.isArray(lengths)) throw new TypeError(`${fn}(): lengths must be a Tensor or a list of ints, not ${describe(lengths)}`);
  return asTensor(lengths as number[], { dtype: "int64", device: "cpu" });
}

/**
 * Packs a padded batch of variable-length sequences.
 *
 * `input` is (T, B, *) ((B, T, *) with batchFirst); `lengths` the length of each sequence (a
 * list or a CPU int64 tensor). With enforceSorted (default) the sequences must be sorted by
 * decreasing length; otherwise they are sorted here and the order is restored on unpacking.
 */
export function packPaddedSequence(...args: ArgsOf<"torch.nn.utils.rnn.pack_padded_sequence">): PackedSequence {
  const a = bind("torch.nn.utils.rnn.pack_padded_sequence", args);
  let lengths = int64Lengths(a.lengths, "nn.utils.rnn.packPaddedSequence");
  let input = a.input;
  let sortedIndices: Tensor | null = null;
  if (!a.enforceSorted) {
    const [sortedLengths, indices] = ops.sort(lengths, { descending: true });
    lengths = sortedLengths;
    sortedIndices = indices.to(input.device);
    input = input.indexSelect(a.batchFirst ? 0 : 1, sortedIndices);
  }
  const [data, batchSizes] = aten._pack_padded_sequence!(input, lengths, a.batchFirst) as [Tensor, Tensor];
  return new PackedSequence(data, batchSizes, sortedIndices, null);
}

/**
 * Pads a packed batch back to a tensor: returns [padded (T, B, *) or (B, T, *), lengths (int64)],
 * in the batch's original order. `totalLength` pads to at least that many steps.
 */
export function padPackedSequence(...args: ArgsOf<"torch.nn.utils.rnn.pad_packed_sequence">): [Tensor, Tensor] {
  const a = bind("torch.nn.utils.rnn.pad_packed_sequence", args);
  const sequence = a.sequence as PackedSequence;
  let maxSeqLength = sequence.batchSizes.size(0);
  if (a.totalLength !== null) {
    if (a.totalLength < maxSeqLength) {
      throw new RangeError(
        "Expected total_length to be at least the length of the longest sequence in input, but got " +
          `total_length=${a.totalLength} and max sequence length being ${maxSeqLength}`,
      );
    }
    maxSeqLength = a.totalLength;
  }
  const [padded, lengths] = aten._pad_packed_sequence!(sequence.data, sequence.batchSizes, a.batchFirst, a.paddingValue, maxSeqLength) as [Tensor, Tensor];
  const unsorted = sequence.unsortedIndices;
  if (unsorted === null) return [padded, lengths];
  return [padded.indexSelect(a.batchFirst ? 0 : 1, unsorted), lengths.indexSelect(0, unsorted.cpu())];
}

/**
 * Stacks variable-length sequences (each (L_i, *)) into one tensor padded with `paddingValue`:
 * (T, B, *), or (B, T, *) with batchFirst; paddingSide "left" pads before each sequence.
 */
export function padSequence(...args: ArgsOf<"torch.nn.utils.rnn.pad_sequence">): Tensor {
  const a = bind("torch.nn.utils.rnn.pad_sequence", args);
  const sequences = a.sequences instanceof Tensor ? a.sequences.unbind(0) : [...a.sequences];
  if (a.paddingSide !== "right" && a.paddingSide !== "left") {
    throw new RangeError(`Expected padding_side to be one of left or right, but got ${a.paddingSide}.`);
  }
  if (a.paddingSide === "right") return ops.padSequence(sequences, a.batchFirst, a.paddingValue);
  // Left padding (a 2.x option) as right padding of the reversed sequences, reversed back.
  const reversed = ops.padSequence(sequences.map((s) => s.flip(0)), a.batchFirst, a.paddingValue);
  return reversed.flip(a.batchFirst ? 1 : 0);
}

/** Packs a list of variable-length sequences: packPaddedSequence(padSequence(sequences), lengths). */
export function packSequence(...args: ArgsOf<"torch.nn.utils.rnn.pack_sequence">): PackedSequence {
  const { sequences, enforceSorted } = bind("torch.nn.utils.rnn.pack_sequence", args);
  const lengths = asTensor(sequences.map((s) => s.size(0)), { dtype: "int64" });
  return packPaddedSequence(padSequence(sequences), lengths, { enforceSorted });
}

/** The sequences of a packed batch, each (L_i, *), in the batch's order. */
export function unpackSequence(...args: ArgsOf<"torch.nn.utils.rnn.unpack_sequence">): Tensor[] {
  const { packedSequences } = bind("torch.nn.utils.rnn.unpack_sequence", args);
  const [padded, lengths] = padPackedSequence(packedSequences as PackedSequence, { batchFirst: true });
  const counts = lengths.toArray() as number[];
  return padded.unbind(0).map((seq, i) => seq.narrow(0, 0, counts[i]!));
}

/**
 * The sequences of a padded batch ((T, B, *), or (B, T, *) with batchFirst), each cut to its
 * length. Python transposes the caller's tensor in place when not batchFirst; this does not.
 */
export function unpadSequence(...args: ArgsOf<"torch.nn.utils.rnn.unpad_sequence">): Tensor[] {
  const a = bind("torch.nn.utils.rnn.unpad_sequence", args);
  const padded = a.batchFirst ? a.paddedSequences : a.paddedSequences.transpose(0, 1);
  const lengths = a.lengths instanceof Tensor ? (a.lengths.toArray() as number[]) : [...a.lengths];
  return padded.unbind(0).map((seq, i) => seq.indexSelect(0, arange(lengths[i]!, { device: seq.device })));
}
