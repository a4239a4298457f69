// nn.init against Python PyTorch under the same seed: each fill draws from libtorch's default
// generator exactly as torch.nn.init does; gains as calculate_gain.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, fixture, type Encoded } from "./fixtures/nn/compare.js";

const init = nn.init;

interface InitFixture {
  fills: { fn: string; seed: number; shape: number[]; value: Encoded }[];
  gains: Record<string, number>;
}
const data = fixture<InitFixture>("init.json");

const calls: Record<string, (t: Tensor) => Tensor> = {
  uniform_: (t) => init.uniform_(t, -0.5, 2),
  normal_: (t) => init.normal_(t, 1, 0.5),
  xavierUniform_: (t) => init.xavierUniform_(t, 2),
  xavierNormal_: (t) => init.xavierNormal_(t),
  kaimingUniform_: (t) => init.kaimingUniform_(t, { a: 0.1, mode: "fan_out", nonlinearity: "leaky_relu" }),
  kaimingNormal_: (t) => init.kaimingNormal_(t, { nonlinearity: "relu" }),
  truncNormal_: (t) => init.truncNormal_(t, 0.5, 1, -1, 1.5),
  orthogonal_: (t) => init.orthogonal_(t, 1.5),
};

for (const c of data.fills) {
  test(`init.${c.fn} under seed ${c.seed} equals torch.nn.init`, () => {
    torch.manualSeed(c.seed);
    const t = torch.empty(c.shape);
    assert.equal(calls[c.fn]!(t), t, "returns its argument");
    assertClose(t, c.value, c.fn, 1e-6, 1e-5);
  });
}

test("calculateGain matches calculate_gain", () => {
  for (const [name, gain] of Object.entries(data.gains)) {
    const value = name === "leaky_relu" ? init.calculateGain(name, 0.2) : init.calculateGain(name as nn.init.Nonlinearity);
    assert.ok(Math.abs(value - gain) < 1e-12, `${name}: ${value} vs ${gain}`);
  }
  assert.throws(() => init.calculateGain("swish" as nn.init.Nonlinearity), /Unsupported nonlinearity swish/);
});

test("fills run without recording autograd history on parameters", () => {
  const p = new nn.Parameter(torch.empty([3, 3]));
  init.kaimingUniform_(p, { a: Math.sqrt(5) });
  init.zeros_(p);
  assert.ok(p.isLeaf && p.requiresGrad);
  assert.equal(p.abs().sum().item(), 0);
  init.ones_(p);
  init.eye_(p);
  assert.deepEqual(p.detach().toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  init.constant_(p, 0.5);
  assert.equal(p.sum().item(), 4.5);
  assert.deepEqual(init.calculateFanInAndFanOut(torch.empty([4, 3, 2, 2])), [12, 16]);
  assert.throws(() => init.xavierUniform_(torch.empty([3])), /fewer than 2 dimensions/);
});
