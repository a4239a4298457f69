// Tensor core: creation, properties, copies out, moves, printing (against Python PyTorch).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import torch, { Tensor, type DType } from "../src/torch-plugin/index.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

test("tensor() infers dtype and shape like PyTorch", () => {
  const f = torch.tensor([[1.5, 2], [3, 4]]);
  assert.equal(f.dtype, "float32");
  assert.deepEqual(f.shape, [2, 2]);
  assert.deepEqual(f.toArray(), [[1.5, 2], [3, 4]]);
  assert.equal(torch.tensor([1, 2, 3]).dtype, "int64");
  assert.equal(torch.tensor([true, false]).dtype, "bool");
  assert.deepEqual(torch.tensor([true, false]).toArray(), [true, false]);
  assert.equal(torch.tensor([1n, 2n]).dtype, "int64");
  const s = torch.tensor(2.5);
  assert.deepEqual(s.shape, []);
  assert.equal(s.item(), 2.5);
  assert.equal(torch.tensor([1, 2], { dtype: "float64" }).dtype, "float64");
});

test("every dtype round-trips through toTypedArray with the documented array type", () => {
  const expected: [DType, string][] = [
    ["float32", "Float32Array"],
    ["float64", "Float64Array"],
    ["float16", "Float32Array"],
    ["bfloat16", "Float32Array"],
    ["int8", "Int8Array"],
    ["int16", "Int16Array"],
    ["int32", "Int32Array"],
    ["int64", "BigInt64Array"],
    ["uint8", "Uint8Array"],
    ["bool", "Uint8Array"],
  ];
  for (const [dtype, arrayType] of expected) {
    const t = torch.tensor([0, 1, 2], { dtype });
    assert.equal(t.dtype, dtype);
    const a = t.toTypedArray() as ArrayLike<number | bigint>;
    assert.equal((a as object).constructor.name, arrayType, dtype);
    assert.deepEqual(Array.from(a, Number), dtype === "bool" ? [0, 1, 1] : [0, 1, 2], dtype);
  }
  const c = torch.tensor([1, 2]).to("complex64");
  assert.deepEqual(Array.from(c.toTypedArray() as Float32Array), [1, 0, 2, 0]);
});

test("fromTypedArray copies and keeps the array's dtype", () => {
  const data = new Float64Array([1, 2, 3, 4, 5, 6]);
  const t = torch.fromTypedArray(data, [2, 3]);
  data[0] = 100;
  assert.equal(t.dtype, "float64");
  assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.throws(() => torch.fromTypedArray(new Float32Array(5), [2, 3]), /has 5 elements but shape \[2, 3\] needs 6/);
  const big = torch.fromTypedArray(new BigInt64Array([2n ** 60n]));
  assert.equal(big.toTypedArray()[0], 2n ** 60n);
  assert.throws(() => big.item(), /beyond 2\^53/);
  assert.throws(() => big.toArray(), /beyond 2\^53/);
});

test("factories: zeros, ones, full, eye, arange, linspace, randint, *Like", () => {
  assert.deepEqual(torch.zeros([2, 3]).toArray(), [[0, 0, 0], [0, 0, 0]]);
  assert.deepEqual(torch.ones(2, { dtype: "int32" }).toArray(), [1, 1]);
  assert.deepEqual(torch.full([2], 7).toArray(), [7, 7]);
  assert.equal(torch.full([2], 7).dtype, "int64");
  assert.equal(torch.full([2], 0.5).dtype, "float32");
  assert.deepEqual(torch.eye(2).toArray(), [[1, 0], [0, 1]]);
  assert.deepEqual(torch.eye(2, 3).shape, [2, 3]);
  assert.deepEqual(torch.arange(4).toArray(), [0, 1, 2, 3]);
  assert.equal(torch.arange(4).dtype, "int64");
  assert.deepEqual(torch.arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75]);
  assert.deepEqual(torch.linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
  const r = torch.randint(3, 7, [1000]).toTypedArray() as BigInt64Array;
  assert.ok(r.every((v) => v >= 3n && v < 7n));
  assert.ok(new Set(r).size === 4);
  const like = torch.onesLike(torch.zeros([2, 2], { dtype: "float64" }));
  assert.equal(like.dtype, "float64");
  assert.deepEqual(like.shape, [2, 2]);
  assert.deepEqual(torch.zeros([3]).size(), [3]);
  assert.equal(torch.zeros([3, 4]).size(-1), 4);
  assert.throws(() => torch.zeros([3]).size(2), /out of range/);
});

