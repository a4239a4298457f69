// nn.functional and the loss modules against Python PyTorch: values and input gradients of the
// losses (label smoothing, ignoreIndex, class weights, probabilities as targets, batchmean),
// and argument checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, decode, fixture, type Encoded } from "./fixtures/nn/compare.js";
import { readFileSync } from "node:fs";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

const F = nn.functional;

interface LossCase {
  fn: string;
  args: Encoded[];
  options: Record<string, unknown>;
  value: Encoded;
  inputGrad: Encoded;
}

type LossFn = (input: Tensor, target: Tensor, options: Record<string, unknown>) => Tensor;
const fns: Record<string, LossFn> = {
  crossEntropy: F.crossEntropy as LossFn,
  nllLoss: F.nllLoss as LossFn,
  mseLoss: F.mseLoss as LossFn,
  l1Loss: F.l1Loss as LossFn,
  smoothL1Loss: F.smoothL1Loss as LossFn,
  huberLoss: F.huberLoss as LossFn,
  binaryCrossEntropy: F.binaryCrossEntropy as LossFn,
  binaryCrossEntropyWithLogits: F.binaryCrossEntropyWithLogits as LossFn,
  klDiv: F.klDiv as LossFn,
};

function isEncoded(v: unknown): v is Encoded {
  return typeof v === "object" && v !== null && "shape" in v && "data" in v;
}

const cases = fixture<LossCase[]>("losses.json");
cases.forEach((c, i) => {
  test(`F.${c.fn} #${i} ${JSON.stringify(Object.keys(c.options))}: value and input gradient match PyTorch`, () => {
    const input = decode(c.args[0]!, { requiresGrad: true });
    const target = decode(c.args[1]!);
    const options = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, isEncoded(v) ? decode(v) : v]));
    const value = fns[c.fn]!(input, target, options);
    assertClose(value, c.value, "value");
    value.backward(torch.onesLike(value));
    assertClose(input.grad, c.inputGrad, "input grad");
  });
});

test("loss modules equal their functional forms, weights are buffers in the state dict", () => {
  torch.manualSeed(3);
  const logits = torch.randn([5, 4]);
  const target = torch.tensor([0, 3, 1, 1, 2]);
  const weight = torch.tensor([1, 2, 0.5, 1], { dtype: "float32" });
  const ce = new nn.CrossEntropyLoss({ weight, labelSmoothing: 0.1, reduction: "sum" });
  assert.equal(ce.forward(logits, target).item(), F.crossEntropy(logits, target, { weight, labelSmoothing: 0.1, reduction: "sum" }).item());
  assert.deepEqual(Object.keys(ce.stateDict()), ["weight"]);
  assert.deepEqual(Object.keys(new nn.CrossEntropyLoss().stateDict()), []);
  assert.deepEqual(Object.keys(new nn.BCEWithLogitsLoss({ posWeight: torch.ones([4]) }).stateDict()), ["pos_weight"]);
  const x = torch.randn([3, 2]);
  const y = torch.randn([3, 2]);
  assert.equal(new nn.MSELoss().forward(x, y).item(), F.mseLoss(x, y).item());
  assert.equal(new nn.L1Loss({ reduction: "sum" }).forward(x, y).item(), F.l1Loss(x, y, { reduction: "sum" }).item());
  assert.equal(new nn.SmoothL1Loss({ beta: 0.5 }).call(x, y).item(), F.smoothL1Loss(x, y, { beta: 0.5 }).item());
  const logp = F.logSoftmax(x, 1);
  const q = F.softmax(y, 1);
  assert.equal(new nn.KLDivLoss({ reduction: "batchmean" }).forward(logp, q).item(), F.klDiv(logp, q, { reduction: "batchmean" }).item());
  assert.equal(new nn.NLLLoss().forward(logp, torch.tensor([0, 1, 1])).item(), F.nllLoss(logp, torch.tensor([0, 1, 1])).item());
});

