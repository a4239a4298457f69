// torch.* settings and helpers (issue 25's `torch` area): finfo/iinfo, typename, asarray,
// frombuffer, fromNumpy, svdLowrank/pcaLowrank, setPrintoptions, the deterministic-algorithm,
// matmul-precision, thread, denormal and warn-always settings, and the 2.x device helpers.
// Values from Python torch of the same version (scripts/fixtures/torch_names.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { version } from "../src/torch/version.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

interface Fixture {
  finfo: Record<string, Record<string, number>>;
  finfo_dtype: Record<string, string>;
  iinfo: Record<string, { bits: number; min: string; max: string }>;
  typename: Record<string, string>;
  storage_type: Record<string, string>;
  lowrank: Record<string, number[][]>;
  printed: Record<string, string>;
  unravel_index?: number[][][];
  "unravel_index int"?: number[][];
  dim_order?: Record<string, number[]>;
}
const fixturePath = pythonFixturePath("torch-names", "names.json");
const noFixture = !existsSync(fixturePath) && `no ${fixturePath}`;
const fixture = (): Fixture => JSON.parse(readFileSync(fixturePath, "utf8")) as Fixture;
const two = version.major >= 2;

function close(actual: readonly number[], expected: readonly number[], what: string, tol = 1e-4): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tol * (1 + Math.abs(expected[i]!)), `${what}[${i}]: ${v} vs ${expected[i]}`));
}
const flat = (t: Tensor): number[] => Array.from(t.toTypedArray() as Float32Array, Number);

test("finfo and iinfo give Python's limits; wrong kinds of dtype are TypeErrors", { skip: noFixture }, () => {
  const f = fixture();
  for (const [dtype, facts] of Object.entries(f.finfo)) {
    const info = new torch.finfo(dtype as never);
    for (const [key, value] of Object.entries(facts)) {
      const ours = (info as unknown as Record<string, number>)[key === "smallest_normal" ? "smallestNormal" : key];
      assert.equal(ours, value, `finfo(${dtype}).${key}`);
    }
  }
  for (const [dtype, name] of Object.entries(f.finfo_dtype)) assert.equal(new torch.finfo(dtype as never).dtype, name);
  assert.equal(new torch.finfo().dtype, torch.getDefaultDtype());
  for (const [dtype, facts] of Object.entries(f.iinfo)) {
    const info = new torch.iinfo(dtype as never);
    assert.equal(info.bits, facts.bits);
    assert.equal(String(info.min), facts.min);
    assert.equal(String(info.max), facts.max);
  }
  assert.throws(() => new torch.finfo("int32"), /torch\.finfo\(\) requires a floating point input type/);
  assert.throws(() => new torch.iinfo("float32"), /torch\.iinfo\(\) requires an integer input type/);
  assert.throws(() => new torch.iinfo("bool"), /torch.bool is not supported by torch.iinfo/);
  assert.throws(() => new torch.finfo("float32", "extra"), TypeError);
});

test("typename and storageType name tensors as Python does; isStorage tells storages", { skip: noFixture }, () => {
  const f = fixture();
  for (const [dtype, name] of Object.entries(f.typename)) assert.equal(torch.typename(torch.zeros(1, { dtype: dtype as never })), name);
  for (const [dtype, name] of Object.entries(f.storage_type)) assert.equal(torch.zeros(1, { dtype: dtype as never }).storageType(), `torch.${name}`);
  assert.equal(torch.typename(3), "int");
  assert.equal(torch.typename(1.5), "float");
  assert.equal(torch.typename(torch.zeros(1).storage()), "torch.storage.TypedStorage");
  assert.equal(torch.isStorage(torch.zeros(1).storage()), true);
  assert.equal(torch.isStorage(torch.zeros(1)), false);
});