test("manualSeed makes rand/randn reproducible and matches Python's torch.manual_seed(0)", () => {
  torch.manualSeed(0);
  const a = torch.rand([3]).toArray() as number[];
  torch.manualSeed(0);
  const b = torch.rand([3]).toArray() as number[];
  assert.deepEqual(a, b);
  // python: torch.manual_seed(0); torch.rand(3) -> [0.4963, 0.7682, 0.0885]
  assert.deepEqual(a.map((v) => v.toFixed(4)), ["0.4963", "0.7682", "0.0885"]);
});

test("to(), cpu(), clone(), contiguous(), detach()", () => {
  const t = torch.tensor([1.5, 2.5]);
  assert.equal(t.to("float32"), t, "no-op conversion returns the same tensor, as PyTorch");
  assert.equal(t.cpu(), t);
  const d = t.to("float64");
  assert.equal(d.dtype, "float64");
  assert.deepEqual(d.toArray(), [1.5, 2.5]);
  assert.equal(t.to({ dtype: "int32" }).dtype, "int32");
  const c = t.clone();
  c.add_(1);
  assert.deepEqual(t.toArray(), [1.5, 2.5]);
  assert.deepEqual(c.toArray(), [2.5, 3.5]);
  const m = torch.arange(6).reshape([2, 3]);
  assert.ok(m.isContiguous());
  assert.deepEqual(m.stride(), [3, 1]);
  const g = torch.ones([2], { requiresGrad: true });
  assert.equal(g.detach().requiresGrad, false);
});

test("autograd basics: backward, grad, requiresGrad_, gradFn, isLeaf", () => {
  const x = torch.tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
  const y = x.mul(x).sum();
  assert.equal(y.gradFn, "SumBackward0");
  assert.equal(x.isLeaf, true);
  assert.equal(y.isLeaf, false);
  y.backward();
  assert.deepEqual(x.grad!.toArray(), [2, 4, 6]);
  x.grad = undefined;
  assert.equal(x.grad, undefined);
  const z = torch.zeros([2]).requiresGrad_();
  assert.equal(z.requiresGrad, true);
  const v = torch.noGrad(() => z.mul(2));
  assert.equal(v.requiresGrad, false);
  assert.equal(torch.isGradEnabled(), true);
});

test("printing matches Python PyTorch's str(tensor)", () => {
  const cases = JSON.parse(readFileSync(pythonFixturePath("tensor", "print.json"), "utf8")) as {
    name: string;
    dtype: DType;
    shape: number[];
    values: (number | boolean | string)[];
    requiresGrad: boolean;
    expected: string;
  }[];
  assert.ok(cases.length >= 15);
  for (const c of cases) {
    const values = c.values.map((v) => (typeof v === "string" ? Number(v.replace("inf", "Infinity")) : v));
    const flat =
      c.dtype === "bool"
        ? torch.tensor(values as boolean[])
        : torch.fromTypedArray(new Float64Array(values as number[]));
    const t = flat.to(c.dtype).reshape(c.shape);
    if (c.requiresGrad) t.requiresGrad = true;
    assert.equal(t.toString(), c.expected, c.name);
  }
});

test("tensors are instances of Tensor and print in util.inspect", async () => {
  const { inspect } = await import("node:util");
  const t = torch.ones([2]);
  assert.ok(t instanceof Tensor);
  assert.equal(inspect(t), "tensor([1., 1.])");
  assert.equal(`${torch.tensor([1, 2])}`, "tensor([1, 2])");
});

test("threads and CUDA answer honestly", () => {
  const n = torch.getNumThreads();
  torch.setNumThreads(1);
  assert.equal(torch.getNumThreads(), 1);
  torch.setNumThreads(n);
  assert.throws(() => torch.setNumThreads(0), /positive/);
  if (torch.cuda.isAvailable()) {
    assert.ok(torch.cuda.deviceCount() > 0);
    const t = torch.ones([2]).cuda();
    assert.equal(t.device, "cuda:0");
    assert.deepEqual(t.cpu().toArray(), [1, 1]);
  } else {
    assert.equal(torch.cuda.deviceCount(), 0);
    assert.throws(() => torch.ones([2]).cuda(), /CUDA is not available.*LIBTORCH/s);
    assert.throws(() => torch.cuda.synchronize(), /CUDA is not available/);
    assert.throws(() => torch.zeros([1], { device: "cuda" }), Error);
  }
});

