// Factories take Python's arguments: sizes as varargs or one array, leading defaults of randint
// and arange, options by name; values and dtypes as Python gives them; arguments we cannot
// honour and mistakes are TypeErrors naming the factory and the parameter.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { assertTensorMatches, readFixture, type Encoded } from "./fixtures/torch-values.js";

const P = readFixture<{ factories: Record<string, Encoded> }>("torch", "functions.json").factories;

test("sizes as varargs or one array, with options after them", () => {
  for (const make of [torch.zeros, torch.ones, torch.empty, torch.rand, torch.randn]) {
    assert.deepEqual(make(2, 3).shape, [2, 3], `${make.name}(2, 3)`);
    assert.deepEqual(make([2, 3]).shape, [2, 3], `${make.name}([2, 3])`);
    assert.deepEqual(make(4).shape, [4], `${make.name}(4)`);
    assert.equal(make(2, 3, { dtype: "float64" }).dtype, "float64", `${make.name}(2, 3, { dtype })`);
    assert.equal(make([2, 3], { dtype: "float64" }).dtype, "float64", `${make.name}([2, 3], { dtype })`);
    assert.equal(make(2, { requiresGrad: true }).requiresGrad, true, `${make.name} requiresGrad`);
  }
  assert.deepEqual(torch.zeros().shape, []);
  assert.deepEqual(torch.zeros(2, 3).tolist(), [[0, 0, 0], [0, 0, 0]]);
});

test("randint and arange: Python's leading default (low=0, start=0)", () => {
  assert.deepEqual(torch.randint(10, [3]).shape, [3]);
  assert.deepEqual(torch.randint(2, 10, [3, 2]).shape, [3, 2]);
  assert.deepEqual(torch.randint(10, { size: [4] }).shape, [4]);
  assert.deepEqual(torch.randint({ low: 5, high: 6, size: [2] }).tolist(), [5, 5]);
  assert.equal(torch.randint(10, [3]).dtype, "int64");
  const low = torch.randint(5, 8, [200]);
  assert.ok(low.min().item() >= 5 && low.max().item() < 8);
  const g = new torch.Generator();
  g.manualSeed(3);
  const first = torch.randint(100, [5], { generator: g }).tolist();
  g.manualSeed(3);
  assert.deepEqual(torch.randint(100, [5], { generator: g }).tolist(), first);
  assertTensorMatches(torch.arange(5), P.arange_5!, "arange(5)");
  assertTensorMatches(torch.arange(1, 4, 0.5), P.arange_1_4_05!, "arange(1, 4, 0.5)");
  assert.deepEqual(torch.arange(1, 4).tolist(), [1, 2, 3]);
  assert.deepEqual(torch.arange(0, 10, { step: 3 }).tolist(), [0, 3, 6, 9]);
  assert.equal(torch.arange(3, { dtype: "float32" }).dtype, "float32");
});

test("linspace, logspace, eye, full and tensor give Python's values and dtypes", () => {
  assertTensorMatches(torch.linspace(-1, 2, 7), P.linspace!, "linspace");
  assertTensorMatches(torch.logspace(0, 2, 5), P.logspace!, "logspace");
  assertTensorMatches(torch.logspace(0, 3, 4, 2), P.logspace_base2!, "logspace base 2");
  assertTensorMatches(torch.eye(2, 3), P.eye_2_3!, "eye(2, 3)");
  assertTensorMatches(torch.full([2, 3], 7), P.full_int!, "full int");
  assertTensorMatches(torch.full([2], 0.5), P.full_float!, "full float");
  assertTensorMatches(torch.full([2], true), P.full_bool!, "full bool");
  assertTensorMatches(torch.tensor([[1.5, 2], [3, 4]]), P.tensor_float!, "tensor float");
  assertTensorMatches(torch.tensor([1, 2, 3]), P.tensor_int!, "tensor int");
});

test("*Like factories follow the input's shape, dtype and device unless given", () => {
  const x = torch.ones(2, 3, { dtype: "float64" });
  assert.equal(torch.zerosLike(x).dtype, "float64");
  assert.equal(torch.onesLike(x, { dtype: "int32" }).dtype, "int32");
  assert.deepEqual(torch.fullLike(x, 7).tolist(), [[7, 7, 7], [7, 7, 7]]);
  assert.deepEqual(torch.randnLike(x).shape, [2, 3]);
  const r = torch.randintLike(x, 3);
  assert.ok(r.max().item() < 3 && r.dtype === "float64");
  assert.ok(torch.randintLike(x, 5, 6).eq(5).all().item());
});

test("asTensor returns a tensor of the asked dtype unchanged, and converts JS data", () => {
  const x = torch.arange(3);
  assert.equal(torch.asTensor(x), x);
  assert.equal(torch.asTensor(x, "float64").dtype, "float64");
  assert.equal(torch.asTensor([1.5, 2], { dtype: "float64" }).dtype, "float64");
  const copy = torch.tensor(x);
  copy.add_(1);
  assert.deepEqual(x.tolist(), [0, 1, 2], "tensor(t) copies");
});

test("setDefaultDtype is honoured by factories and tensor()", () => {
  assert.equal(torch.getDefaultDtype(), "float32");
  torch.setDefaultDtype("float64");
  try {
    assert.equal(torch.zeros(2).dtype, "float64");
    assert.equal(torch.randn(2).dtype, "float64");
    assert.equal(torch.tensor([1.5]).dtype, "float64");
    assert.equal(torch.arange(0, 1, 0.5).dtype, "float64");
    assert.equal(torch.tensor([1]).dtype, "int64");
  } finally {
    torch.setDefaultDtype("float32");
  }
  assert.throws(() => torch.setDefaultDtype("int32"), /only floating-point types/);
});

test("out= writes into the given tensor", () => {
  const out = torch.empty(0);
  const r = torch.ones(2, 2, { out });
  assert.equal(r, out);
  assert.deepEqual(out.tolist(), [[1, 1], [1, 1]]);
});

test("mistakes and unsupported options are TypeErrors naming the factory and parameter", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => torch.zeros(2, { biass: 1 } as never), /zeros\(\): unknown option 'biass'/],
    [() => torch.zeros(2, 3.5), /zeros\(\): argument 'size' must be int/],
    [() => torch.full([2], 1, 2 as never), /full\(\): takes 2 positional arguments but 3 were given/],
    [() => torch.zeros(2, { layout: "sparse_coo" }), /zeros\(\): layout 'sparse_coo' is not supported/],
    [() => torch.empty(2, { pinMemory: true }), /empty\(\): pinMemory is not supported/],
    [() => torch.randn(2, { dtype: "float99" as "float32" }), /randn\(\): argument 'dtype'/],
    [() => (torch.randint as (...a: unknown[]) => Tensor)(10), /randint\(\): missing required argument 'size'/],
    [() => torch.eye(2, 3, 4 as never), /eye\(\): takes from 1 to 2 positional arguments/],
  ];
  for (const [call, message] of cases) assert.throws(call, (e: Error) => e instanceof TypeError && message.test(e.message), String(message));
});
