// klDivergence against Python for every pair registered in Python 1.13's KL registry (one test per
// pair, from scripts/fixtures/distributions.py), and registerKl's most-specific dispatch.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch from "../src/torch-plugin/index.js";
import type { Distribution } from "../src/torch/distributions/index.js";
import { assertOutcome, build, readFixture, type Encoded, type Spec } from "./fixtures/distributions-decode.js";

const D = torch.distributions;

interface KLRecord {
  p: Spec;
  q: Spec;
  kl: Encoded;
}

for (const r of readFixture<KLRecord[]>("kl.json")) {
  test(`klDivergence(${r.p.class}, ${r.q.class}) equals Python's`, () => {
    const p = build(r.p) as Distribution;
    const q = build(r.q) as Distribution;
    assertOutcome(() => D.klDivergence(p, q), r.kl, "kl", 1e-8, 1e-10);
  });
}

test("klDivergence without a registered pair throws Python's error", () => {
  assert.throws(
    () => D.klDivergence(new D.VonMises(0, 1), new D.Normal(0, 1)),
    /No KL\(p \|\| q\) is implemented for p type VonMises and q type Normal/,
  );
});

test("registerKl: the most specific registered pair wins; a subclass uses its parent's entry until it registers its own", () => {
  class MyNormal extends D.Normal {}
  const p = new MyNormal(0.0, 1.0);
  const q = new D.Normal(1.0, 2.0);
  const viaParent = D.klDivergence(p, q).item();
  assert.ok(Math.abs(viaParent - D.klDivergence(new D.Normal(0.0, 1.0), q).item()) < 1e-7);
  D.registerKl(MyNormal, D.Normal)(() => torch.tensor(42.0));
  assert.equal(D.klDivergence(p, q).item(), 42);
  // Normal vs MyNormal still uses (Normal, Normal).
  assert.ok(Math.abs(D.klDivergence(q, p).item() - 42) > 1);
  assert.throws(() => D.registerKl({} as never, D.Normal), TypeError);
});

test("registerKl warns on an ambiguous pair (Python's RuntimeWarning) and uses the pair most specific in p", async () => {
  class A extends D.Normal {}
  class B extends D.Normal {}
  D.registerKl(A, D.Normal)(() => torch.tensor(1.0));
  D.registerKl(D.Normal, B)(() => torch.tensor(2.0));
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on("warning", onWarning);
  try {
    const v = D.klDivergence(new A(0.0, 1.0), new B(0.0, 1.0)).item();
    assert.equal(v, 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, ["Ambiguous kl_divergence(A, B). Please register_kl(A, B)"]);
  } finally {
    process.off("warning", onWarning);
  }
});
