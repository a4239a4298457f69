// Scaled dot-product attention: nn.functional.scaledDotProductAttention has Python 2.6's
// semantics on every libtorch (aten's op on 2.x; on 1.13, which lacks it, 2.x's math path composed
// of ops), and nn.MultiheadAttention / TransformerEncoderLayer use it on 2.x as PyTorch 2.x does.
// Values: sdpa.json is made by Python torch 2.6 (1.13's Python has no such function) and checked
// on both versions; mha.json by each version's own Python.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

const F = nn.functional;

interface Encoded {
  shape: number[];
  dtype: "float32" | "float64" | "bool";
  /** Non-finite values as the strings "inf", "-inf", "nan". */
  data: (number | boolean | string)[];
}

interface SdpaCase {
  name: string;
  inputs: { query: Encoded; key: Encoded; value: Encoded };
  options: { attnMask?: Encoded; dropoutP?: number; isCausal?: boolean; scale?: number; enableGqa?: boolean };
  seed?: number;
  out: Encoded;
  grads?: { query: Encoded; key: Encoded; value: Encoded };
}

interface ModuleCase {
  name: string;
  state: Record<string, Encoded>;
  args: Encoded[];
  kwargs: Record<string, Encoded>;
  flags: Record<string, boolean>;
  out: Encoded;
}

const numberOf = (v: number | boolean | string): number =>
  v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : Number(v);

function decode(e: Encoded): Tensor {
  if (e.dtype === "bool") return torch.tensor(e.data as boolean[]).reshape(e.shape);
  const values = e.data.map(numberOf);
  const data = e.dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values);
  return torch.fromTypedArray(data, e.shape);
}

function assertClose(actual: Tensor, expected: Encoded, what: string, atol: number, rtol: number): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  const got = actual.detach().to("float64").contiguous().toTypedArray() as Float64Array;
  expected.data.forEach((w, i) => {
    const want = numberOf(w);
    const diff = Math.abs(got[i]! - want);
    if (!(diff <= atol + rtol * Math.abs(want))) assert.fail(`${what}: element ${i} is ${got[i]}, Python gives ${want} (diff ${diff})`);
  });
}

const tolerance = (e: Encoded): [number, number] => (e.dtype === "float64" ? [1e-12, 1e-10] : [2e-6, 2e-5]);
const running = `${torch.version.major}.${torch.version.minor}`;

const sdpa = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/torch-2.6/attention/sdpa.json", import.meta.url)), "utf8")) as {
  cases: SdpaCase[];
};

test(`scaledDotProductAttention gives Python 2.6's values on libtorch ${running}: masks, causal, scale, GQA, 2- to 4-D, float64`, () => {
  assert.ok(sdpa.cases.length >= 13);
  for (const c of sdpa.cases) {
    if (c.seed !== undefined) continue;
    const q = decode(c.inputs.query);
    const k = decode(c.inputs.key);
    const v = decode(c.inputs.value);
    const { attnMask, ...rest } = c.options;
    const out = F.scaledDotProductAttention(q, k, v, { ...rest, ...(attnMask ? { attnMask: decode(attnMask) } : {}) });
    assertClose(out, c.out, c.name, ...tolerance(c.out));
  }
  const masked = sdpa.cases.find((c) => c.name === "bool mask with a fully masked row")!;
  assert.ok(masked.out.data.slice(2 * 5, 3 * 5).every((x) => x === 0), "Python gives zeros for a fully masked query row");
});

test("scaledDotProductAttention's gradients are Python 2.6's", () => {
  const withGrads = sdpa.cases.filter((c) => c.grads);
  assert.equal(withGrads.length, 3);
  for (const c of withGrads) {
    const q = decode(c.inputs.query).requiresGrad_();
    const k = decode(c.inputs.key).requiresGrad_();
    const v = decode(c.inputs.value).requiresGrad_();
    const attnMask = c.options.attnMask ? decode(c.options.attnMask) : null;
    const out = F.scaledDotProductAttention(q, k, v, attnMask, 0, c.options.isCausal ?? false);
    const weight = torch.linspace(-1, 1, out.numel()).reshape(out.shape);
    out.mul(weight).sum().backward();
    assertClose(q.grad!, c.grads!.query, `${c.name}: query's gradient`, 1e-5, 1e-4);
    assertClose(k.grad!, c.grads!.key, `${c.name}: key's gradient`, 1e-5, 1e-4);
    assertClose(v.grad!, c.grads!.value, `${c.name}: value's gradient`, 1e-5, 1e-4);
  }
});

