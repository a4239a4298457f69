// Modules added for PyTorch 1.13's public nn names, against Python: the same parameters (loaded
// from the fixture's state dict), the same inputs, forward values and input gradients equal.
// Fixtures: scripts/fixtures/nn_modules.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, decode, type Encoded } from "./fixtures/nn/compare.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

interface ModuleCase {
  name: string;
  seed: number;
  state: Record<string, Encoded>;
  inputs: Encoded[];
  output: Encoded;
  gradOutput: Encoded;
  inputGrads: (Encoded | null)[];
}

const makers: Record<string, () => nn.Module> = {
  Threshold: () => new nn.Threshold(0.1, 20.0),
  RReLUEval: () => new nn.RReLU(0.1, 0.3).eval(),
  Hardtanh: () => new nn.Hardtanh(-0.5, 0.5),
  ReLU6: () => new nn.ReLU6(),
  CELU: () => new nn.CELU(0.7),
  GLU: () => new nn.GLU(0),
  Hardshrink: () => new nn.Hardshrink(0.3),
  Softshrink: () => new nn.Softshrink(0.3),
  Softsign: () => new nn.Softsign(),
  Tanhshrink: () => new nn.Tanhshrink(),
  Softmax2d: () => new nn.Softmax2d(),
  Softmin: () => new nn.Softmin(1),
  PReLU: () => new nn.PReLU(3, 0.1),
  LPPool1d: () => new nn.LPPool1d(2, 3, 2),
  LPPool2d: () => new nn.LPPool2d(2, 2),
  AdaptiveMaxPool3d: () => new nn.AdaptiveMaxPool3d([2, 1, 3]),
  MaxPool1dStride: () => new nn.MaxPool1d(3, 1, 1),
  AvgPool3d: () => new nn.AvgPool3d(2, 1),
  InstanceNorm3d: () => new nn.InstanceNorm3d(2, { affine: true }),
  LocalResponseNorm: () => new nn.LocalResponseNorm(3, 1e-2, 0.6, 2.0),
  LocalResponseNorm3d: () => new nn.LocalResponseNorm(2),
  UpsamplingBilinear2d: () => new nn.UpsamplingBilinear2d({ scaleFactor: 2 }),
  UpsamplingNearest2d: () => new nn.UpsamplingNearest2d([5, 4]),
  UpsampleRecompute: () => new nn.Upsample({ scaleFactor: 1.7, mode: "bilinear", recomputeScaleFactor: true }),
  ConvStridePositional: () => new nn.Conv2d(3, 8, 4, 2, 1),
  ConvTranspose1d: () => new nn.ConvTranspose1d(2, 3, 3, 2, 1, 1),
  LSTMTwoLayers: () => new nn.LSTM(4, 8, 2),
  GRUTwoLayers: () => new nn.GRU(4, 3, 2, true, true),
  RNNCellRelu: () => new nn.RNNCell(4, 3, true, "relu"),
  EmbeddingBagMean: () => new nn.EmbeddingBag(10, 3, { mode: "mean" }),
  EmbeddingBagSum: () => new nn.EmbeddingBag(10, 3, { mode: "sum" }),
  EmbeddingBagMax: () => new nn.EmbeddingBag(10, 3, { mode: "max" }),
  Bilinear: () => new nn.Bilinear(3, 2, 4, false),
  PoissonNLLLoss: () => new nn.PoissonNLLLoss(),
  PoissonNLLLossFull: () => new nn.PoissonNLLLoss(false, true, { reduction: "sum" }),
  GaussianNLLLoss: () => new nn.GaussianNLLLoss({ full: true }),
  MultiLabelSoftMarginLoss: () => new nn.MultiLabelSoftMarginLoss(torch.tensor([1.0, 2.0, 0.5, 1.0])),
  MultiMarginLoss: () => new nn.MultiMarginLoss(2, 0.5),
  MultiLabelMarginLoss: () => new nn.MultiLabelMarginLoss(),
  TripletMarginWithDistanceLoss: () => new nn.TripletMarginWithDistanceLoss({ margin: 0.5, swap: true }),
  SoftMarginLossLegacySum: () => new nn.SoftMarginLoss({ sizeAverage: false }),
  MSELossLegacyNone: () => new nn.MSELoss(null, false),
  CTCLoss: () => new nn.CTCLoss({ blank: 0 }),
};

const cases = JSON.parse(readFileSync(pythonFixturePath("nn", "modules.json"), "utf8")) as ModuleCase[];

test("every fixture case has a maker (and the other way round)", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), Object.keys(makers).sort());
});

for (const c of cases) {
  test(`${c.name}: forward and input gradients equal Python's on the same parameters`, () => {
    const module = makers[c.name]!();
    const stateKeys = Object.keys(module.stateDict());
    assert.deepEqual(stateKeys, Object.keys(c.state), "state-dict keys and order");
    if (stateKeys.length > 0) module.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)])));
    const inputs = c.inputs.map((e, i) => decode(e, { requiresGrad: e.dtype === "float32" && c.inputGrads[i] !== null }));
    let out = (module.call as (...a: unknown[]) => unknown).call(module, ...inputs) as Tensor | Tensor[];
    if (Array.isArray(out)) out = out[0]!;
    assertClose(out, c.output, "output", 1e-5, 1e-4);
    out.backward(decode(c.gradOutput));
    c.inputGrads.forEach((g, i) => {
      if (g) assertClose(inputs[i]!.grad, g, `input ${i} grad`, 1e-4, 1e-3);
    });
  });
}
