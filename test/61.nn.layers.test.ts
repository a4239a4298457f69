// Layers against Python PyTorch: the same seed gives the same initial state (PyTorch's default
// initialisations, drawn from libtorch's generator), forward outputs, input and parameter
// gradients, and buffers after the step (BatchNorm running stats). Fixtures:
// scripts/fixtures/nn.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, decode, fixture, type Encoded } from "./fixtures/nn/compare.js";

interface LayerCase {
  name: string;
  seed: number;
  mode: "train" | "eval";
  state: Record<string, Encoded>;
  parameterNames: string[];
  inputs: Encoded[];
  outputs: Encoded[];
  gradOutput: Encoded;
  inputGrads: (Encoded | null)[];
  paramGrads: Record<string, Encoded>;
  stateAfter: Record<string, Encoded>;
}

const makers: Record<string, () => nn.Module> = {
  Linear: () => new nn.Linear(5, 3),
  LinearNoBias: () => new nn.Linear(5, 3, { bias: false }),
  Bilinear: () => new nn.Bilinear(3, 4, 2),
  Conv1d: () => new nn.Conv1d(3, 4, 3, { stride: 2, padding: 1 }),
  Conv2d: () => new nn.Conv2d(3, 4, [3, 2], { stride: [2, 1], padding: [1, 0] }),
  Conv2dGroupsSame: () => new nn.Conv2d(4, 4, 3, { padding: "same", groups: 2, bias: false }),
  Conv2dReflect: () => new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: "reflect" }),
  Conv3d: () => new nn.Conv3d(2, 3, 2, { stride: 1, padding: 1 }),
  ConvTranspose2d: () => new nn.ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  MaxPool2d: () => new nn.MaxPool2d(2, { stride: 2 }),
  MaxPool2dPadCeil: () => new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
  AvgPool2d: () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
  AvgPool1d: () => new nn.AvgPool1d(2),
  AdaptiveAvgPool2d: () => new nn.AdaptiveAvgPool2d([2, 3]),
  AdaptiveMaxPool2d: () => new nn.AdaptiveMaxPool2d(2),
  BatchNorm1dTrain: () => new nn.BatchNorm1d(4),
  BatchNorm2dTrain: () => new nn.BatchNorm2d(3, { momentum: 0.2 }),
  BatchNorm2dEval: () => new nn.BatchNorm2d(3),
  BatchNorm1dCumulative: () => new nn.BatchNorm1d(3, { momentum: null, affine: false }),
  LayerNorm: () => new nn.LayerNorm([4, 5]),
  InstanceNorm1d: () => new nn.InstanceNorm1d(3),
  InstanceNorm2dTracked: () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }),
  UpsampleNearest: () => new nn.Upsample({ scaleFactor: 2 }),
  UpsampleBilinear: () => new nn.Upsample({ size: [5, 7], mode: "bilinear", alignCorners: true }),
  UpsampleBicubic: () => new nn.Upsample({ scaleFactor: 1.5, mode: "bicubic" }),
  GroupNorm: () => new nn.GroupNorm(2, 4),
  Embedding: () => new nn.Embedding(10, 4, { paddingIdx: 1 }),
  Dropout: () => new nn.Dropout(0.3),
  DropoutEval: () => new nn.Dropout(0.3),
  RNN: () => new nn.RNN(4, 5, { numLayers: 2 }),
  RNNReluBatchFirst: () => new nn.RNN(4, 3, { nonlinearity: "relu", batchFirst: true }),
  LSTM: () => new nn.LSTM(4, 5, { numLayers: 2, bidirectional: true }),
  GRU: () => new nn.GRU(4, 5, { batchFirst: true }),
  LSTMProj: () => new nn.LSTM(3, 5, { numLayers: 2, projSize: 2, bidirectional: true }),
  LSTMCell: () => new nn.LSTMCell(4, 3),
  GRUCell: () => new nn.GRUCell(4, 3),
  MultiheadAttention: () => new nn.MultiheadAttention(8, 2),
  MultiheadAttentionBatchFirst: () => new nn.MultiheadAttention(6, 3, { batchFirst: true, addBiasKv: true }),
  TransformerEncoderLayer: () => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }),
  TransformerEncoderLayerNormFirstGelu: () =>
    new nn.TransformerEncoderLayer(8, 4, { dimFeedforward: 12, activation: "gelu", normFirst: true, batchFirst: true }),
  Flatten: () => new nn.Flatten(),
  GELU: () => new nn.GELU(),
  GELUTanh: () => new nn.GELU({ approximate: "tanh" }),
  SiLU: () => new nn.SiLU(),
  LeakyReLU: () => new nn.LeakyReLU(0.2),
  Softmax: () => new nn.Softmax(1),
  LogSoftmax: () => new nn.LogSoftmax(0),
  Tanh: () => new nn.Tanh(),
  Sigmoid: () => new nn.Sigmoid(),
};

function flatten(value: unknown): Tensor[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(flatten);
  return [value as Tensor];
}

const cases = fixture<LayerCase[]>("layers.json");

test("every fixture case has a maker (and the other way round)", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), Object.keys(makers).sort());
});

for (const c of cases) {
  test(`${c.name}: init under seed ${c.seed}, forward, backward and buffers match PyTorch`, () => {
    torch.manualSeed(c.seed);
    const module = makers[c.name]!();
    const state = module.stateDict();
    assert.deepEqual(Object.keys(state), Object.keys(c.state), "state-dict keys and order");
    assert.deepEqual(Array.from(module.namedParameters(), ([n]) => n), c.parameterNames, "parameter names and order");
    for (const [key, expected] of Object.entries(c.state)) assertClose(state[key], expected, `initial ${key}`, 1e-6, 1e-6);

    const inputs = c.inputs.map((e) => decode(e, { requiresGrad: e.dtype === "float32" }));
    if (c.mode === "eval") module.eval();
    torch.manualSeed(c.seed + 2);
    const outputs = flatten((module.call as (...a: unknown[]) => unknown).call(module, ...inputs));
    assert.equal(outputs.length, c.outputs.length, "number of outputs");
    outputs.forEach((o, i) => assertClose(o, c.outputs[i]!, `output ${i}`));

    if (outputs[0]!.requiresGrad) outputs[0]!.backward(decode(c.gradOutput));
    c.inputGrads.forEach((g, i) => {
      if (g) assertClose(inputs[i]!.grad, g, `input ${i} grad`, 1e-4, 1e-3);
    });
    const params = new Map(module.namedParameters());
    for (const [name, g] of Object.entries(c.paramGrads)) assertClose(params.get(name)!.grad, g, `${name}.grad`, 1e-4, 1e-3);
    const after = module.stateDict();
    for (const [key, expected] of Object.entries(c.stateAfter)) assertClose(after[key], expected, `after step: ${key}`);
  });
}
