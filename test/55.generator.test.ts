// torch.Generator and the default generator's state: the same streams as Python PyTorch for the
// same seeds, and exact replay from a saved state (bitwise resume).
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch-plugin/index.js";

const values = (t: Tensor) => Array.from(t.toTypedArray() as ArrayLike<number | bigint>, Number);
const near = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) < 1e-6);

test("a seeded Generator gives Python's numbers (values from python3-torch 1.13)", () => {
  const g = new torch.Generator().manualSeed(7);
  assert.equal(g.initialSeed(), 7n);
  assert.deepEqual(values(torch.randperm(6, { generator: g })), [3, 0, 1, 5, 2, 4]);
  assert.ok(near(values(torch.normal(0, 1, [3], { generator: g })), [-0.22536928951740265, 0.16267921030521393, 0.37750962376594543]));
  const u = torch.empty([4]).uniform_(0, 1, { generator: new torch.Generator().manualSeed(5) });
  assert.ok(near(values(u), [0.8302518725395203, 0.12611091136932373, 0.9074696898460388, 0.8199270367622375]));
  const m = torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 4, true, { generator: new torch.Generator().manualSeed(3) });
  assert.deepEqual(values(m), [0, 1, 2, 1]);
});

test("the default generator: manualSeed, getRngState/setRngState replay exactly", () => {
  torch.manualSeed(42);
  assert.ok(near(values(torch.rand([3])), [0.8822692632675171, 0.9150039553642273, 0.38286375999450684]));
  assert.deepEqual(values(torch.randperm(5)), [4, 3, 0, 1, 2]);
  const state = torch.getRngState();
  assert.equal(state.dtype, "uint8");
  const a = values(torch.randn([5]));
  torch.rand([7]); // move on
  torch.setRngState(state);
  assert.deepEqual(values(torch.randn([5])), a);
  assert.throws(() => torch.setRngState(torch.zeros([3])), /1-d uint8 tensor/);
});

test("Generator state round-trips and generators are independent of the default one", () => {
  const g = new torch.Generator().manualSeed(1);
  const saved = g.getState();
  const first = values(torch.normal(0, 1, [4], { generator: g }));
  g.setState(saved);
  assert.deepEqual(values(torch.normal(0, 1, [4], { generator: g })), first);
  g.setState(saved);
  torch.manualSeed(0);
  torch.rand([10]); // the default generator moving does not move g
  const again = values(torch.randperm(4, { generator: g }));
  g.setState(saved);
  assert.deepEqual(values(torch.randperm(4, { generator: g })), again);
  const s = new torch.Generator().seed();
  assert.equal(typeof s, "bigint");
  assert.throws(() => new torch.Generator("cuda" as "cpu"), /only 'cpu' generators/);
});
