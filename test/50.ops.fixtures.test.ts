// Op values against Python PyTorch: every case of test/fixtures/ops/cases.json (made by
// scripts/fixtures/ops.py through torch.ops.aten, i.e. by schema) is called through the
// generated surface on the same inputs; outputs, and gradients where recorded, must agree.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import torch, { Tensor, type DType } from "../src/torch-plugin/index.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";
import { PYTHON_LEVEL_WRAPPERS } from "../src/torch/functional/index.js";

type Encoded = { t: number[] | boolean[]; shape: number[]; dtype: DType } | { dtype: DType } | { nan: true } | Encoded[] | number | boolean | string | null;
interface Case {
  op: string;
  method: boolean;
  args: Encoded[];
  kwargs: Record<string, Encoded>;
  out: Encoded;
  grad?: number[];
  grads?: Encoded[];
}

const fixtures = JSON.parse(readFileSync(pythonFixturePath("ops", "cases.json"), "utf8")) as { cases: Case[] };
const coverage = JSON.parse(readFileSync(new URL("../src/torch/generated/coverage.json", import.meta.url), "utf8")) as {
  ops: { name: string; torch?: string }[];
};
const torchPath = new Map(coverage.ops.filter((o) => o.torch).map((o) => [o.name, o.torch!.replace(/ \(.*$/, "")]));
const camel = (s: string) => s.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function isTensorCode(v: unknown): v is { t: number[]; shape: number[]; dtype: DType } {
  return typeof v === "object" && v !== null && "t" in v;
}

function decode(v: Encoded): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (isTensorCode(v)) {
    if (v.dtype === "complex64" || v.dtype === "complex128") {
      const real = torch.tensor(v.t, { dtype: v.dtype === "complex64" ? "float32" : "float64" }).reshape([...v.shape, 2]);
      return torch.viewAsComplex(real);
    }
    return torch.tensor(v.t as number[], { dtype: v.dtype }).reshape(v.shape);
  }
  if (typeof v === "object" && v !== null && "dtype" in v) return v.dtype;
  return v;
}

function close(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= 1e-5 + 1e-4 * Math.abs(expected);
}

function compare(actual: unknown, expected: Encoded, where: string): void {
  if (isTensorCode(expected)) {
    assert.ok(actual instanceof Tensor, `${where}: expected a Tensor, got ${String(actual)}`);
    assert.deepEqual(actual.shape, expected.shape, `${where}: shape`);
    assert.equal(actual.dtype, expected.dtype, `${where}: dtype`);
    const flat = Array.from(actual.toTypedArray() as ArrayLike<number | bigint>, Number);
    const want = (expected.t as (number | boolean)[]).map(Number);
    assert.equal(flat.length, want.length, `${where}: element count`);
    for (let i = 0; i < want.length; i++) {
      if (!close(flat[i]!, want[i]!)) assert.fail(`${where}: element ${i} is ${flat[i]}, Python gives ${want[i]}`);
    }
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => compare(actual[i], e, `${where}[${i}]`));
  } else if (typeof expected === "number") {
    assert.ok(typeof actual === "number" && close(actual, expected), `${where}: ${String(actual)} vs ${expected}`);
  } else if (typeof expected === "object" && expected !== null && "nan" in expected) {
    assert.ok(Number.isNaN(actual), `${where}: expected NaN`);
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

function callCase(c: Case, args: unknown[]): unknown {
  const options = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camel(k), decode(v)]));
  const withOptions = Object.keys(options).length ? [...args, options] : args;
  if (c.method) {
    const self = args[0] as Record<string, unknown>;
    const fn = self[camel(c.op)] as (...a: unknown[]) => unknown;
    assert.equal(typeof fn, "function", `Tensor.${camel(c.op)} exists`);
    return fn.apply(self, withOptions.slice(1));
  }
  // torch.<name> of these is Python's wrapper (torch/functional.py); the op itself is torch.ops.aten.<name>.
  if (PYTHON_LEVEL_WRAPPERS.includes(c.op)) return torch.ops.aten[c.op]!(...withOptions);
  const path = torchPath.get(c.op);
  assert.ok(path, `aten::${c.op} has a generated torch function`);
  let target: unknown = torch;
  for (const part of path.split(".").slice(1)) target = (target as Record<string, unknown>)[part];
  assert.equal(typeof target, "function", `${path} exists`);
  return (target as (...a: unknown[]) => unknown)(...withOptions);
}

test("the fixture suite is large enough (≥ 200 calls, ≥ 50 with gradients)", () => {
  assert.ok(fixtures.cases.length >= 200, `${fixtures.cases.length} cases`);
  assert.ok(fixtures.cases.filter((c) => c.grad).length >= 50);
});

test("outputs and gradients match Python PyTorch", () => {
  const failures: string[] = [];
  fixtures.cases.forEach((c, n) => {
    const where = `case ${n} ${c.method ? "Tensor." : ""}${c.op}`;
    try {
      torch.tidy(() => {
        const args = c.args.map(decode);
        for (const i of c.grad ?? []) (args[i] as Tensor).requiresGrad_(true);
        const out = callCase(c, args);
        compare(out, c.out, where);
        if (c.grad) {
          const y = (Array.isArray(out) ? out[0] : out) as Tensor;
          const w = torch.linspace(-1, 1, y.numel(), { dtype: y.dtype }).reshape(y.shape);
          y.mul(w).sum().backward();
          c.grad.forEach((i, k) => compare((args[i] as Tensor).grad, c.grads![k]!, `${where} grad of argument ${i}`));
        }
      });
    } catch (e) {
      failures.push(`${where}: ${(e as Error).message.split("\n")[0]}`);
    }
  });
  assert.deepEqual(failures, []);
});
