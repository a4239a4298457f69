// optim.SparseAdam against Python (scripts/fixtures/nn_modules_more.py): 100 steps on a sparse
// nn.Embedding's gradients beside Adam on a dense layer, the same losses, weights and state; and
// Python's refusals (dense gradients, sparse parameters, bad options).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import torch, { nn, optim, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, decode, type Encoded } from "./fixtures/nn/compare.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

interface SparseAdamFixture {
  initial: { emb: Encoded; "lin.weight": Encoded; "lin.bias": Encoded };
  batches: Encoded[];
  targets: Encoded[];
  losses: number[];
  final: Encoded;
  state: { step: number; exp_avg: Encoded; exp_avg_sq: Encoded };
  paramGroups: Record<string, unknown>[];
}

const fx = JSON.parse(readFileSync(pythonFixturePath("optim", "sparse_adam.json"), "utf8")) as SparseAdamFixture;

test("SparseAdam: 100 steps of sparse embedding gradients give Python's losses, weights and state", () => {
  const emb = new nn.Embedding(12, 4, { sparse: true });
  const lin = new nn.Linear(4, 1);
  emb.loadStateDict({ weight: decode(fx.initial.emb) });
  lin.loadStateDict({ weight: decode(fx.initial["lin.weight"]), bias: decode(fx.initial["lin.bias"]) });
  const opt = new optim.SparseAdam(emb.parameters(), 0.05, [0.8, 0.99], { eps: 1e-6 });
  const dense = new optim.Adam(lin.parameters(), 0.05);
  const losses: number[] = [];
  fx.batches.forEach((b, i) => {
    opt.zeroGrad();
    dense.zeroGrad();
    const loss = torch.tidy(() => {
      const l = (lin.call(emb.call(decode(b))) as Tensor).sub(decode(fx.targets[i]!)).pow(2).mean();
      l.backward();
      return l.item() as number;
    });
    opt.step();
    dense.step();
    losses.push(loss);
  });
  losses.forEach((l, i) => assert.ok(Math.abs(l - fx.losses[i]!) <= 1e-5 + 1e-4 * Math.abs(fx.losses[i]!), `loss ${i}: ${l} vs ${fx.losses[i]}`));
  assertClose(emb.weight, fx.final, "final weight", 1e-5, 1e-4);
  const sd = opt.stateDict();
  const state = sd.state.get(0)!;
  assert.equal(state.step, fx.state.step);
  assertClose(state.exp_avg as Tensor, fx.state.exp_avg, "exp_avg", 1e-6, 1e-4);
  assertClose(state.exp_avg_sq as Tensor, fx.state.exp_avg_sq, "exp_avg_sq", 1e-6, 1e-4);
  const { params, ...group } = sd.param_groups[0]!;
  const { params: pyParams, ...pyGroup } = fx.paramGroups[0]!;
  assert.deepEqual(params, pyParams);
  assert.deepEqual({ ...group, betas: [...(group.betas as number[])] }, pyGroup);
});

test("SparseAdam: positional == named; Python's refusals", () => {
  const p = [new nn.Parameter(torch.zeros(3))];
  assert.deepEqual(new optim.SparseAdam(p, 0.1, [0.5, 0.9], 1e-3, true).paramGroups[0], new optim.SparseAdam(p, { lr: 0.1, betas: [0.5, 0.9], eps: 1e-3, maximize: true }).paramGroups[0]);
  assert.throws(() => new optim.SparseAdam(p, { lr: 0 }), /Invalid learning rate: 0/);
  assert.throws(() => new optim.SparseAdam(p, { eps: 0 }), /Invalid epsilon value: 0/);
  assert.throws(() => new optim.SparseAdam(p, { weightDecay: 0.1 } as never), /optim\.SparseAdam\(\): unknown option 'weightDecay'/);
  const dense = new nn.Linear(2, 1);
  const opt = new optim.SparseAdam(dense.parameters());
  (dense.call(torch.ones(1, 2)) as Tensor).sum().backward();
  assert.throws(() => opt.step(), /SparseAdam does not support dense gradients, please consider Adam instead/);
  const sparseParam = torch.sparseCooTensor(torch.tensor([[0]]), torch.tensor([1.0]), [3]);
  assert.throws(() => new optim.SparseAdam([sparseParam]), /Sparse params at indices \[0\]: SparseAdam requires dense parameter tensors/);
});
