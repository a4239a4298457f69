// Tensor's Python-level members: attributes as properties (data, T, mT, H, mH, ndim, real, imag),
// Python's method names (tolist, type, nelement, getDevice, the dtype casts), iteration over
// dimension 0; values against Python's (scripts/fixtures/torch_functions.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { assertTensorMatches, assertTensorsMatch, readFixture, type Encoded } from "./fixtures/torch-values.js";

const M = readFixture<{ members: Record<string, unknown> }>("torch", "functions.json").members;
const a = torch.arange(12, { dtype: "float32" }).reshape(3, 4).div(3).sub(1);

test("T, mT, H, mH are properties with Python's values", () => {
  assertTensorMatches(a.T, M.T as Encoded, "T");
  assertTensorMatches(torch.arange(24).reshape(2, 3, 4).T, M.T_3d as Encoded, "T of 3-d");
  assertTensorMatches(torch.arange(24).reshape(2, 3, 4).mT, M.mT as Encoded, "mT");
  assertTensorMatches(torch.complex(a, a.mul(2)).H, M.H as Encoded, "H");
  assertTensorMatches(torch.complex(a, a.neg()).reshape(3, 2, 2).mH, M.mH as Encoded, "mH");
  assert.throws(() => torch.ones(3).H, /only supported on matrices/);
});

test("real and imag are views, settable", () => {
  const c = torch.complex(a, a.mul(2));
  assertTensorMatches(c.real, M.real as Encoded, "real");
  assertTensorMatches(c.imag, M.imag as Encoded, "imag");
  c.imag = torch.zeros(3, 4);
  assert.equal(c.imag.abs().sum().item(), 0);
  c.real.fill_(1);
  assert.equal(c.real.sum().item(), 12, "real is a view");
});

test("data: a detached view sharing storage; setting it swaps the data in place", () => {
  const p = torch.ones(2, { requiresGrad: true });
  const d = p.data;
  assert.equal(d.requiresGrad, false);
  d.fill_(3);
  assert.deepEqual(p.tolist(), [3, 3]);
  p.data = torch.zeros(3);
  assert.deepEqual(p.tolist(), [0, 0, 0]);
  assert.equal(p.requiresGrad, true, "identity and requiresGrad kept");
});

test("ndim, nelement, ndimension, getDevice, tolist, names", () => {
  assert.equal(a.ndim, 2);
  assert.equal(a.nelement(), 12);
  assert.equal(a.ndimension(), 2);
  assert.equal(a.getDevice(), M.get_device);
  assert.deepEqual(torch.arange(6).reshape(2, 3).tolist(), M.tolist);
  assert.deepEqual(a.tolist(), a.toArray(), "toArray stays as an alias");
  assert.deepEqual(a.names, [null, null]);
  assert.equal(a.isShared(), false);
});

test("type() names the legacy type; type(dtype) and the casts convert", () => {
  const types = [a, torch.ones(2, { dtype: "int64" }), torch.ones(2, { dtype: "bool" }), torch.ones(2, { dtype: "float16" }), torch.ones(2, { dtype: "uint8" })];
  assert.deepEqual(types.map((t) => t.type()), M.type);
  assert.equal(a.type("float64").dtype, "float64");
  assert.equal(a.type("torch.IntTensor").dtype, "int32");
  assert.throws(() => a.type("torch.NoTensor"), /invalid type/);
  const casts = M.casts as Record<string, string>;
  for (const [name, dtype] of Object.entries(casts)) {
    const cast = (a as unknown as Record<string, () => Tensor>)[name]!;
    assert.equal(cast.call(a).dtype, dtype, `${name}()`);
  }
});

test("iteration goes over dimension 0, as Python's iter(t)", () => {
  assertTensorsMatch([...torch.arange(6).reshape(2, 3)], M.rows as Encoded[], "rows");
  const seen: number[] = [];
  for (const v of torch.tensor([4, 5])) seen.push(v.item());
  assert.deepEqual(seen, [4, 5]);
  assert.throws(() => [...torch.tensor(1)], /iteration over a 0-d tensor/);
});

test("newTensor, apply_, map_, and the functional methods", () => {
  const t = torch.ones(2, { dtype: "float64" });
  assert.equal(t.newTensor([1, 2]).dtype, "float64");
  assert.deepEqual(torch.tensor([1, 2, 3], { dtype: "float32" }).apply_((v) => v * 10).tolist(), [10, 20, 30]);
  assert.deepEqual(torch.tensor([1, 2], { dtype: "float32" }).map_(torch.tensor([3, 4]), (x, y) => x * y).tolist(), [3, 8]);
  assert.deepEqual(torch.arange(10).split(3).map((s) => s.numel()), [3, 3, 3, 1]);
  assert.deepEqual(torch.arange(10).split([2, 8]).map((s) => s.numel()), [2, 8]);
  assert.deepEqual((torch.tensor([2, 1, 2]).unique() as Tensor).tolist(), [1, 2]);
});

test("clone() and contiguous() take Python's default memory format; any other is a TypeError, never ignored", () => {
  const t = torch.randn(1, 2, 3, 3);
  assert.ok(t.clone({ memoryFormat: "preserve_format" }).equal(t));
  assert.ok(t.contiguous({ memoryFormat: "contiguous_format" }).equal(t));
  assert.throws(() => t.clone({ memoryFormat: "channels_last" } as never), /^TypeError: Tensor\.clone\(\): memoryFormat 'channels_last' is not supported here; use torch\.ops\.aten\.clone/);
  assert.throws(() => t.contiguous({ memoryFormat: "channels_last" } as never), /Tensor\.contiguous\(\): memoryFormat 'channels_last'/);
  assert.throws(() => t.clone({ memory_format: "x" } as never), /unknown option 'memory_format'/);
});