test("bad arguments are clear errors", () => {
  const x = torch.randn([2, 3]);
  assert.throws(() => F.crossEntropy(x, torch.tensor([0, 1]), { reduction: "avg" as "mean" }), /avg is not a valid value for reduction/);
  assert.throws(() => F.crossEntropy(x, torch.tensor([0, 1]), { labelSmoothing: 1.5 }), /label_smoothing must be between 0\.0 and 1\.0/);
  assert.throws(() => F.crossEntropy(x, [0, 1] as unknown as Tensor), /argument 'target' must be Tensor/);
  assert.throws(() => F.binaryCrossEntropy(torch.rand([2, 3]), torch.rand([3])), /target size \(\[3\]\) that is different to the input size \(\[2, 3\]\)/);
  assert.throws(() => F.dropout(x, { p: 1.5 }), /dropout probability has to be between 0 and 1/);
  assert.throws(() => new nn.MSELoss({ reduction: "bogus" as "sum" }), /bogus is not a valid value/);
  assert.throws(() => new nn.BatchNorm1d(3).forward(torch.randn([1, 3])), /Expected more than 1 value per channel when training/);
  assert.throws(() => new nn.BatchNorm2d(3).forward(torch.randn([2, 3])), /expected 4D input \(got 2D input\)/);
  assert.throws(() => new nn.Linear(0.5, 2), { name: "TypeError", message: /nn.Linear\(\): argument 'inFeatures' must be int/ });
  assert.throws(() => new nn.Linear(0, 2), /inFeatures must be a positive integer/);
  assert.throws(() => new nn.Conv2d(3, 4, 3, { groups: 2 }), /in_channels must be divisible by groups/);
  assert.throws(() => new nn.MultiheadAttention(6, 4), /embed_dim must be divisible by num_heads/);
});

test("functional layer: activations, softmax family, dropout modes, normalize, embedding, pad, oneHot", () => {
  const x = torch.tensor([[-1, 0, 2]], { dtype: "float32" });
  assert.deepEqual(F.relu(x).toArray(), [[0, 0, 2]]);
  assert.deepEqual(F.relu6(torch.tensor([[-1, 7]], { dtype: "float32" })).toArray(), [[0, 6]]);
  assert.deepEqual(F.leakyRelu(x, 0.5).toArray(), [[-0.5, 0, 2]]);
  assert.ok(Math.abs((F.softmax(x, 1).sum().item() as number) - 1) < 1e-6);
  const ls = F.logSoftmax(x, 1).toArray() as number[][];
  const sm = F.softmax(x, 1).toArray() as number[][];
  ls[0]!.forEach((v, i) => assert.ok(Math.abs(Math.exp(v) - sm[0]![i]!) < 1e-6));
  assert.ok(Math.abs((F.gelu(torch.tensor([1], { dtype: "float32" })).item() as number) - 0.8413447) < 1e-6);
  assert.ok(Math.abs((F.silu(torch.tensor([1], { dtype: "float32" })).item() as number) - 0.7310586) < 1e-6);
  const ones = torch.ones([1000]);
  assert.deepEqual(F.dropout(ones, { p: 0.5, training: false }).toArray(), ones.toArray());
  const dropped = F.dropout(ones, { p: 0.5 }).toArray() as number[];
  assert.ok(dropped.every((v) => v === 0 || v === 2));
  assert.ok(dropped.some((v) => v === 0) && dropped.some((v) => v === 2));
  const n = F.normalize(torch.tensor([[3, 4]], { dtype: "float32" }));
  assert.deepEqual(n.toArray(), [[0.6000000238418579, 0.800000011920929]]);
  const w = torch.arange(6, { dtype: "float32" }).reshape([3, 2]);
  assert.deepEqual(F.embedding(torch.tensor([2, 0]), w).toArray(), [[4, 5], [0, 1]]);
  const capped = new nn.Embedding(3, 2, { maxNorm: 1 });
  capped.forward(torch.tensor([0, 2])).sum().backward();
  const norms = capped.weight.detach().norm(2, 1).toArray() as number[];
  assert.ok(norms[0]! <= 1 + 1e-6 && norms[2]! <= 1 + 1e-6, `renormalized rows: ${norms}`);
  assert.deepEqual(F.pad(torch.ones([1, 2]), [1, 0], { value: 7 }).toArray(), [[7, 1, 1]]);
  assert.deepEqual(F.oneHot(torch.tensor([0, 2]), 3).toArray(), [[1, 0, 0], [0, 0, 1]]);
  assert.deepEqual(F.linear(torch.ones([1, 2]), torch.ones([3, 2]), torch.ones([3])).toArray(), [[3, 3, 3]]);
  const [pooled, idx] = F.maxPool2dWithIndices(torch.arange(16, { dtype: "float32" }).reshape([1, 1, 4, 4]), 2);
  assert.deepEqual(pooled.toArray(), [[[[5, 7], [13, 15]]]]);
  assert.equal(idx.dtype, "int64");
});

