// The generated hot methods (src/torch/generated/hot-methods.ts, from scripts/codegen/hot-op-list.ts):
// each hot overload gives what the boxed op gives (broadcasting, dtype promotion, int vs float
// scalars, autograd), arguments they do not honour go to the boxed op (an unknown option is its
// TypeError). That regenerating them changes nothing is test 51's check of the whole generated surface.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "../src/torch-plugin/index.js";
import { shadowedMethods } from "../src/torch/tensor/tensor.js";
import { HOT_METHODS } from "../src/torch/generated/hot-methods.js";
import { HOT_OVERLOADS } from "../scripts/codegen/hot-op-list.js";

type Method = (this: Tensor, ...args: unknown[]) => unknown;

/** The generated boxed method a hot method falls back to. */
function boxed(name: string): Method {
  const fn = shadowedMethods.get(name);
  assert.ok(fn, `no boxed method behind the hot Tensor.${name}`);
  return fn as Method;
}

function hot(name: string): Method {
  const fn = (torch.Tensor.prototype as unknown as Record<string, Method>)[name];
  assert.ok(Object.prototype.hasOwnProperty.call(torch.Tensor.prototype, name), `Tensor.${name} is not a hot method`);
  return fn!;
}

function same(actual: unknown, expected: unknown, what: string): void {
  if (!(actual instanceof torch.Tensor) || !(expected instanceof torch.Tensor)) {
    assert.fail(`${what}: expected tensors, got ${String(actual)} and ${String(expected)}`);
  }
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.deepEqual(actual.toArray(), expected.toArray(), `${what}: values`);
}

/** The same call through the hot method and the boxed one: equal results, or both throw. */
function check(name: string, self: () => Tensor, ...args: unknown[]): void {
  const what = `Tensor.${name}(${args.map((a) => (a instanceof torch.Tensor ? `Tensor ${a.dtype} [${a.shape}]` : typeof a === "bigint" ? `${a}n` : JSON.stringify(a))).join(", ")})`;
  let expected: unknown;
  let expectedError: unknown;
  try {
    expected = boxed(name).apply(self(), args);
  } catch (e) {
    expectedError = e;
  }
  if (expectedError !== undefined) {
    assert.throws(() => hot(name).apply(self(), args), `${what}: the boxed op throws, the hot one must too`);
    return;
  }
  same(hot(name).apply(self(), args), expected, what);
}

const f = () => torch.tensor([[1.5, -2, 3], [4, 0.5, -6]]);
const row = () => torch.tensor([2, -1, 0.25]);
const ints = () => torch.tensor([[1, 2, 3], [4, 5, 6]]);
const f64 = () => torch.tensor([1, 2, 3], { dtype: "float64" });
const bools = () => torch.tensor([true, false, true]);

test("every declared hot overload has its hot method", () => {
  const declared = new Set(HOT_OVERLOADS);
  const covered = new Set([...HOT_METHODS.values()].flat());
  assert.deepEqual([...covered].sort(), [...declared].sort());
  for (const name of HOT_METHODS.keys()) hot(name);
});

test("binary ops: broadcasting, dtype promotion, int and float scalars, as the boxed op", () => {
  for (const name of ["add", "sub", "mul", "div"]) {
    check(name, f, row()); // broadcasting
    check(name, f, f());
    check(name, ints, row()); // int64 op float32 -> float32
    check(name, ints, ints()); // div: int / int -> float
    check(name, ints, f64()); // int64 op float64 -> float64
    check(name, f64, ints().idx(0)); // float64 op int64
    check(name, ints, 2); // an integral number is an int: int64 stays int64 (div: float)
    check(name, ints, 2.5); // a fractional one a float: int64 -> float32
    check(name, f, 3n); // bigint: an int
    check(name, ints, true); // a boolean
    check(name, bools, bools()); // sub on bools: both throw
    check(name, f, torch.tensor(2.5, { dtype: "float64" })); // a 0-dim tensor does not promote
  }
});

test("in-place ops return self and write what the boxed op writes", () => {
  for (const name of ["add_", "sub_", "mul_", "div_"]) {
    for (const arg of [row(), 2, 0.5, torch.tensor(3)]) {
      const a = f();
      const b = f();
      const r = hot(name).call(a, arg);
      boxed(name).call(b, arg);
      assert.equal(r, a, `${name} returns this`);
      same(a, b, `Tensor.${name}`);
    }
    check(name, ints, 0.5); // float into int64: both throw
    check(name, row, f()); // broadcast into a smaller self: both throw
  }
  const dst = torch.zeros([2, 3], { dtype: "float64" });
  assert.equal(dst.copy_(ints()), dst);
  same(dst, ints().to("float64"), "copy_");
  check("copy_", f, row()); // broadcasting copy
});

