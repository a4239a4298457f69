// torch.nn.utils.rnn against Python: padding, packing (sorted and not), unpacking, and LSTM /
// GRU / RNN on a PackedSequence (output, final state, parameter and input gradients) with the
// weights of Python's state dict. Fixtures: scripts/fixtures/nn_utils.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, decode, type Encoded } from "./fixtures/nn/compare.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";
import { version } from "../src/torch/version.js";

const { rnn } = nn.utils;
const read = <T>(name: string): T => JSON.parse(readFileSync(pythonFixturePath("nn_utils", name), "utf8")) as T;

type Packed = Record<"data" | "batch_sizes" | "sorted_indices" | "unsorted_indices", Encoded | null>;
interface RnnUtils {
  sequences: Encoded[];
  pad: Encoded;
  pad_batch_first: Encoded;
  pad_left?: Encoded;
  packed: Packed;
  unpacked: Encoded;
  unpacked_lengths: Encoded;
  pack_sequence: Packed;
  invert_permutation: Encoded;
  pack_grad: Encoded;
}
const u = read<RnnUtils>("rnn_utils.json");
const sequences = (): Tensor[] => u.sequences.map((s) => decode(s));

function assertPacked(actual: nn.utils.rnn.PackedSequence, expected: Packed, what: string): void {
  assertClose(actual.data, expected.data!, `${what} data`);
  assert.deepEqual(actual.batchSizes.toArray(), expected.batch_sizes!.data, `${what} batchSizes`);
  assert.equal(actual.batchSizes.dtype, "int64");
  for (const [key, value] of [["sorted_indices", actual.sortedIndices], ["unsorted_indices", actual.unsortedIndices]] as const) {
    const want = expected[key];
    if (want === null) assert.equal(value, null, `${what} ${key}`);
    else assert.deepEqual(value?.toArray(), want.data, `${what} ${key}`);
  }
}

test("padSequence pads as Python (time-major, batch-first with a padding value, left padding)", () => {
  assertClose(rnn.padSequence(sequences()), u.pad, "pad", 0, 0);
  assertClose(rnn.padSequence(sequences(), true, -1), u.pad_batch_first, "batch first", 0, 0);
  assertClose(rnn.padSequence(sequences(), { batchFirst: true, paddingValue: -1 }), u.pad_batch_first, "by name", 0, 0);
  if (u.pad_left) assertClose(rnn.padSequence(sequences(), { batchFirst: true, paddingSide: "left" }), u.pad_left, "left", 0, 0);
  assert.throws(() => rnn.padSequence(sequences(), { paddingSide: "middle" }), /padding_side/);
  assert.throws(() => rnn.padSequence(sequences(), false, 0, "right", 1), /positional argument/);
});

test("packPaddedSequence / padPackedSequence (enforceSorted false) equal Python's, order restored", () => {
  const padded = rnn.padSequence(sequences(), true);
  const packed = rnn.packPaddedSequence(padded, torch.tensor([4, 2, 3]), true, false);
  assertPacked(packed, u.packed, "packed");
  const fromList = rnn.packPaddedSequence(padded, [4, 2, 3], { batchFirst: true, enforceSorted: false });
  assertPacked(fromList, u.packed, "lengths as a list");
  const [unpacked, lengths] = rnn.padPackedSequence(packed, { batchFirst: true, paddingValue: -2, totalLength: 5 });
  assertClose(unpacked, u.unpacked, "unpacked", 0, 0);
  assert.deepEqual(lengths.toArray(), u.unpacked_lengths.data);
  assert.throws(() => rnn.padPackedSequence(packed, true, 0, 3), /total_length=3 and max sequence length being 4/);
  assert.throws(() => rnn.packPaddedSequence(padded, [2, 4, 3], true), /sorted|decreasing/i, "unsorted lengths with enforceSorted");
  const [data, batchSizes, sortedIndices, unsortedIndices] = packed;
  assert.equal(data, packed.data);
  assert.equal(batchSizes, packed.batchSizes);
  assert.equal(sortedIndices, packed.sortedIndices);
  assert.equal(unsortedIndices, packed.unsortedIndices);
});

test("packSequence (sorted), unpackSequence, unpadSequence and invertPermutation", () => {
  const seqs = sequences();
  const ordered = [seqs[0]!, seqs[2]!, seqs[1]!];
  const packed = rnn.packSequence(ordered);
  assertPacked(packed, u.pack_sequence, "packSequence");
  const back = rnn.unpackSequence(rnn.packSequence(seqs, false));
  back.forEach((s, i) => assertClose(s, u.sequences[i]!, `unpacked ${i}`, 0, 0));
  const unpadded = rnn.unpadSequence(rnn.padSequence(seqs), torch.tensor([4, 2, 3]));
  unpadded.forEach((s, i) => assertClose(s, u.sequences[i]!, `unpadded ${i}`, 0, 0));
  const unpaddedFirst = rnn.unpadSequence(rnn.padSequence(seqs, true), [4, 2, 3], true);
  unpaddedFirst.forEach((s, i) => assertClose(s, u.sequences[i]!, `unpadded batch-first ${i}`, 0, 0));
  assert.deepEqual(rnn.invertPermutation(torch.tensor([2, 0, 1]))!.toArray(), u.invert_permutation.data);
  assert.equal(rnn.invertPermutation(null), null);
});