test("Dropout follows train()/eval(); the same seed gives Python's mask (see layers fixtures)", () => {
  const d = new nn.Dropout(0.5);
  const x = torch.ones([64]);
  assert.ok((d.forward(x).toArray() as number[]).some((v) => v === 0));
  d.eval();
  assert.deepEqual(d.forward(x).toArray(), x.toArray());
});

// Functions added on the binder, against Python 1.13 on deterministic inputs (scripts/fixtures/functional.py).
test("added functional and init functions equal Python's values", () => {
  const values = JSON.parse(readFileSync(pythonFixturePath("functional", "values.json"), "utf8")) as Record<string, { shape: number[]; values: number[] }>;
  const data = (shape: number[], offset = 0, scale = 1): Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    return torch.arange(0, n, 1, { dtype: "float64" }).mul(0.7).add(offset).sin().mul(scale).reshape(shape);
  };
  const F = nn.functional;
  const x4 = data([2, 3, 6, 6]);
  const x3 = data([2, 3, 8]);
  const [pooled, indices] = F.maxPool2dWithIndices(x4, 2);
  const [p1, i1] = F.maxPool1dWithIndices(x3, 2);
  const theta = data([2, 2, 3], 0, 0.5);
  const grid = F.affineGrid(theta, [2, 3, 4, 4], false);
  const w = torch.empty([4, 2, 3, 3], { dtype: "float64" });
  nn.init.dirac_(w, 2);
  const ours: Record<string, Tensor> = {
    unfold: F.unfold(x4, 2, 1, 0, 2),
    fold: F.fold(data([2, 12, 9]), [4, 4], 2, 1, 0, 1),
    lp_pool2d: F.lpPool2d(x4.abs(), 2.0, 2),
    lp_pool1d: F.lpPool1d(x3.abs(), 3.0, 2, 1),
    max_unpool2d: F.maxUnpool2d(pooled, indices, 2),
    max_unpool1d: F.maxUnpool1d(p1, i1, 2),
    local_response_norm: F.localResponseNorm(x4, 3),
    local_response_norm_3d: F.localResponseNorm(x3, 2),
    tanhshrink: F.tanhshrink(x3),
    softshrink: F.softshrink(x3, 0.3),
    hardshrink: F.hardshrink(x3, 0.3),
    pdist: F.pdist(data([4, 3]), 1.5),
    pixel_unshuffle: F.pixelUnshuffle(data([1, 2, 4, 4]), 2),
    channel_shuffle: F.channelShuffle(data([1, 4, 2, 2]), 2),
    gaussian_nll_loss: F.gaussianNllLoss(x3, data([2, 3, 8], 1), data([2, 3, 8], 2).abs().add(0.1), true),
    multilabel_soft_margin_loss: F.multilabelSoftMarginLoss(data([3, 4]), data([3, 4], 1).gt(0).double()),
    triplet_margin_with_distance_loss: F.tripletMarginWithDistanceLoss(data([3, 4]), data([3, 4], 1), data([3, 4], 2), { swap: true }),
    poisson_nll_loss: F.poissonNllLoss(data([3, 4]), data([3, 4], 1).abs()),
    multi_margin_loss: F.multiMarginLoss(data([3, 4]), torch.tensor([0, 3, 1], { dtype: "int64" }), 2, 0.5),
    affine_grid: grid,
    grid_sample: F.gridSample(data([2, 3, 5, 5]), grid, "bilinear", "border", false),
    embedding_bag: F.embeddingBag(torch.tensor([0, 2, 1, 3, 2], { dtype: "int64" }), data([4, 3]), torch.tensor([0, 2], { dtype: "int64" }), { mode: "max" }),
    interpolate_area: F.interpolate(x4, { scaleFactor: 0.5, mode: "area" }),
    dirac_: w,
  };
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(values).sort());
  for (const [name, expected] of Object.entries(values)) {
    const got = ours[name]!;
    assert.deepEqual(got.shape, expected.shape, `${name}: shape`);
    const flat = Array.from(got.double().contiguous().toTypedArray() as Float64Array);
    flat.forEach((v, i) => assert.ok(Math.abs(v - expected.values[i]!) <= 1e-9 * (1 + Math.abs(expected.values[i]!)), `${name}[${i}]: ${v} vs Python ${expected.values[i]}`));
  }
});
