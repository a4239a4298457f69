// optim.Adafactor (PyTorch 2.x's) against Python 2.6 (scripts/fixtures/nn_modules_more.py): 100
// steps on a small MLP, factored (matrix) and unfactored (vector) second moments, weight decay.
// On 1.13 (no Python Adafactor to compare with) only the calling convention and refusals run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import torch, { nn, optim, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, decode, type Encoded } from "./fixtures/nn/compare.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

interface AdafactorFixture {
  initial: Record<string, Encoded>;
  inputs: Encoded[];
  targets: Encoded[];
  losses: number[];
  final: Record<string, Encoded>;
  state: Record<string, Record<string, Encoded>>;
}

const file = pythonFixturePath("optim", "adafactor.json");

test("Adafactor: 100 steps give Python's losses, weights and state", { skip: !existsSync(file) && "Adafactor is PyTorch 2.x's: no Python values on this version" }, () => {
  const fx = JSON.parse(readFileSync(file, "utf8")) as AdafactorFixture;
  const model = new nn.Sequential(new nn.Linear(5, 4), new nn.Tanh(), new nn.Linear(4, 1));
  model.loadStateDict(Object.fromEntries(Object.entries(fx.initial).map(([k, v]) => [k, decode(v)])));
  const opt = new optim.Adafactor(model.parameters(), 0.05, { weightDecay: 0.01 });
  fx.inputs.forEach((x, i) => {
    opt.zeroGrad();
    const loss = torch.tidy(() => {
      const l = (model.call(decode(x)) as Tensor).sub(decode(fx.targets[i]!)).pow(2).mean();
      l.backward();
      return l.item() as number;
    });
    opt.step();
    assert.ok(Math.abs(loss - fx.losses[i]!) <= 1e-5 + 1e-4 * Math.abs(fx.losses[i]!), `loss ${i}: ${loss} vs ${fx.losses[i]}`);
  });
  for (const [k, v] of Object.entries(model.stateDict())) assertClose(v, fx.final[k]!, k, 1e-5, 1e-4);
  const state = opt.stateDict().state;
  for (const [i, entry] of Object.entries(fx.state)) {
    const mine = state.get(Number(i))!;
    assert.deepEqual(Object.keys(mine).sort(), Object.keys(entry).sort());
    for (const [k, v] of Object.entries(entry)) assertClose(mine[k] as Tensor, v, `state ${i}.${k}`, 1e-6, 1e-4);
  }
});

test("Adafactor: positional == named; Python's refusals", () => {
  const p = [new nn.Parameter(torch.zeros(3))];
  assert.deepEqual(
    new optim.Adafactor(p, 0.1, -0.5, [null, 1e-2], 2, 0.1).paramGroups[0],
    new optim.Adafactor(p, { lr: 0.1, beta2Decay: -0.5, eps: [null, 1e-2], d: 2, weightDecay: 0.1 }).paramGroups[0],
  );
  assert.throws(() => new optim.Adafactor(p, { beta2Decay: 0.5 }), /beta2_decay should be <= 0 but is: 0.5/);
  assert.throws(() => new optim.Adafactor(p, { d: 0.5 }), /Clipping threshold d should be >= 1/);
  assert.throws(() => new optim.Adafactor(p, { lr: -1 }), /Learning rate should be >= 0/);
  assert.throws(() => new optim.Adafactor(p, { betas: [0.9, 0.99] } as never), /optim\.Adafactor\(\): unknown option 'betas'/);
});