test("dropout draws from the default generator as Python's math path does: the same seed, the same values", () => {
  const c = sdpa.cases.find((x) => x.seed !== undefined)!;
  const q = decode(c.inputs.query);
  const k = decode(c.inputs.key);
  const v = decode(c.inputs.value);
  torch.manualSeed(c.seed!);
  const out = F.scaledDotProductAttention(q, k, v, null, c.options.dropoutP);
  assertClose(out, c.out, c.name, 2e-6, 2e-5);
  const plain = F.scaledDotProductAttention(q, k, v);
  assert.ok(out.sub(plain).abs().max().item() > 1e-3, "dropout changed the values");
  assert.equal(F.scaledDotProductAttention(q, k, v, null, 1).abs().sum().item(), 0);
});

test("arguments as Python binds them: (query, key, value, attnMask, dropoutP, isCausal, *, scale, enableGqa)", () => {
  const q = torch.randn([2, 3, 4]);
  const k = torch.randn([2, 5, 4]);
  const mask = torch.randn([3, 5]);
  const byName = F.scaledDotProductAttention(q, k, k, { attnMask: mask, scale: 0.5 });
  assert.deepEqual(F.scaledDotProductAttention(q, k, k, mask, 0, false, { scale: 0.5 }).toArray(), byName.toArray());
  assert.deepEqual(byName.shape, [2, 3, 4]);
  const call = F.scaledDotProductAttention as (...a: unknown[]) => Tensor;
  assert.throws(() => call(q, k, k, null, 0, false, 0.5), new TypeError("nn.functional.scaledDotProductAttention() takes from 3 to 6 positional arguments but 7 were given"));
  assert.throws(() => call(q, k, k, mask, { attnMask: mask }), new TypeError("nn.functional.scaledDotProductAttention() got multiple values for argument 'attnMask'"));
  assert.throws(() => call(q, k, k, { is_causal: true }), new TypeError("nn.functional.scaledDotProductAttention() got an unexpected option 'is_causal'"));
  assert.throws(() => call(q, k, k, null, "0.1"), /argument 'dropoutP' must be a number, not/);
  assert.throws(() => call(q, k, k, { isCausal: 1 }), /argument 'isCausal' must be a boolean/);
  assert.throws(() => call(q, [1], k), (e: Error) => e instanceof TypeError && /argument 'key' must be a Tensor/.test(e.message));
  assert.throws(() => call(q, k, k, [1]), /argument 'attnMask' must be a Tensor or null/);
});