test("reductions, activations and shape ops, as the boxed op", () => {
  for (const name of ["sum", "mean", "relu", "neg", "sigmoid", "tanh", "exp", "t"]) {
    check(name, f);
    check(name, ints); // sum: int64; mean of int64: both throw
    check(name, () => torch.tensor(2.5));
  }
  check("matmul", f, row().reshape([3, 1]));
  check("matmul", f, row()); // matrix @ vector
  check("matmul", row, row()); // vector @ vector: 0-dim
  check("matmul", () => torch.ones([4, 2, 3]), f().t()); // batched with broadcasting
  check("matmul", ints, row()); // mixed dtypes: both throw
  check("select", f, 0, 1);
  check("select", f, 1, -1);
  check("select", f, 0, 5); // out of range: both throw
  check("reshape", f, [3, 2]);
  check("reshape", f, 3, 2);
  check("reshape", f, -1);
  check("reshape", f, [4, 2]); // wrong size: both throw
  check("transpose", () => torch.ones([2, 3, 4]), 0, 2);
  check("unsqueeze", f, -1);
  check("t", () => torch.ones([2, 3, 4])); // more than 2-d: both throw
});

test("autograd: requires-grad inputs give the boxed op's gradients", () => {
  const grads = (method: (name: string) => Method, name: string, args: (a: Tensor, b: Tensor) => unknown[]): number[][] => {
    const a = torch.tensor([[1.5, -2, 3], [4, 0.5, -6]], { requiresGrad: true });
    const b = torch.tensor([2, -1, 0.25], { requiresGrad: true });
    const y = method(name).apply(a, args(a, b)) as Tensor;
    (y.dim() === 0 ? y : y.sum()).backward();
    return [a.grad!.toArray() as number[], b.grad?.toArray() as number[]];
  };
  const cases: [string, (a: Tensor, b: Tensor) => unknown[]][] = [
    ["add", (_, b) => [b]], ["sub", (_, b) => [b]], ["mul", (_, b) => [b]], ["div", (_, b) => [b]], ["mul", () => [3]],
    ["sum", () => []], ["mean", () => []], ["relu", () => []], ["neg", () => []], ["sigmoid", () => []], ["tanh", () => []],
    ["exp", () => []], ["matmul", (_, b) => [b]], ["select", () => [1, 2]], ["reshape", () => [[3, 2]]], ["t", () => []],
    ["transpose", () => [0, 1]], ["unsqueeze", () => [0]],
  ];
  for (const [name, args] of cases) {
    assert.deepEqual(grads(hot, name, args), grads(boxed, name, args), `Tensor.${name}: gradients`);
  }
  // An in-place op on a tensor another op saved for backward: autograd still sees the write.
  const w = torch.tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
  const x = torch.tensor([4, 5, 6], { dtype: "float32" });
  const y = w.mul(x);
  x.add_(1);
  assert.throws(() => y.sum().backward(), /modified by an inplace operation/);
  // A view of a leaf that requires grad, written in place: the graph records it.
  const leaf = torch.tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
  const z = leaf.mul(1);
  z.select(0, 1).mul_(10);
  z.sum().backward();
  assert.deepEqual(leaf.grad!.toArray(), [1, 10, 1]);
  // Views stay views: a write through one shows in its base.
  const base = torch.zeros([2, 3]);
  base.select(0, 1).add_(1);
  base.reshape(-1).idx(0).fill_(7);
  assert.deepEqual(base.toArray(), [[7, 0, 0], [1, 1, 1]]);
});

test("what a hot overload does not take goes to the boxed op: unknown options are TypeErrors", () => {
  const a = f();
  assert.throws(() => a.add(row(), { beta: 2 } as never), TypeError);
  assert.throws(() => a.add_(row(), { beta: 2 } as never), TypeError);
  assert.throws(() => a.sum({ bogus: true } as never), TypeError);
  assert.throws(() => a.mean({ keepDim: true } as never), TypeError);
  assert.throws(() => hot("reshape").call(a, [3, 2], { x: 1 }), TypeError);
  assert.throws(() => hot("relu").call(a, { inplace: true }), TypeError);
  assert.throws(() => a.copy_(row(), { nonBlocking: true, x: 1 } as never), TypeError);
  assert.throws(() => a.matmul("x" as never), TypeError);
  assert.throws(() => a.select(0, 0.5), TypeError);
  // The options a hot overload leaves out are the boxed op's.
  same(a.add(row(), { alpha: 2 }), boxed("add").call(a, row(), { alpha: 2 }), "add with alpha");
  same(a.add(2, 3), boxed("add").call(a, 2, 3), "add.Scalar with a positional alpha");
  same(a.div(row(), { roundingMode: "floor" }), boxed("div").call(a, row(), { roundingMode: "floor" }), "div with a rounding mode");
  same(a.sum(1, { keepdim: true }), boxed("sum").call(a, 1, { keepdim: true }), "sum over a dim");
  same(a.mean({ dtype: "float64" }), boxed("mean").call(a, { dtype: "float64" }), "mean with a dtype");
  // A trailing undefined is no argument, as for every generated method.
  same(a.add(row(), undefined), boxed("add").call(a, row()), "add(other, undefined)");
});

test("t.idx(i) is Python's t[i]: libtorch's indexing, its messages", () => {
  const m = torch.arange(12).reshape([3, 4]);
  assert.deepEqual(m.idx(-1).toArray(), [8, 9, 10, 11]);
  assert.equal(m.idx(1).storageOffset(), 4);
  assert.throws(() => m.idx(3), /index 3 is out of bounds for dimension 0 with size 3/);
  assert.throws(() => m.idx(-4), /index -4 is out of bounds for dimension 0 with size 3/);
  assert.throws(() => torch.tensor(1).idx(0), /invalid index of a 0-dim tensor/);
});