test("svdLowrank and pcaLowrank equal Python's under the same seed", { skip: noFixture }, () => {
  const f = fixture().lowrank;
  torch.manualSeed(0);
  const A = torch.randn(6, 4);
  const B = torch.randn(3, 7);
  const cases: [string, () => Tensor[]][] = [
    ["svd A q=3", () => torch.svdLowrank(A, 3)],
    ["svd B q=2 niter=1", () => torch.svdLowrank(B, { q: 2, niter: 1 })],
    ["svd A M", () => torch.svdLowrank(A, 2, { M: torch.ones(6, 4).mul(0.5) })],
    ["pca A", () => torch.pcaLowrank(A)],
    ["pca B q=2 center=False", () => torch.pcaLowrank(B, { q: 2, center: false })],
  ];
  for (const [name, run] of cases) {
    torch.manualSeed(1);
    const result = run();
    result.forEach((t, i) => close(flat(t), f[name]![i]!, `${name} output ${i}`));
  }
  assert.throws(() => torch.pcaLowrank(A, { q: 9 }), /q\(=9\) must be non-negative integer and not greater than min\(m, n\)=4/);
  assert.throws(() => torch.svdLowrank(A, 3, 2, null, "extra"), TypeError);
});

test("setPrintoptions changes how tensors print, as Python's", { skip: noFixture }, () => {
  const f = fixture().printed;
  const x = torch.tensor([[1.23456, -2.5], [1e-3, 100.0]]);
  try {
    torch.setPrintoptions({ precision: 2 });
    assert.equal(String(x), f["precision=2"]);
    torch.setPrintoptions({ sciMode: true });
    assert.equal(String(x), f["sci_mode=True"]);
    torch.setPrintoptions({ sciMode: false });
    assert.equal(String(torch.tensor([1e-5, 1.0, 1e5])), f["sci_mode=False"]);
    torch.setPrintoptions({ profile: "short" });
    assert.equal(String(torch.arange(2000).reshape([100, 20]).div(3)), f["profile=short"]);
    torch.setPrintoptions({ profile: "default", threshold: 5, edgeitems: 1 });
    assert.equal(String(torch.arange(10)), f["threshold=5 edgeitems=1"]);
    torch.setPrintoptions({ profile: "default", linewidth: 30 });
    assert.equal(String(torch.linspace(0, 1, 12)), f["linewidth=30"]);
  } finally {
    torch.setPrintoptions({ profile: "default" });
  }
  assert.equal(String(x), f["default again"]);
  assert.throws(() => torch.setPrintoptions({ profile: "long" }), /profile/);
  assert.throws(() => torch.setPrintoptions({ precison: 2 } as never), /unknown option 'precison'/);
});

test("deterministic algorithms, their debug mode and warn-only live in libtorch", () => {
  try {
    torch.useDeterministicAlgorithms(true, { warnOnly: true });
    assert.equal(torch.areDeterministicAlgorithmsEnabled(), true);
    assert.equal(torch.isDeterministicAlgorithmsWarnOnlyEnabled(), true);
    assert.equal(torch.getDeterministicDebugMode(), 1);
    torch.setDeterministicDebugMode("error");
    assert.equal(torch.getDeterministicDebugMode(), 2);
    assert.equal(torch.isDeterministicAlgorithmsWarnOnlyEnabled(), false);
  } finally {
    torch.setDeterministicDebugMode(0);
  }
  assert.equal(torch.areDeterministicAlgorithmsEnabled(), false);
  assert.throws(() => torch.useDeterministicAlgorithms(1 as never), /argument 'mode'.* must be bool/);
  assert.throws(() => torch.setDeterministicDebugMode(3), /expected 0, 1, or 2, but got 3/);
  assert.throws(() => torch.setDeterministicDebugMode(1.5), TypeError);
  assert.throws(() => torch.useDeterministicAlgorithms(true, { warn_only: true } as never), /unknown option 'warn_only'/);
});

