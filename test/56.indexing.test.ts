// Python-style indexing: Tensor.idx / idxPut_ give what `x[...]` and `x[...] = v` give in
// Python PyTorch (expected values computed with python3-torch 1.13).
import { test } from "node:test";
import assert from "node:assert/strict";
import torch from "../src/torch-plugin/index.js";

const x = () => torch.arange(24).reshape([2, 3, 4]);

test("integers, slices, None and Ellipsis", () => {
  assert.deepEqual(x().idx([0, "1:", null, "..."]).toArray(), [[[4, 5, 6, 7]], [[8, 9, 10, 11]]]);
  assert.deepEqual(x().idx(["...", "::2"]).shape, [2, 3, 2]);
  assert.deepEqual(x().idx([":", -1]).toArray(), [[8, 9, 10, 11], [20, 21, 22, 23]]);
  assert.deepEqual(x().idx([1, { start: 1, stop: 3 }, 0]).toArray(), [16, 20]);
  assert.deepEqual(x().idx(1).shape, [3, 4]);
  assert.deepEqual(x().idx([null, 1]).shape, [1, 3, 4]);
  assert.deepEqual(x().idx(true).shape, [1, 2, 3, 4]);
  // Integer and slice indexing gives views, as in PyTorch.
  const base = x();
  assert.equal(base.idx([0, "1:"]).storageOffset(), 4);
});

test("tensor indices and boolean masks", () => {
  const t = x();
  assert.deepEqual(t.idx([t.remainder(5).eq(0)]).toArray(), [0, 5, 10, 15, 20]);
  assert.deepEqual(t.idx([torch.tensor([1, 0]), torch.tensor([2, 0])]).toArray(), [[20, 21, 22, 23], [0, 1, 2, 3]]);
  assert.deepEqual(t.idx([1, "1:3", torch.tensor([0, 3])]).toArray(), [[16, 19], [20, 23]]);
});

test("idxPut_ writes in place and returns the tensor", () => {
  const y = x();
  assert.equal(y.idxPut_([y.gt(20)], -1), y);
  y.idxPut_([0, ":", 1], torch.tensor([7, 8, 9]));
  assert.deepEqual(y.toArray(), [
    [[0, 7, 2, 3], [4, 8, 6, 7], [8, 9, 10, 11]],
    [[12, 13, 14, 15], [16, 17, 18, 19], [20, -1, -1, -1]],
  ]);
  // Autograd flows through indexing.
  const w = torch.ones([3], { requiresGrad: true });
  w.idx("1:").mul(2).sum().backward();
  assert.deepEqual(w.grad!.toArray(), [0, 2, 2]);
});

test("bad indices throw clear errors", () => {
  assert.throws(() => x().idx(["1:2:3:4"]), /not a slice/);
  assert.throws(() => x().idx(["a"]), /not a slice/);
  assert.throws(() => x().idx([5]), /index 5 is out of bounds for dimension 0 with size 2/);
  assert.throws(() => x().idx([{}, [1]] as never), /unsupported index item/);
  assert.throws(() => x().idx([0, 0, 0, 0]), /too many indices/);
  // A single integer takes the addon's short path: the same checks.
  assert.throws(() => x().idx(5), /index 5 is out of bounds for dimension 0 with size 2/);
  assert.throws(() => x().idx(1.5), /'index' must be an integer/);
  assert.throws(() => x().idx(1e300), /'index' is beyond 2\^53/);
  assert.deepEqual(x().idx(-1).toArray(), x().idx([-1]).toArray());
  assert.throws(() => x().idx(-3), /index -3 is out of bounds for dimension 0 with size 2/);
  assert.throws(() => torch.tensor(3).idx(0), /invalid index of a 0-dim tensor/);
  assert.throws(() => torch.tensor(3).idx([0]), /invalid index of a 0-dim tensor/);
  // The short path makes a true view (shared data and version counter), as the list path does:
  // writing through it bumps the version autograd checks on its base.
  const base = torch.zeros([2, 2]);
  base.idx(1).add_(1);
  assert.deepEqual(base.toArray(), [[0, 0], [1, 1]]);
  const z = torch.ones([2, 2], { requiresGrad: true }).mul(1).sigmoid();  // sigmoid saves z
  z.idx(0).mul_(2);
  assert.throws(() => z.sum().backward(), /modified by an inplace operation/);
  // The short path on a fresh column-major tensor, negative indices included, against the list
  // path (at::indexing's select).
  const nc = torch.arange(12, { dtype: "float32" }).reshape([3, 4]).t().clone();
  for (const i of [0, 2, -1, -4]) assert.deepEqual(nc.idx(i).toArray(), nc.idx([i]).toArray());
  assert.deepEqual(nc.idx(-1).toArray(), [3, 7, 11]);
  // Same from a plain tensor (no autograd state of its own: the short path's own case).
  const w = torch.ones([2, 2], { requiresGrad: true });
  const b = torch.zeros([2, 2]);
  const y = w.mul(b);  // saves b for backward
  const brow = b.idx(0);
  assert.equal(brow.gradFn, null);
  assert.equal(brow.requiresGrad, false);
  brow.add_(1);
  assert.throws(() => y.sum().backward(), /modified by an inplace operation/);
  // A view of a tensor that requires grad still records its backward.
  const wrow = w.idx(1);
  assert.equal(wrow.gradFn, "SelectBackward0");
  wrow.sum().backward();
  assert.deepEqual(w.grad!.toArray(), [[0, 0], [1, 1]]);
});