test("bad inputs are clear errors naming scaledDotProductAttention and the argument, before libtorch runs", () => {
  const q = torch.randn([2, 3, 4]);
  const F_ = F.scaledDotProductAttention;
  assert.throws(() => F_(q, q.double(), q), /^Error: nn\.functional\.scaledDotProductAttention\(\): query, key and value must have the same dtype, but got query float32, key float64 and value float32$/m);
  assert.throws(() => F_(torch.randn([4]), q, q), /must be at least 2-dimensional, but got query 1-D, key 3-D and value 3-D/);
  assert.throws(() => F_(q, q, q, torch.ones([3, 3], { dtype: "int64" })), /argument 'attnMask' must be bool, float32 or query's dtype \(float32\), not int64/);
  assert.throws(() => F_(q, q, q, torch.ones([3, 3], { dtype: "bool" }), 0, true), /argument 'attnMask' must be null when isCausal is true/);
  assert.throws(() => F_(q, q, q, null, 1.5), (e: Error) => e instanceof RangeError && /'dropoutP'.*between 0 and 1, but got 1.5/.test(e.message));
  const q4 = torch.randn([1, 6, 3, 4]);
  const k4 = torch.randn([1, 4, 3, 4]);
  assert.throws(() => F_(q4, k4, k4, { enableGqa: true }), /with enableGqa the number of heads of key \(4\) and value \(4\) must divide query's \(6\)/);
});

test(`libtorch ${running}: ${running === "1.13" ? "the raw aten op is absent, the functional form works" : "the functional form is aten's op"}`, () => {
  const q = torch.randn([1, 2, 3, 4]);
  if (torch.version.major < 2) {
    assert.throws(() => torch.scaledDotProductAttention(q, q, q), /torch\.scaledDotProductAttention \(aten::scaled_dot_product_attention\) is not in libtorch 1\.13\.\d+; it is in 2\.6/);
  } else {
    const mask = torch.randn([3, 3]);
    assert.deepEqual(F.scaledDotProductAttention(q, q, q, mask).toArray(), torch.scaledDotProductAttention(q, q, q, { attnMask: mask }).toArray());
  }
  // Half precision runs in float32 inside and returns its own dtype.
  const h = torch.randn([2, 3, 4]).to("bfloat16");
  const out = F.scaledDotProductAttention(h, h, h);
  assert.equal(out.dtype, "bfloat16");
  const ref = F.scaledDotProductAttention(h.float(), h.float(), h.float());
  assert.ok(out.float().sub(ref).abs().max().item() < 2e-2);
});

// mha.json: each version's Python (1.13: the explicit bmm path; 2.6: scaled_dot_product_attention
// without weights, its fused fast path under no_grad in eval).
const modules = JSON.parse(readFileSync(pythonFixturePath("attention", "mha.json"), "utf8")) as { cases: ModuleCase[] };

const constructors: Record<string, () => nn.Module> = {
  "MultiheadAttention, needWeights false": () => new nn.MultiheadAttention(8, 2),
  "MultiheadAttention, masks, needWeights false": () => new nn.MultiheadAttention(8, 2),
  "MultiheadAttention, masks, needWeights true": () => new nn.MultiheadAttention(8, 2),
  "MultiheadAttention batchFirst, no grad (Python's fast path in eval)": () => new nn.MultiheadAttention(8, 2, { batchFirst: true }),
  "MultiheadAttention kdim/vdim, bias_kv, float mask": () => new nn.MultiheadAttention(8, 2, { kdim: 6, vdim: 5, addBiasKv: true }),
  TransformerEncoderLayer: () => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0 }),
  "TransformerEncoderLayer batchFirst, no grad (Python's fast path in eval)": () =>
    new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true }),
  "TransformerEncoderLayer batchFirst, norm first, train mode": () =>
    new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true, normFirst: true }),
};

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

test(`MultiheadAttention and TransformerEncoderLayer give libtorch ${running}'s Python values`, () => {
  assert.deepEqual(modules.cases.map((c) => c.name).sort(), Object.keys(constructors).sort());
  for (const c of modules.cases) {
    const m = constructors[c.name]!();
    m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)])));
    m.train(c.name.includes("train mode"));
    const options: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.kwargs)) options[camel(k)] = decode(v);
    for (const [k, v] of Object.entries(c.flags)) options[camel(k)] = v;
    const args = c.args.map(decode);
    const result = (m.forward as (...a: unknown[]) => Tensor | [Tensor, Tensor | null])(...args, options);
    const out = Array.isArray(result) ? result[0] : result;
    assertClose(out, c.out, c.name, 2e-6, 2e-5);
  }
});

test("attention without weights gives the explicit path's values (on 2.x: one scaled_dot_product_attention call) and gradients", () => {
  const mha = new nn.MultiheadAttention(8, 2).eval();
  const x = torch.randn([4, 2, 8]);
  const mask = torch.triu(torch.ones([4, 4], { dtype: "bool" }), { diagonal: 1 });
  const [fused, none] = mha.forward(x, x, x, { needWeights: false, attnMask: mask });
  const [explicit, weights] = mha.forward(x, x, x, { needWeights: true, attnMask: mask });
  assert.equal(none, null);
  assert.ok(weights);
  assert.ok(fused.sub(explicit).abs().max().item() < 1e-6, "the same values as the explicit path");
  const y = torch.randn([4, 2, 8], { requiresGrad: true });
  const [out] = mha.forward(y, y, y, { needWeights: false });
  out.sum().backward();
  assert.deepEqual(y.grad!.shape, [4, 2, 8]);
});
