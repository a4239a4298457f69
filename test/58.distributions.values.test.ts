// torch.distributions against Python: for every distribution of
// scripts/fixtures/distributions.py, the same constructor call gives Python's shapes, moments,
// entropy, logProb, cdf/icdf, enumerateSupport, expand and seeded samples, all bit for bit (the
// formulas follow the running version's Python to the last bit: 2.x rewrote some with log1p, expm1,
// xlogy), and rsample gradients with respect to the parameters (within 1e-8).
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import type { Distribution } from "../src/torch/distributions/index.js";
import { assertOutcome, assertTensor, build, decodeTensor, readFixture, type Encoded, type EncodedTensor, type Spec } from "./fixtures/distributions-decode.js";

interface DistRecord {
  label: string;
  spec: Spec;
  repr: string;
  value: EncodedTensor | null;
  q?: EncodedTensor;
  batchShape: number[];
  eventShape: number[];
  hasRsample: boolean;
  hasEnumerateSupport: boolean;
  sampleShape: number[];
  rsampleGrads?: (EncodedTensor | null)[];
  [key: string]: unknown;
}

const SEED = 20261207;
const records = readFixture<DistRecord[]>("distributions.json");

for (const r of records) {
  test(`${r.label}: values equal Python's bit for bit`, () => {
    const d = build(r.spec) as Distribution;
    assert.equal(String(d), r.repr, "repr (before any lazy parameter is computed)");
    const value = r.value ? decodeTensor(r.value) : undefined;
    assert.deepEqual(d.batchShape, r.batchShape, "batchShape");
    assert.deepEqual(d.eventShape, r.eventShape, "eventShape");
    assert.equal(d.hasRsample, r.hasRsample, "hasRsample");
    assert.equal(d.hasEnumerateSupport, r.hasEnumerateSupport, "hasEnumerateSupport");
    const get = (k: string) => r[k] as Encoded | undefined;
    assertOutcome(() => d.mean, get("mean"), "mean", 0, 0);
    assertOutcome(() => d.mode, get("mode"), "mode", 0, 0);
    assertOutcome(() => d.variance, get("variance"), "variance", 0, 0);
    assertOutcome(() => d.stddev, get("stddev"), "stddev", 0, 0);
    assertOutcome(() => d.entropy(), get("entropy"), "entropy", 0, 0);
    assertOutcome(() => d.perplexity(), get("perplexity"), "perplexity", 0, 0);
    if (value) {
      assertOutcome(() => d.logProb(value), get("logProb"), "logProb", 0, 0);
      assertOutcome(() => d.cdf(value), get("cdf"), "cdf", 0, 0);
      assertOutcome(() => d.expand([3, ...d.batchShape]).logProb(value), get("expanded"), "expand([3, ...batchShape]).logProb", 0, 0);
    }
    if (r.q) assertOutcome(() => d.icdf(decodeTensor(r.q!)), get("icdf"), "icdf", 0, 0);
    assertOutcome(() => d.enumerateSupport(), get("enumerateSupport"), "enumerateSupport()", 0, 0);
    assertOutcome(() => d.enumerateSupport(false), get("enumerateSupportUnexpanded"), "enumerateSupport(false)", 0, 0);
  });

  test(`${r.label}: seeded samples equal Python's bit for bit`, () => {
    // Python's parameters require grad during sample() too: 2.x's matmul folds batch dims by requires_grad.
    const d = build(r.spec, []) as Distribution;
    torch.manualSeed(SEED);
    assertOutcome(() => d.sample(r.sampleShape), r.sample as Encoded, "sample", 0, 0);
    if (r.hasRsample) {
      const leaves: Tensor[] = [];
      const d2 = build(r.spec, leaves) as Distribution;
      torch.manualSeed(SEED);
      const x = d2.rsample(r.sampleShape);
      assertTensor(x, r.rsample as EncodedTensor, "rsample", 0, 0);
      if (r.rsampleGrads) {
        const grads = torch.autograd.grad(x.sin().sum(), leaves, { allowUnused: true });
        r.rsampleGrads.forEach((g, i) => {
          if (g === null) assert.equal(grads[i], undefined, `rsample gradient ${i}: Python has none`);
          else assertTensor(grads[i], g, `rsample gradient w.r.t. parameter ${i}`, 1e-8, 1e-10);
        });
      }
    }
  });
}
