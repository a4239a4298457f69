// clipGradNorm_ / clipGradValue_ against torch.nn.utils.clip_grad_norm_ / clip_grad_value_.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn } from "../src/torch-plugin/index.js";
import { assertClose, decode, fixture, type Encoded } from "./fixtures/nn/compare.js";

interface ClipFixture {
  norm: { maxNorm: number; normType: number | "inf"; grads: Encoded[]; total: number; clipped: Encoded[] }[];
  value: { clipValue: number; grads: Encoded[]; clipped: Encoded[] };
}
const data = fixture<ClipFixture>("clip.json");

function withGrads(grads: Encoded[]) {
  return grads.map((g) => {
    const p = new nn.Parameter(torch.zeros(g.shape));
    p.grad = decode(g);
    return p;
  });
}

for (const c of data.norm) {
  test(`clipGradNorm_(maxNorm ${c.maxNorm}, normType ${c.normType}) returns the total norm and scales grads as PyTorch`, () => {
    const params = withGrads(c.grads);
    const total = nn.utils.clipGradNorm_(params, c.maxNorm, { normType: c.normType === "inf" ? Infinity : c.normType });
    assert.ok(Math.abs((total.item() as number) - c.total) <= 1e-5 * Math.abs(c.total));
    params.forEach((p, i) => assertClose(p.grad, c.clipped[i]!, `grad ${i}`, 1e-6, 1e-5));
  });
}

test("clipGradValue_ clamps every gradient", () => {
  const params = withGrads(data.value.grads);
  nn.clipGradValue_(params, data.value.clipValue);
  params.forEach((p, i) => assertClose(p.grad, data.value.clipped[i]!, `grad ${i}`, 0, 1e-8));
});

test("parameters without gradients are skipped; non-finite norms can be an error", () => {
  const lin = new nn.Linear(2, 2);
  assert.equal(nn.clipGradNorm_(lin.parameters(), 1).item(), 0);
  lin.forward(torch.ones([1, 2])).sum().backward();
  lin.bias!.grad = torch.tensor([Infinity, 0], { dtype: "float32" });
  assert.throws(() => nn.clipGradNorm_(lin.parameters(), 1, { errorIfNonfinite: true }), /non-finite/);
  assert.equal(nn.clipGradNorm_(lin.weight, 1).item(), 2);
  assert.ok(Math.abs((lin.weight.grad!.norm().item() as number) - 1) < 1e-5);
  assert.throws(() => nn.clipGradNorm_([42 as unknown as nn.Parameter], 1), /expected Tensors/);
});