test("random factories draw from a torch.Generator like Python's", () => {
  // python: g = torch.Generator(); g.manual_seed(3); torch.rand(3, generator=g); torch.randn(2, generator=g);
  //         torch.randint(0, 10, (4,), generator=g)
  const g = new torch.Generator();
  g.manualSeed(3);
  const round = (t: Tensor) => (t.toArray() as number[]).map((v) => +v.toFixed(4));
  assert.deepEqual(round(torch.rand([3], { generator: g })), [0.0043, 0.1056, 0.2858]);
  assert.deepEqual(round(torch.randn([2], { generator: g })), [0.2453, 1.1186]);
  assert.deepEqual(torch.randint(0, 10, [4], { generator: g }).toArray(), [5, 1, 9, 4]);
});

test("hand-written hot ops hand extra arguments to the full aten op", () => {
  const a = torch.tensor([7, 3]);
  assert.deepEqual(a.div(2, { roundingMode: "floor" }).toArray(), [3, 1]);
  assert.deepEqual(a.add(a, { alpha: 2 }).toArray(), [21, 9]);
  assert.deepEqual(a.clone().sub_(1, { alpha: 2 }).toArray(), [5, 1]);
  assert.deepEqual(a.reshape(2, 1).shape, [2, 1]);
});

test("hot-op short cuts (plain CPU tensors skip the dispatcher) give the full op's bits", () => {
  // torch.mean(x) and torch.relu(x) take the generated (boxed) path: at::mean, at::relu.
  const cases = [
    torch.randn([1]),
    torch.randn([7], { dtype: "float64" }),
    torch.randn([1000]).mul(1e3),
    torch.randn([30, 40]).t(), // not contiguous
    torch.empty([0]),
    torch.tensor([Number.NaN, -0, 0, -1, Infinity], { dtype: "float32" }),
  ];
  for (const x of cases) {
    assert.ok(Object.is(x.mean().item(), torch.mean(x).item()), `mean of ${x.shape}`);
    assert.equal(x.mean().dtype, x.dtype);
    assert.deepEqual(x.relu().toArray(), torch.relu(x).toArray());
  }
  assert.ok(Number.isNaN(torch.empty([0]).mean().item()));
  assert.deepEqual(torch.tensor([Number.NaN, -1, 2]).relu().toArray(), [Number.NaN, 0, 2]);
  // Types the short cuts leave to the full op: its errors and its rules stay.
  assert.throws(() => torch.tensor([1, 2]).mean(), /mean\(\): could not infer output dtype/);
  assert.throws(() => torch.tensor([true]).relu(), /Boolean inputs not supported for relu/);
  assert.deepEqual(torch.tensor([-2, 3]).relu().toArray(), [0, 3]);
  assert.equal(torch.tensor([1, 2], { dtype: "float16" }).mean().item(), 1.5);
  // With autograd the full ops run and record their backward.
  const w = torch.tensor([1, -2, 3], { dtype: "float32", requiresGrad: true });
  assert.equal(w.mean().gradFn, "MeanBackward0");
  assert.equal(w.relu().gradFn, "ReluBackward0");
});

test("matmul of two plain matrices (the CPU mm kernel) gives torch.mm's bits and matmul's rules", () => {
  const b = torch.randn([40, 5]);
  for (const a of [torch.randn([3, 40]), torch.randn([40, 3]).t(), torch.randn([0, 40])]) {
    assert.ok(torch.equal(a.matmul(b), torch.mm(a, b)), `${a.shape} @ ${b.shape}`);
  }
  assert.deepEqual(torch.ones([2, 3], { dtype: "int64" }).matmul(torch.ones([3, 2], { dtype: "int64" })).toArray(), [[3, 3], [3, 3]]);
  assert.throws(() => torch.ones([2, 3]).matmul(torch.ones([4, 5])), /mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)/);
  // libtorch's own message, which 2.x reworded.
  const mixedDtypes = torch.version.major >= 2 ? /expected m1 and m2 to have the same dtype, but got: float != double/ : /expected scalar type Float but found Double/;
  assert.throws(() => torch.ones([2, 3]).matmul(torch.ones([3, 2], { dtype: "float64" })), mixedDtypes);
  assert.throws(() => torch.mm(torch.ones([2, 3]), torch.ones([3, 2], { dtype: "float64" })), mixedDtypes);
  // Other ranks, and autograd, take at::matmul.
  assert.deepEqual(torch.ones([3]).matmul(torch.ones([3, 2])).shape, [2]);
  assert.deepEqual(torch.ones([4, 2, 3]).matmul(torch.ones([3, 5])).shape, [4, 2, 5]);
  const w = torch.ones([3, 2], { requiresGrad: true });
  assert.equal(torch.ones([2, 3]).matmul(w).gradFn, "MmBackward0");
});
