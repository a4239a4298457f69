// Tensor's Python members about memory and layout (issue 25's `Tensor` area): dataPtr, layout and
// the is<Device/Layout> flags, itemsize/nbytes, storage()/untypedStorage() sharing memory,
// numpy() views, new(), resize/resizeAs, toSparseCoo, map2_, and the 2.x dimOrder/moduleLoad;
// utils.data's StackDataset (2.x).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import torch from "../src/torch-plugin/index.js";
import { version } from "../src/torch/version.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

const two = version.major >= 2;
const fixturePath = pythonFixturePath("torch-names", "names.json");

test("layout, device flags, dataPtr, itemsize and nbytes", () => {
  const t = torch.zeros(2, 3, { dtype: "float64" });
  assert.equal(t.layout, "strided");
  assert.equal(t.isCpu, true);
  for (const flag of ["isMeta", "isMps", "isXpu", "isIpu", "isXla", "isVulkan", "isMaia", "isMtia", "isOrt", "isSparse", "isSparseCsr", "isQuantized", "isNested", "isMkldnn"] as const) {
    assert.equal(t[flag], false, flag);
  }
  assert.equal(t.name, null);
  assert.equal(t.itemsize, 8);
  assert.equal(t.nbytes, 48);
  assert.ok(t.dataPtr() > 0);
  assert.equal(t.select(0, 1).dataPtr(), t.dataPtr() + 3 * 8, "a view's data pointer is offset into the same memory");
  const sparse = torch.tensor([[0, 1], [2, 0]]).toSparseCoo();
  assert.equal(sparse.layout, "sparse_coo");
  assert.equal(sparse.isSparse, true);
  assert.deepEqual(sparse.toDense().toArray(), [[0, 1], [2, 0]]);
});

test("storage() and untypedStorage() share the tensor's memory", { skip: !existsSync(fixturePath) && "no fixture" }, () => {
  const t = torch.tensor([1, 2, 3], { dtype: "int16" });
  const s = t.storage();
  assert.equal(s.dtype, "int16");
  assert.equal(s.size(), 3);
  assert.equal(s.nbytes(), 6);
  assert.equal(s.dataPtr(), t.dataPtr());
  s.set(0, 9);
  assert.deepEqual(t.toArray(), [9, 2, 3]);
  assert.equal(s.get(-1), 3);
  assert.throws(() => s.get(3), RangeError);
  const u = t.untypedStorage();
  assert.equal(u.size(), 6);
  assert.equal(u.elementSize(), 1);
  assert.equal(u.get(0), 9);
  assert.deepEqual(t.select(0, 1).storage().tolist(), [9, 2, 3], "a view's storage is the whole storage");
  assert.equal(t.storageType(), "torch.ShortStorage");
});

test("numpy() is a view of a contiguous CPU tensor and refuses what Python refuses", () => {
  const t = torch.tensor([[1, 2], [3, 4]], { dtype: "float32" });
  const a = t.numpy();
  assert.ok(a instanceof Float32Array);
  a[0] = 7;
  assert.deepEqual(t.toArray(), [[7, 2], [3, 4]], "writes through the view show in the tensor");
  t.mul_(2);
  assert.equal(a[1], 4, "the tensor's writes show in the view");
  assert.deepEqual(Array.from(t.T.numpy() as Float32Array), [14, 6, 4, 8], "a non-contiguous tensor gives a row-major copy");
  assert.ok(torch.tensor([1n, 2n]).numpy() instanceof BigInt64Array);
  assert.throws(() => torch.zeros(2, { requiresGrad: true }).numpy(), /requires grad/);
  assert.deepEqual(Array.from(torch.ones(2, { requiresGrad: true }).numpy({ force: true }) as Float32Array), [1, 1]);
  assert.throws(() => torch.zeros(2, { dtype: "bfloat16" }).numpy(), /unsupported ScalarType/);
  assert.throws(() => t.numpy({ froce: true } as never), TypeError);
});

test("new(), resize() and resizeAs()", () => {
  const t = torch.tensor([[1, 2], [3, 4]], { dtype: "float64" });
  assert.deepEqual(t.new(2, 3).shape, [2, 3]);
  assert.equal(t.new(2, 3).dtype, "float64");
  assert.deepEqual(t.new().shape, [0]);
  assert.deepEqual(t.new([5, 6]).toArray(), [5, 6]);
  assert.equal(t.new([5, 6]).dtype, "float64");
  assert.deepEqual(t.resize(4).toArray(), [1, 2, 3, 4]);
  assert.deepEqual(t.resize([1, 4]).shape, [1, 4]);
  assert.deepEqual(t.resizeAs(torch.zeros(4, 1)).shape, [4, 1]);
  assert.throws(() => t.resize(5), /requested resize to 5 \(5 elements in total\)/);
});

test("map2_ applies a function of three elements in place", () => {
  const t = torch.tensor([1, 2, 3], { dtype: "float32" });
  t.map2_(torch.tensor([10, 20, 30]), torch.tensor([1]), (a, b, c) => a + b * c);
  assert.deepEqual(t.toArray(), [11, 22, 33]);
});

test("2.x members: dimOrder as Python's, moduleLoad (an Error naming the version on 1.13)", { skip: !existsSync(fixturePath) && "no fixture" }, () => {
  if (!two) {
    assert.throws(() => torch.zeros(2).dimOrder(), /PyTorch 2\.x API/);
    assert.throws(() => torch.zeros(2).moduleLoad(torch.ones(2)), /PyTorch 2\.x API/);
    return;
  }
  const f = (JSON.parse(readFileSync(fixturePath, "utf8")) as { dim_order: Record<string, number[]> }).dim_order;
  const z = torch.zeros(2, 3, 4, 5);
  assert.deepEqual(z.dimOrder(), f.contiguous);
  assert.deepEqual(z.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).dimOrder(), f.channels_last);
  assert.deepEqual(z.permute(2, 0, 3, 1).dimOrder(), f.permuted);
  assert.deepEqual(torch.zeros(3, 4).t().dimOrder(), f["transposed 2-d"]);
  assert.throws(() => torch.zeros(1, 3).dimOrder({ ambiguityCheck: true }), /unique dim order/);
  const target = torch.zeros(2);
  const loaded = target.moduleLoad(torch.ones(2));
  assert.deepEqual(target.toArray(), [1, 1]);
  assert.deepEqual(loaded.toArray(), [1, 1]);
  const assigned = target.moduleLoad(torch.full([2], 5), true);
  assert.deepEqual(assigned.toArray(), [5, 5]);
  assert.deepEqual(target.toArray(), [1, 1]);
});

test("StackDataset stacks datasets as arrays or by name (2.x)", () => {
  if (!two) {
    assert.throws(() => new torch.data.StackDataset([1, 2]), /PyTorch 2\.x API/);
    return;
  }
  const ds = new torch.data.StackDataset([1, 2, 3], ["a", "b", "c"]);
  assert.equal(ds.length, 3);
  assert.deepEqual(ds.getItem(1), [2, "b"]);
  const named = new torch.data.StackDataset({ x: [1, 2], y: [3, 4] });
  assert.deepEqual(named.getItem(0), { x: 1, y: 3 });
  assert.throws(() => new torch.data.StackDataset([1], [1, 2]), /Size mismatch/);
  assert.throws(() => new torch.data.StackDataset(), /At least one dataset/);
});
