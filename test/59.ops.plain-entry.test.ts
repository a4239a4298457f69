// Ops whose tensors carry no autograd state enter below the autograd kernels (the generated hot
// ops, native/ops/hot-ops.generated.cpp, and the boxed engine, native/ops/engine.cpp), and below
// ADInplaceOrView too for overloads that write nothing and return new tensors. What must not
// change: views share their base's version counter, functional results are new memory, and
// autograd records a graph as soon as one operand requires grad.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "../src/torch-plugin/index.js";

const aten = (torch as unknown as { ops: { aten: Record<string, (...args: unknown[]) => unknown> } }).ops.aten;
const version = (t: Tensor): number => aten._version!(t) as number;

test("views of plain tensors share their base's version counter (hot, boxed and indexing paths)", () => {
  const x = torch.zeros([2, 3]);
  const views: [string, Tensor][] = [
    ["narrow (boxed)", x.narrow(0, 0, 1)],
    ["transpose (hot)", x.transpose(0, 1)],
    ["reshape (hot)", x.reshape([6])],
    ["idx(0)", x.idx(0)],
    ["select via torch.select (boxed)", torch.select(x, 1, 2)],
  ];
  for (const [what, v] of views) {
    const before = version(v);
    x.add_(1);
    assert.equal(version(v), before + 1, `${what}: an in-place write to the base is seen by the view`);
  }
  x.idx(0).fill_(7);
  assert.deepEqual(x.toArray(), [[7, 7, 7], [5, 5, 5]], "a write through a view reaches the base");
});

test("functional results of plain tensors are new memory", () => {
  const x = torch.tensor([-1.5, 2, -3]);
  for (const [what, y] of [["abs (boxed)", x.abs()], ["neg (hot)", x.neg()], ["sum (hot)", x.sum()], ["clamp (boxed)", x.clamp(-2, 2)]] as const) {
    y.add_(100);
    assert.deepEqual(x.toArray(), [-1.5, 2, -3], `${what}: writing the result leaves the input alone`);
  }
});

test("one operand requiring grad records the graph; results of plain calls can require grad later", () => {
  const a = torch.tensor([1.5, 5], { requiresGrad: true });
  const b = torch.tensor([3.5, 3]);
  torch.maximum(a, b).sum().backward();
  assert.deepEqual(a.grad!.toArray(), [0, 1], "boxed maximum with one requires-grad operand");
  const c = torch.tensor([-1.5, 2]).abs().mul(2).requiresGrad_();
  c.exp().sum().backward();
  assert.deepEqual((c.grad!.toArray() as number[]).map((v) => Math.round(v * 1e4) / 1e4), [20.0855, 54.5982]);
  const w = torch.ones([3], { requiresGrad: true });
  const list = torch.stack([w, torch.zeros([3])]);
  list.sum().backward();
  assert.deepEqual(w.grad!.toArray(), [1, 1, 1], "a tensor list with one requires-grad tensor records the graph");
});
