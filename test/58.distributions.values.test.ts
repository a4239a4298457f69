// torch.distributions against Python: for every distribution of
// scripts/fixtures/distributions.py, the same constructor call gives Python's shapes, moments,
// entropy, logProb, cdf/icdf, enumerateSupport, expand, seeded samples (bit for bit) and
// rsample gradients with respect to the parameters.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch/index.js";
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
  test(`${r.label}: values equal Python's`, () => {
    const d = build(r.spec) as Distribution;
    assert.equal(String(d), r.repr, "repr (before any lazy parameter is computed)");
    const value = r.value ? decodeTensor(r.value) : undefined;
    assert.deepEqual(d.batchShape, r.batchShape, "batchShape");
    assert.deepEqual(d.eventShape, r.eventShape, "eventShape");
    assert.equal(d.hasRsample, r.hasRsample, "hasRsample");
    assert.equal(d.hasEnumerateSupport, r.hasEnumerateSupport, "hasEnumerateSupport");
    const get = (k: string) => r[k] as Encoded | undefined;
    assertOutcome(() => d.mean, get("mean"), "mean");
    assertOutcome(() => d.mode, get("mode"), "mode");
    assertOutcome(() => d.variance, get("variance"), "variance");
    assertOutcome(() => d.stddev, get("stddev"), "stddev");
    assertOutcome(() => d.entropy(), get("entropy"), "entropy");
    assertOutcome(() => d.perplexity(), get("perplexity"), "perplexity");
    if (value) {
      assertOutcome(() => d.logProb(value), get("logProb"), "logProb");
      assertOutcome(() => d.cdf(value), get("cdf"), "cdf");
      assertOutcome(() => d.expand([3, ...d.batchShape]).logProb(value), get("expanded"), "expand([3, ...batchShape]).logProb");
    }
    if (r.q) assertOutcome(() => d.icdf(decodeTensor(r.q!)), get("icdf"), "icdf");
    assertOutcome(() => d.enumerateSupport(), get("enumerateSupport"), "enumerateSupport()");
    assertOutcome(() => d.enumerateSupport(false), get("enumerateSupportUnexpanded"), "enumerateSupport(false)");
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