test("float32 matmul precision, inter-op threads, denormals and warn-always", () => {
  assert.equal(torch.getFloat32MatmulPrecision(), "highest");
  try {
    torch.setFloat32MatmulPrecision("medium");
    assert.equal(torch.getFloat32MatmulPrecision(), "medium");
  } finally {
    torch.setFloat32MatmulPrecision("highest");
  }
  assert.throws(() => torch.setFloat32MatmulPrecision("low"), /'highest', 'high', or 'medium'/);
  assert.ok(torch.getNumInteropThreads() >= 1);
  torch.initNumThreads();
  assert.equal(typeof torch.setFlushDenormal(false), "boolean");
  try {
    torch.setWarnAlways(true);
    assert.equal(torch.isWarnAlwaysEnabled(), true);
  } finally {
    torch.setWarnAlways(false);
  }
  assert.equal(torch.isWarnAlwaysEnabled(), false);
  assert.throws(() => torch.setWarnAlways(1 as never), TypeError);
});

test("asarray, frombuffer and fromNumpy make tensors from JS memory (copies, as documented)", () => {
  const t = torch.tensor([1, 2, 3]);
  assert.equal(torch.asarray(t), t);
  assert.deepEqual(torch.asarray(t, { dtype: "float64" }).toArray(), [1, 2, 3]);
  assert.equal(torch.asarray(t, { dtype: "float64" }).dtype, "float64");
  assert.notEqual(torch.asarray(t, { copy: true }).dataPtr(), t.dataPtr());
  assert.deepEqual(torch.asarray([[1.5, 2]]).shape, [1, 2]);
  assert.deepEqual(torch.asarray(2.5).shape, []);
  assert.equal(torch.asarray(new Float64Array([1, 2])).dtype, "float64");
  assert.throws(() => torch.asarray(new Float32Array(2), { copy: false }), /can't alias/);
  const bytes = new Uint8Array([1, 0, 2, 0, 3, 0]);
  assert.deepEqual(torch.frombuffer(bytes, { dtype: "int16" }).toArray(), [1, 2, 3]);
  assert.deepEqual(torch.frombuffer(bytes.buffer, { dtype: "int16", count: 1, offset: 2 }).toArray(), [2]);
  assert.throws(() => torch.frombuffer(bytes, { dtype: "int32" }), /multiple of element size \(4\)/);
  assert.throws(() => torch.frombuffer(bytes, { dtype: "int16", offset: 6 }), /offset \(6 bytes\) must be non-negative/);
  assert.throws(() => torch.frombuffer([1, 2], { dtype: "int16" }), /buffer/);
  const f = torch.fromNumpy(new Int32Array([4, 5]));
  assert.equal(f.dtype, "int32");
  assert.deepEqual(f.toArray(), [4, 5]);
  assert.throws(() => torch.fromNumpy([1, 2]), /typed array/);
});

test("setDefaultTensorType sets the default floating dtype by legacy name", () => {
  try {
    torch.setDefaultTensorType("torch.DoubleTensor");
    assert.equal(torch.getDefaultDtype(), "float64");
    assert.equal(torch.zeros(1).dtype, "float64");
  } finally {
    torch.setDefaultTensorType("torch.FloatTensor");
  }
  assert.equal(torch.getDefaultDtype(), "float32");
  assert.throws(() => torch.setDefaultTensorType("torch.LongTensor"), /only floating-point types/);
  assert.throws(() => torch.setDefaultTensorType("torch.NoSuchTensor"), /only floating-point types|invalid type/);
});

test("2.x helpers: unravelIndex, default device, device modules (an Error naming the version on 1.13)", { skip: noFixture }, () => {
  if (!two) {
    assert.throws(() => torch.unravelIndex(torch.tensor([1]), [2]), /PyTorch 2\.x API, absent from Python torch 1\.13/);
    assert.throws(() => torch.getDefaultDevice(), /PyTorch 2\.x API/);
    return;
  }
  const f = fixture();
  assert.deepEqual(torch.unravelIndex(torch.tensor([[4, 1], [5, 0]]), [2, 3]).map((t) => t.toArray()), f.unravel_index);
  assert.deepEqual(torch.unravelIndex(torch.tensor([7, 3]), 5).map((t) => t.toArray()), f["unravel_index int"]);
  assert.throws(() => torch.unravelIndex(torch.tensor([1.5]), [2]), /integer dtype/);
  assert.throws(() => torch.unravelIndex(torch.tensor([1]), [-2]), /negative values/);
  assert.equal(torch.getDefaultDevice(), "cpu");
  torch.setDefaultDevice("cpu");
  torch.setDefaultDevice(null);
  assert.throws(() => torch.setDefaultDevice("meta"), /only "cpu"/);
  assert.equal(torch.getDeviceModule("cpu"), torch.cpu);
  assert.equal(torch.getDeviceModule("cuda:0"), torch.cuda);
  assert.throws(() => torch.getDeviceModule("foo"), TypeError);
});

test("nn.functional.rmsNorm and lpPool3d equal Python's (2.x; an Error naming the version on 1.13)", { skip: noFixture }, () => {
  const F = torch.nn.functional;
  if (!two) {
    assert.throws(() => F.rmsNorm(torch.zeros(2, 4), [4]), /PyTorch 2\.x API/);
    assert.throws(() => F.lpPool3d(torch.zeros(1, 1, 2, 2, 2), 2, 2), /PyTorch 2\.x API/);
    return;
  }
  const f = JSON.parse(readFileSync(fixturePath, "utf8")) as {
    rms_norm: Record<string, number[]>;
    lp_pool3d: Record<string, number[]>;
  };
  const x = torch.tensor(f.rms_norm.input!).reshape([2, 3, 4]);
  const w = torch.tensor(f.rms_norm.weight!);
  close(flat(F.rmsNorm(x, [4], w)), f.rms_norm["default eps"]!, "rmsNorm default eps");
  close(flat(F.rmsNorm(x, [3, 4], { eps: 0.1 })), f.rms_norm["eps 0.1 no weight"]!, "rmsNorm eps 0.1");
  const v = torch.tensor(f.lp_pool3d.input!).reshape([1, 2, 4, 4, 4]);
  close(flat(F.lpPool3d(v, 2, 2)), f.lp_pool3d["p2 k2"]!, "lpPool3d p2 k2");
  close(flat(F.lpPool3d(v, 3.0, [2, 1, 2], { stride: 1, ceilMode: true })), f.lp_pool3d["p3 k(2,1,2) s1 ceil"]!, "lpPool3d p3");
  assert.throws(() => F.rmsNorm(x, [4], w, 1e-5, "extra"), TypeError);
});

test("nn.functional.multiHeadAttentionForward equals Python's (nn.MultiheadAttention's computation)", { skip: noFixture }, () => {
  const F = torch.nn.functional;
  const f = (JSON.parse(readFileSync(fixturePath, "utf8")) as {
    mha: { inputs: Record<string, number[]>; basic: number[][]; separate: [number[], null]; unbatched: [number[], number[], number[]] };
  }).mha;
  const shapes: Record<string, number[]> = {
    q: [3, 2, 4], k: [5, 2, 4], v: [5, 2, 4], in_w: [12, 4], in_b: [12], out_w: [4, 4], out_b: [4],
    q_w: [4, 4], k_w: [4, 4], v_w: [4, 4], bias_k: [1, 1, 4], bias_v: [1, 1, 4], attn_mask: [3, 5],
  };
  const t = (name: string) => torch.tensor(f.inputs[name]!).reshape(shapes[name]!);
  const kpm = torch.tensor([[false, false, true, false, true], [false, false, false, false, false]]);
  const [o1, w1] = F.multiHeadAttentionForward(t("q"), t("k"), t("v"), 4, 2, t("in_w"), t("in_b"), null, null, false, 0, t("out_w"), t("out_b"), {
    keyPaddingMask: kpm,
  });
  close(flat(o1), f.basic[0]!, "basic output");
  close(flat(w1!), f.basic[1]!, "basic weights");
  const [o2, w2] = F.multiHeadAttentionForward(t("q"), t("k"), t("v"), 4, 2, null, t("in_b"), t("bias_k"), t("bias_v"), true, 0.5, t("out_w"), t("out_b"), {
    training: false,
    needWeights: false,
    attnMask: t("attn_mask"),
    useSeparateProjWeight: true,
    qProjWeight: t("q_w"),
    kProjWeight: t("k_w"),
    vProjWeight: t("v_w"),
  });
  close(flat(o2), f.separate[0], "separate weights output");
  assert.equal(w2, null);
  const [o3, w3] = F.multiHeadAttentionForward(t("q").select(1, 0), t("k").select(1, 0), t("v").select(1, 0), 4, 2, t("in_w"), null, null, null, false, 0, t("out_w"), null, {
    averageAttnWeights: false,
  });
  close(flat(o3), f.unbatched[0], "unbatched output");
  assert.deepEqual(w3!.shape, f.unbatched[1]);
  close(flat(w3!), f.unbatched[2], "unbatched weights");
  assert.throws(
    () => F.multiHeadAttentionForward(t("q"), t("k"), t("v"), 4, 2, t("in_w"), null, null, null, false, 0, t("out_w"), null, { staticK: t("k") }),
    /staticK\/staticV are not supported/,
  );
  assert.throws(() => F.multiHeadAttentionForward(t("q"), t("k"), t("v"), 5, 2, t("in_w"), null, null, null, false, 0, t("out_w"), null), /expecting embedding dimension of 5/);
});

// Adafactor is ours on every version (deviations.ts); Python has it from 2.5 only, so there are no
// 1.13 reference values (its arguments and refusals are checked on 1.13 in test/65.optim.adafactor).
test("optim.Adafactor: 100 steps equal Python 2.6's", { skip: (noFixture || !two) && (noFixture || "Python 1.13 has no Adafactor to compare with") }, () => {
  type Run = { init: Record<string, number[]>; losses: number[]; W: number[]; b: number[]; state_keys: string[][]; group_keys: string[] };
  const runs = (JSON.parse(readFileSync(fixturePath, "utf8")) as { adafactor: Record<string, Run> }).adafactor;
  const options: Record<string, object> = {
    defaults: {},
    "lr 0.05 wd 0.01": { lr: 0.05, weightDecay: 0.01 },
    "eps d beta2": { lr: 0.03, eps: [1e-20, 1e-2], d: 2.0, beta2Decay: -0.5 },
    maximize: { lr: 0.02, maximize: true },
  };
  for (const [name, run] of Object.entries(runs)) {
    const W = torch.tensor(run.init.W!).reshape([3, 4]).requiresGrad_();
    const b = torch.tensor(run.init.b!).requiresGrad_();
    const x = torch.tensor(run.init.x!).reshape([5, 3]);
    const y = torch.tensor(run.init.y!).reshape([5, 4]);
    const opt = new torch.optim.Adafactor([W, b], options[name]!);
    const losses: number[] = [];
    for (let i = 0; i < 100; i++) {
      opt.zeroGrad();
      let loss = x.matmul(W).add(b).sub(y).pow(2).mean();
      if (name === "maximize") loss = loss.neg();
      loss.backward();
      opt.step();
      losses.push(Number(loss.item()));
    }
    const tolerance = 1e-5;
    close(losses, run.losses, `${name} losses`, tolerance);
    close(flat(W), run.W, `${name} W`, tolerance);
    close(flat(b), run.b, `${name} b`, tolerance);
    const sd = opt.stateDict();
    assert.deepEqual([...sd.state.values()].map((s) => Object.keys(s)), run.state_keys, `${name} state keys`);
    assert.deepEqual(Object.keys(sd.param_groups[0]!).filter((k) => k !== "params"), run.group_keys, `${name} group keys`);
  }
  assert.throws(() => new torch.optim.Adafactor([torch.zeros(2, { requiresGrad: true })], { d: 0.5 }), /Clipping threshold d should be >= 1/);
  assert.throws(() => new torch.optim.Adafactor([torch.zeros(2, { requiresGrad: true })], { betas: [0.9, 0.99] } as never), /unknown option 'betas'/);
});
