// The generated surface as a PyTorch user meets it: names, overloads, options objects, returns,
// in-place and out= results, methods, and a cheap import that does not load libtorch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { shadowedMethods } from "../src/torch/tensor/tensor.js";

test("importing pystematic/torch loads neither libtorch nor an op table resolution", () => {
  const script = `
    const c0 = process.cpuUsage();
    const torch = await import(${JSON.stringify(new URL("../src/torch-plugin/index.ts", import.meta.url).href)});
    const c = process.cpuUsage(c0);
    const ms = (c.user + c.system) / 1000;
    const { isNativeLoaded } = await import(${JSON.stringify(new URL("../src/torch/native.ts", import.meta.url).href)});
    console.log(JSON.stringify({ loaded: isNativeLoaded(), ms, add: typeof torch.add, logSoftmax: typeof torch.logSoftmax }));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { loaded: boolean; ms: number; add: string; logSoftmax: string };
  assert.equal(out.loaded, false);
  assert.equal(out.add, "function");
  assert.equal(out.logSoftmax, "function");
  // CPU time, not wall time: a loaded machine (CI, parallel test files) stretches wall time alone.
  assert.ok(out.ms < 1500, `import took ${out.ms.toFixed(0)} ms of CPU time`);
});

test("names: camelCase, trailing _ for in-place, the aten name in errors", () => {
  const x = torch.tensor([[1, -2], [3, 4]], { dtype: "float32" });
  assert.deepEqual(torch.logSoftmax(x, 1).shape, [2, 2]);
  assert.equal(typeof x.logSoftmax, "function");
  assert.equal(typeof torch.crossEntropyLoss, "function");
  assert.equal(typeof torch.maxPool2d, "function");
  assert.throws(() => torch.logSoftmax(x, 1.5), /torch\.logSoftmax \(aten::log_softmax\)[\s\S]*argument 'dim' must be int/);
});

test("overloads resolve by argument types, like Python", () => {
  const x = torch.tensor([1, 2, 3], { dtype: "float32" });
  assert.deepEqual(torch.add(x, x, { alpha: 2 }).toArray(), [3, 6, 9]);
  assert.deepEqual(torch.add(x, 1).toArray(), [2, 3, 4]);
  assert.deepEqual(torch.pow(2, x).toArray(), [2, 4, 8]);
  assert.deepEqual(torch.clamp(x, { min: 2 }).toArray(), [2, 2, 3]);
  assert.deepEqual(torch.clamp(x, { min: torch.tensor([3, 0, 0]) }).toArray(), [3, 2, 3]);
  assert.deepEqual(x.sum(0, { keepdim: true }).shape, [1]);
  assert.deepEqual(torch.sum(x, { dtype: "float64" }).dtype, "float64");
  // Defaulted arguments may also be given positionally, as in Python.
  assert.deepEqual((torch.sum as (...a: unknown[]) => Tensor)(torch.ones([2, 2]), [1], true).shape, [2, 1]);
});

test("sizes as separate numbers, as Python's varargs: x.view(2, 3), x.permute(1, 0)", () => {
  const x = torch.arange(6);
  assert.deepEqual(x.view(2, 3).shape, [2, 3]);
  assert.deepEqual(x.view([3, 2]).shape, [3, 2]);
  assert.deepEqual(x.view(2, 3).permute(1, 0).shape, [3, 2]);
  assert.deepEqual(torch.ones([1, 3]).expand(2, 3).shape, [2, 3]);
  assert.deepEqual(x.view(2, 3).repeat(2, 1).shape, [4, 3]);
  assert.throws(() => x.view(2, 3.5), /Tensor\.view \(aten::view\): no overload accepts/);
});

test("in-place and out= calls return the very tensor written", () => {
  const x = torch.tensor([1, -2, 3], { dtype: "float32" });
  assert.equal(x.abs_(), x);
  assert.deepEqual(x.toArray(), [1, 2, 3]);
  assert.equal(torch.neg_(x), x);
  const out = torch.empty([3]);
  assert.equal(torch.mul(x, x, { out }), out);
  assert.equal(torch.exp(x, { out }), out);
  const values = torch.empty([0]);
  const indices = torch.empty([0], { dtype: "int64" });
  const m = torch.tensor([[1, 5], [7, 2]], { dtype: "float32" });
  const r = torch.max(m, 1, { out: [values, indices] });
  assert.equal(r[0], values);
  assert.equal(r[1], indices);
  assert.equal(r.values, values);
  assert.deepEqual(values.toArray(), [5, 7]);
  const [v2] = torch.max(m, 0, { max: torch.empty([0]), maxValues: torch.empty([0], { dtype: "int64" }) });
  assert.deepEqual(v2.toArray(), [7, 5]);
});

test("tuple returns are arrays with Python's named-tuple names", () => {
  const { values, indices } = torch.max(torch.tensor([[1, 5], [7, 2]], { dtype: "float32" }), 1);
  assert.deepEqual(values.toArray(), [5, 7]);
  assert.deepEqual(indices.toArray(), [1, 0]);
  const [q, r] = torch.linalg.qr(torch.eye(2));
  assert.deepEqual(q.shape, [2, 2]);
  assert.deepEqual(r.shape, [2, 2]);
  assert.equal(torch.resultType(torch.ones([1]), 1), "float32");
  assert.equal(torch.isNonzero(torch.tensor([1])), true);
  assert.deepEqual(torch.split(torch.arange(5), 2).map((t) => t.numel()), [2, 2, 1]);
});

test("methods bind self by name (Tensor.where(condition, other) is where(condition, self, other))", () => {
  const x = torch.tensor([1, 2, 3], { dtype: "float32" });
  assert.deepEqual(x.where(x.gt(1), 0).toArray(), [0, 2, 3]);
  assert.deepEqual(x.gt(1).toArray(), [false, true, true]);
  // Hand-written members win; the generated ones stay reachable for other argument forms.
  assert.ok(Object.prototype.hasOwnProperty.call(Tensor.prototype, "add"));
  assert.ok(shadowedMethods.has("add") && shadowedMethods.has("sum"));
  assert.deepEqual(torch.ones([2, 3]).sum(1).toArray(), [3, 3]);
  assert.deepEqual(torch.ones([2, 3]).mean([0, 1]).item(), 1);
  // Generated methods do not shadow hand-written properties.
  assert.equal(typeof Object.getOwnPropertyDescriptor(Tensor.prototype, "isLeaf")?.get, "function");
});

test("dtype, device and memory-format arguments take strings", () => {
  const x = torch.ones([1, 2, 2, 2]);
  assert.equal(torch.zerosLike(x, { dtype: "int32" }).dtype, "int32");
  assert.equal(x.resize_([1, 2, 2, 2], { memoryFormat: "channels_last" }).isContiguous(), false);
  assert.equal(torch.emptyStrided([2], [1], { dtype: "float64", device: "cpu" }).dtype, "float64");
  assert.equal(torch.fft.fftfreq(4, { dtype: "float64" }).dtype, "float64");
});

// Type-level checks: tsc (npm run typecheck) fails if these stop being errors.
export function typeChecks(x: Tensor): void {
  // @ts-expect-error dim must be a number
  torch.logSoftmax(x, "1");
  // @ts-expect-error unknown option
  torch.softmax(x, 1, { bogus: true });
  // @ts-expect-error options keys are camelCase
  torch.sum(x, [1], { keep_dim: true });
  const t: Tensor = torch.conv2d(x, x, { stride: [1, 1], padding: 1 });
  const [values, indices]: [Tensor, Tensor] = torch.sort(x, { dim: 0, descending: true });
  void t;
  void values;
  void indices;
}

test("one-tensor ops called on self alone (the unboxed path) behave as the bound call", () => {
  const x = torch.tensor([[-1, 0.5], [2, 3]], { requiresGrad: true });
  const y = x.sigmoid();
  // Same values and autograd as through the options form, which takes the boxed path.
  assert.deepEqual(y.toArray(), torch.sigmoid(x, {}).toArray());
  assert.equal(y.gradFn, "SigmoidBackward0");
  y.sum().backward();
  const s = (y.detach().toArray() as number[][]).flat();
  const g = (x.grad!.toArray() as number[][]).flat();
  s.forEach((v, i) => assert.ok(Math.abs(g[i]! - v * (1 - v)) < 1e-6));
  // A view op (an alias, not a write) stays a view of self.
  const base = torch.zeros([2, 3]);
  const v = base.t();
  v.add_(1);
  assert.deepEqual(base.toArray(), [[1, 1, 1], [1, 1, 1]]);
  assert.deepEqual(v.shape, [3, 2]);
  // ... sharing its base's version counter, which autograd checks.
  const w = torch.ones([2, 3], { requiresGrad: true });
  const saved = w.mul(base); // saves base for backward
  base.t().mul_(2);
  assert.throws(() => saved.sum().backward(), /modified by an inplace operation/);
  // In-place ops return self (never the unboxed path).
  const z = torch.tensor([0], { dtype: "float32" });
  assert.equal(z.sigmoid_(), z);
  assert.deepEqual(z.toArray(), [0.5]);
  // A disposed self and a non-tensor still get the clear errors.
  const d = torch.ones([1]);
  d.dispose();
  assert.throws(() => d.sigmoid(), /disposed/);
  assert.throws(() => torch.exp("x" as never), /exp|Tensor/);
});

test("ops called with exactly their simple signature's values (the unboxed path) bind as the full binder would", () => {
  const a = torch.tensor([[1, -2], [3, 4]], { dtype: "float32" });
  const b = torch.tensor([[0, 5], [-1, 4]], { dtype: "float32" });
  // (Tensor, Tensor), as a function and as a method, against the options form (the boxed path).
  assert.deepEqual(torch.maximum(a, b).toArray(), [[1, 5], [3, 4]]);
  assert.deepEqual(a.maximum(b).toArray(), torch.maximum(a, b, {} as never).toArray());
  // pow: the Tensor-Tensor overload comes first; a number exponent falls through to Tensor_Scalar.
  assert.deepEqual(a.pow(2).toArray(), [[1, 4], [9, 16]]);
  assert.deepEqual(a.pow(torch.full([2, 2], 2, { dtype: "float32" })).toArray(), [[1, 4], [9, 16]]);
  // (Tensor, int, int) and (Tensor, int) views stay views of their base.
  const base = torch.zeros([2, 3]);
  base.transpose(0, 1).add_(1);
  base.unsqueeze(0).mul_(3);
  assert.deepEqual(base.toArray(), [[3, 3, 3], [3, 3, 3]]);
  assert.deepEqual(torch.zeros([1, 2]).squeeze(0).shape, [2]); // the second overload, squeeze.dim
  assert.deepEqual(torch.zeros([1, 2]).squeeze().shape, [2]);
  // Values that do not fit go to the full binder and its messages.
  assert.throws(() => a.transpose(0, 1.5), /argument 'dim1' must be int|no overload/);
  const gone = torch.ones([2]);
  gone.dispose();
  assert.throws(() => torch.maximum(a, gone as never), /disposed/);
  assert.throws(() => gone.unsqueeze(0), /disposed/);
  // Autograd state on either operand runs the autograd kernels.
  const w = torch.tensor([1, 2], { dtype: "float32", requiresGrad: true });
  const m = torch.maximum(torch.tensor([0, 3], { dtype: "float32" }), w);
  assert.equal(m.gradFn, "MaximumBackward0");
  m.sum().backward();
  assert.deepEqual(w.grad!.toArray(), [1, 0]);
  assert.equal(w.unsqueeze(0).gradFn, "UnsqueezeBackward0");
  assert.equal(w.reshape([2, 1]).transpose(0, 1).gradFn, "TransposeBackward0");
});