test("gradients flow through packing and unpacking as in Python", () => {
  const x = rnn.padSequence(sequences(), true).detach();
  x.requiresGrad = true;
  const [y] = rnn.padPackedSequence(rnn.packPaddedSequence(x, [4, 2, 3], true, false));
  y.mul(torch.arange(1, 1 + y.numel()).view(y.shape)).sum().backward();
  assertClose(x.grad, u.pack_grad, "grad", 0, 0);
});

test("PackedSequence: to()/double() keep the batch sizes, the constructor needs them", () => {
  const packed = rnn.packSequence(sequences(), false);
  const double = packed.double();
  assert.equal(double.data.dtype, "float64");
  assert.equal(double.batchSizes, packed.batchSizes);
  assert.equal(packed.to("float32"), packed, "no change returns the same PackedSequence");
  assert.throws(() => new rnn.PackedSequence(packed.data), /batchSizes is required/);
  const copy = new rnn.PackedSequence(packed.data, packed.batchSizes, packed.sortedIndices);
  assert.deepEqual(copy.unsortedIndices!.toArray(), packed.unsortedIndices!.toArray(), "unsorted indices from the sorted ones");
});

interface RnnCase {
  state: Record<string, Encoded>;
  keys: string[];
  inputs: Encoded[];
  enforce_sorted: boolean;
  h0?: Encoded;
  output: Packed;
  h_n: Encoded;
  c_n?: Encoded;
  grads: Record<string, Encoded>;
  input_grads: Encoded[];
}
const cases = read<Record<string, RnnCase>>("packed_rnns.json");
const makers: Record<string, () => nn.RNNBase> = {
  LSTM: () => new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true }),
  GRU: () => new nn.GRU(3, 4, { batchFirst: true }),
  RNN: () => new nn.RNN(3, 4, { nonlinearity: "relu" }),
  LSTM_proj: () => new nn.LSTM(3, 5, { projSize: 2 }),
  GRU_sorted: () => new nn.GRU(3, 4, 2, { bidirectional: true }),
};

for (const [name, c] of Object.entries(cases)) {
  test(`${name} on a PackedSequence (enforceSorted ${c.enforce_sorted}) gives Python's output, state and gradients`, () => {
    const model = makers[name]!();
    assert.deepEqual(Object.keys(model.stateDict()), c.keys);
    model.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)])));
    const xs = c.inputs.map((s) => decode(s, { requiresGrad: true }));
    const packed = rnn.packSequence(xs, c.enforce_sorted);
    const h0 = c.h0 ? decode(c.h0) : undefined;
    let output: nn.utils.rnn.PackedSequence;
    let loss: Tensor;
    if (model instanceof nn.LSTM) {
      const [out, [h, cell]] = model.forward(packed);
      output = out;
      assertClose(h, c.h_n, "h_n");
      assertClose(cell, c.c_n!, "c_n");
      loss = out.data.mul(out.data).sum().add(h.sum()).add(cell.sum().mul(2));
    } else {
      const [out, h] = (model as nn.GRU).forward(packed, h0);
      output = out;
      assertClose(h, c.h_n, "h_n");
      loss = out.data.mul(out.data).sum().add(h.sum());
    }
    assert.ok(output instanceof rnn.PackedSequence);
    assertPacked(output, c.output, "output");
    loss.backward();
    for (const [key, p] of model.namedParameters()) assertClose(p.grad, c.grads[key]!, `grad ${key}`);
    xs.forEach((x, i) => assertClose(x.grad, c.input_grads[i]!, `input grad ${i}`));
  });
}

test("recurrent layers bind their forward arguments: packed input with hx by name, too many positionals refused", () => {
  const gru = new nn.GRU(3, 4);
  const packed = rnn.packSequence(sequences(), false);
  const h0 = torch.zeros([1, 3, 4]);
  const [a, ha] = gru.forward(packed, h0);
  const [b, hb] = (gru.forward as (...x: unknown[]) => [nn.utils.rnn.PackedSequence, Tensor])(packed, { hx: h0 });
  assert.equal(a.data.sub(b.data).abs().max().item(), 0);
  assert.equal(ha.sub(hb).abs().max().item(), 0);
  assert.throws(() => (gru.forward as (...x: unknown[]) => unknown)(packed, h0, 1), /nn.GRU.forward\(\): takes from 1 to 2 positional arguments/);
  assert.throws(() => (gru.forward as (...x: unknown[]) => unknown)(42), /argument 'input' must be/);
  const [viaCall] = gru.call(packed); // typed: a PackedSequence in, a PackedSequence out
  assert.equal(viaCall.data.sub(a.data).abs().max().item(), 0);
  const [out] = gru.call(rnn.padSequence(sequences()));
  assert.deepEqual(out.shape, [4, 3, 4], "a padded tensor still works through call()");
  assert.ok(version.major >= 1);
});
