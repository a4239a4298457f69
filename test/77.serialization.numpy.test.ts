// torch.load reads NumPy values Python pickled into a checkpoint (scripts/fixtures/torch_functions.py
// writes numpy.pt): arrays become tensors (dtype, shape, byte order and Fortran order kept),
// NumPy scalars become JS numbers/booleans (a bigint beyond 2^53).
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

const loaded = torch.load(pythonFixturePath("torch", "numpy.pt")) as Record<string, unknown>;

function tensorOf(key: string): Tensor {
  const t = loaded[key];
  assert.ok(t instanceof Tensor, `${key} loads as a Tensor`);
  return t;
}

test("numpy arrays load as tensors of the same dtype, shape and values", () => {
  const a = tensorOf("a");
  assert.equal(a.dtype, "float64");
  assert.deepEqual(a.tolist(), [[0, 1, 2], [3, 4, 5]]);
  assert.equal(tensorOf("f32").dtype, "float32");
  assert.deepEqual(tensorOf("f32").tolist(), [-1, -0.5, 0, 0.5, 1]);
  assert.equal(tensorOf("i64").dtype, "int64");
  assert.deepEqual(tensorOf("i64").tolist(), [-3, -2, -1, 0, 1, 2]);
  assert.equal(tensorOf("i32").dtype, "int32");
  assert.deepEqual(tensorOf("i32").tolist(), [[1, -2], [3, -4]]);
  assert.deepEqual(tensorOf("u8").tolist(), [0, 7, 255]);
  assert.equal(tensorOf("b").dtype, "bool");
  assert.deepEqual(tensorOf("b").tolist(), [true, false, true]);
  assert.equal(tensorOf("f16").dtype, "float16");
  assert.deepEqual(tensorOf("f16").tolist(), [0.5, -1.25]);
  const c = tensorOf("c64");
  assert.equal(c.dtype, "complex64");
  assert.deepEqual(Array.from(c.toTypedArray() as Float32Array), [1, 2, -0, -3.5]); // Python's -3.5j is (-0 - 3.5j)
});

test("big-endian and Fortran-ordered arrays, empty and 0-d arrays", () => {
  assert.deepEqual(tensorOf("big_endian").tolist(), [0, 1, 2, 3]);
  const f = tensorOf("fortran");
  assert.equal(f.dtype, "int16");
  assert.deepEqual(f.tolist(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(tensorOf("empty").shape, [0, 3]);
  const z = tensorOf("zero_d");
  assert.deepEqual(z.shape, []);
  assert.equal(z.item(), 2.5);
});

test("numpy scalars load as numbers and booleans; int64 beyond 2^53 as a bigint", () => {
  assert.equal(loaded.f64_scalar, 1.5);
  assert.equal(loaded.f32_scalar, 0.25);
  assert.equal(loaded.i64_scalar, -7);
  assert.equal(loaded.big_int_scalar, 2n ** 60n + 1n);
  assert.equal(loaded.bool_scalar, true);
});

test("an array referenced twice loads as one tensor; torch tensors beside arrays still load", () => {
  const [first, second] = loaded.shared as Tensor[];
  assert.ok(first instanceof Tensor && second instanceof Tensor);
  first.add_(1);
  assert.deepEqual(second.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(tensorOf("tensor").tolist(), [0, 1, 2]);
});
