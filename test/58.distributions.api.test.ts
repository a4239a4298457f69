// torch.distributions' public surface: every public name of Python's torch.distributions and
// torch.distributions.constraints (camelCase for functions), Python's validation messages and
// reprs, validateArgs switches, and the calling convention (positional, by name, or both).
import { test } from "node:test";
import assert from "node:assert/strict";
import torch from "../src/torch-plugin/index.js";
import type { Distribution } from "../src/torch/distributions/index.js";
import { signatureNames, signatureOf } from "../src/torch/binding/index.js";
import { assertOutcome, build, decodeTensor, readFixture, type Encoded, type EncodedTensor, type Spec } from "./fixtures/distributions-decode.js";

const D = torch.distributions;
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const names = readFixture<{ distributions: string[]; constraints: string[] }>("names.json");

test("every public name of Python's torch.distributions exists (functions camelCased)", () => {
  const ours = D as unknown as Record<string, unknown>;
  const missing = names.distributions.filter((n) => ours[camel(n)] === undefined);
  assert.deepEqual(missing, []);
  assert.equal(names.distributions.length, torch.version.major >= 2 ? 66 : 64); // 2.x added InverseGamma, PositiveDefiniteTransform
  assert.equal(typeof D.constraints, "object");
  assert.equal(typeof D.constraintRegistry.bijectTo, "function");
  assert.equal(typeof D.transforms.ExpTransform, "function");
});

test("torch 2.x's additions work on 2.x and throw on 1.13 naming the running version, as Python 1.13 lacks them", () => {
  const c = torch.tensor([3.0], { dtype: "float64" });
  const m = torch.tensor([[0.3, -1.2], [0.5, 2.0]], { dtype: "float64" });
  if (torch.version.major >= 2) {
    assert.ok(new D.InverseGamma(c, c).mean.allclose(torch.tensor([1.5], { dtype: "float64" })));
    assert.ok(D.constraints.positiveDefinite.check(new D.PositiveDefiniteTransform().call(m)).item());
    assert.ok(new D.Gamma(c, c).cdf(c).item<number>() > 0.99);
  } else {
    assert.throws(() => new D.InverseGamma(c, c), /^Error: torch\.distributions\.InverseGamma was added in torch 2\.0; the running libtorch is 1\.13/);
    assert.throws(() => new D.PositiveDefiniteTransform(), /PositiveDefiniteTransform was added in torch 2\.0/);
    assert.throws(() => new D.Gamma(c, c).cdf(c), /Gamma does not implement cdf/);
  }
});

test("every public name of Python's torch.distributions.constraints exists", () => {
  const ours = D.constraints as unknown as Record<string, unknown>;
  assert.deepEqual(names.constraints.filter((n) => ours[camel(n)] === undefined), []);
});

interface ErrorRecord {
  label: string;
  spec: Spec;
  method: string | null;
  value: EncodedTensor | null;
  error?: string;
  result?: Encoded;
}

for (const r of readFixture<ErrorRecord[]>("errors.json")) {
  test(`validation: ${r.label} (Python's outcome and message)`, () => {
    const run = () => {
      const d = build(r.spec) as Distribution;
      if (!r.method) return d;
      const method = camel(r.method) as "logProb";
      return d[method](decodeTensor(r.value!));
    };
    if (r.error !== undefined) {
      assert.throws(run, (e: Error) => {
        assert.equal(e.message, r.error);
        return true;
      });
    } else if (r.result) assertOutcome(run, r.result, "result");
  });
}

for (const r of readFixture<{ label: string; spec: Spec; repr: string }[]>("reprs.json")) {
  test(`toString() is Python's repr: ${r.label}`, () => {
    assert.equal(String(build(r.spec)), r.repr);
  });
}

test("Distribution.setDefaultValidateArgs(false) turns validation off; a per-instance validateArgs wins", () => {
  const bad = torch.tensor([-1.0], { dtype: "float32" });
  assert.throws(() => new D.Normal(0, bad), /Expected parameter scale/);
  D.Distribution.setDefaultValidateArgs(false);
  try {
    assert.doesNotThrow(() => new D.Normal(0, bad));
    assert.throws(() => new D.Normal(0, bad, { validateArgs: true }), /Expected parameter scale/);
  } finally {
    D.Distribution.setDefaultValidateArgs(true);
  }
  assert.throws(() => D.Distribution.setDefaultValidateArgs(1 as never), /must be a boolean/);
});

test("calling convention: positional, by name and mixed give the same distribution", () => {
  const loc = torch.tensor([0.5, -1.0], { dtype: "float64" });
  const scale = torch.tensor([1.5, 0.3], { dtype: "float64" });
  const x = torch.tensor([0.1, 0.2], { dtype: "float64" });
  const want = new D.Normal(loc, scale).logProb(x).toArray();
  assert.deepEqual(new D.Normal({ loc, scale }).logProb(x).toArray(), want);
  assert.deepEqual(new D.Normal(loc, { scale }).logProb(x).toArray(), want);
  assert.deepEqual(new D.Normal(loc, scale, false).logProb(x).toArray(), want);
  const probs = torch.tensor([0.2, 0.8]);
  assert.deepEqual(new D.Categorical({ probs }).probs.toArray(), new D.Categorical(probs).probs.toArray());
  assert.deepEqual(new D.Binomial(5, { logits: torch.tensor([0.0], { dtype: "float32" }) }).mean.toArray(), [2.5]);
  assert.deepEqual(new D.Binomial({ probs: torch.tensor([0.5], { dtype: "float32" }) }).mean.toArray(), [0.5]); // totalCount defaults to 1
  assert.deepEqual(new D.StudentT(3).mean.toArray(), 0); // loc 0, scale 1 by default
  assert.deepEqual(new D.AffineTransform(1, 2, { eventDim: 0 }).call(torch.tensor([1.0])).toArray(), [3]);
});

test("every distribution and transform constructor and constraint factory binds through the shared binder: a positional argument too many is its TypeError", () => {
  const ours = D as unknown as Record<string, unknown>;
  const constraintFactories = D.constraints as unknown as Record<string, unknown>;
  const checked: string[] = [];
  const unbound: string[] = [];
  for (const qualname of signatureNames()) {
    const className = /^torch\.distributions\.([A-Z]\w*)$/.exec(qualname)?.[1];
    const factoryName = /^torch\.distributions\.constraints\.([a-z_]+)$/.exec(qualname)?.[1];
    const callable = className !== undefined ? ours[className] : factoryName !== undefined ? constraintFactories[camel(factoryName)] : undefined;
    if (typeof callable !== "function") continue;
    const sig = signatureOf(qualname);
    if (sig.varargs) continue;
    checked.push(qualname);
    const args = Array.from({ length: sig.positional.length + 1 }, () => 0);
    try {
      if (className !== undefined) new (callable as new (...a: unknown[]) => unknown)(...args);
      else (callable as (...a: unknown[]) => unknown)(...args);
      unbound.push(`${qualname}: accepted ${args.length} positionals`);
    } catch (e) {
      const message = (e as Error).message;
      if (!(e instanceof TypeError) || !/positional argument/.test(message) || !message.includes(sig.displayName)) unbound.push(`${qualname}: ${message}`);
    }
  }
  assert.ok(checked.length > 60, `${checked.length} constructors checked`);
  assert.deepEqual(unbound, []);
});

test("calling convention: too many arguments, unknown options, a name given twice and wrong types are TypeErrors", () => {
  const t = torch.tensor([1.0], { dtype: "float32" });
  assert.throws(() => new (D.Normal as unknown as new (...a: unknown[]) => unknown)(t, t, true, t), /distributions\.Normal\(\): takes from 2 to 3 positional arguments but 4 were given/);
  assert.throws(() => new D.Normal(t, t, { scal: t } as never), /distributions\.Normal\(\): unknown option 'scal'/);
  assert.throws(() => new D.Normal(t, t, { scale: t } as never), /distributions\.Normal\(\): got multiple values for argument 'scale'/);
  assert.throws(() => new D.Normal("0" as never, t), /Normal\(\): argument 'loc' must be a Tensor or a number/);
  assert.throws(() => new D.Normal(t), /distributions\.Normal\(\): missing required argument 'scale'/);
  assert.throws(() => new D.Normal(t, t, { validateArgs: "yes" as never }), /argument 'validateArgs' must be a boolean/);
  assert.throws(() => new D.Normal(0, 1).sample(3 as never), /argument 'sampleShape' must be a list of ints/);
  // Parameters with a numeric default take a number or a Tensor (signature table: "float|Tensor").
  assert.throws(() => new D.StudentT(3, "0" as never), /distributions\.StudentT\(\): argument 'loc' must be float or Tensor, not/);
  assert.throws(() => new D.Binomial([4] as never, { probs: t }), /distributions\.Binomial\(\): argument 'totalCount' must be float or Tensor/);
  assert.equal(new D.LKJCholesky(2, { concentration: torch.tensor([0.5, 2.0]) }).batchShape[0], 2);
  assert.throws(() => new D.Categorical(torch.tensor(1.0)), /`probs` parameter must be at least one-dimensional/);
});

test("shapes: sample(sampleShape) is sampleShape + batchShape + eventShape; expand and enumerateSupport", () => {
  const d = new D.MultivariateNormal(torch.zeros([3, 2]), { covarianceMatrix: torch.eye(2) });
  assert.deepEqual(d.batchShape, [3]);
  assert.deepEqual(d.eventShape, [2]);
  assert.deepEqual(d.sample([4, 5]).shape, [4, 5, 3, 2]);
  assert.deepEqual(d.sample({ sampleShape: [4] }).shape, [4, 3, 2]);
  assert.deepEqual(d.rsample().shape, [3, 2]);
  const e = d.expand([7, 3]);
  assert.deepEqual(e.batchShape, [7, 3]);
  assert.deepEqual(e.sample().shape, [7, 3, 2]);
  const b = new D.Bernoulli(torch.tensor([0.3, 0.6]));
  assert.deepEqual(b.enumerateSupport().shape, [2, 2]);
  assert.deepEqual(b.enumerateSupport({ expand: false }).shape, [2, 1]);
  assert.equal(d.sample().requiresGrad, false);
});

test("rsample records gradients and sample does not", () => {
  const loc = torch.tensor([0.0], { dtype: "float32", requiresGrad: true });
  const d = new D.Normal(loc, 1.0);
  assert.equal(d.rsample().requiresGrad, true);
  assert.equal(d.sample().requiresGrad, false);
  assert.throws(() => new D.Bernoulli(0.5).rsample(), /Bernoulli does not implement rsample/);
});

test("klDivergence, bijectTo, transformTo and registerKl take their arguments positionally or by name", () => {
  const p = new D.Normal(0.0, 1.0);
  const q = new D.Normal(1.0, 2.0);
  const want = D.klDivergence(p, q).item();
  assert.equal(D.klDivergence({ p, q }).item(), want);
  assert.equal(D.klDivergence(p, { q }).item(), want);
  assert.ok(D.bijectTo({ constraint: D.constraints.positive }) instanceof D.ComposeTransform);
  assert.ok(D.transformTo(D.constraints.simplex) instanceof D.SoftmaxTransform);
  assert.throws(() => (D.klDivergence as (...a: unknown[]) => unknown)(p, q, p), /takes 2 positional arguments but 3 were given/);
  assert.throws(() => D.bijectTo({ constrant: D.constraints.real } as never), /unknown option 'constrant'/);
  class Mine extends D.Normal {}
  D.registerKl({ typeP: Mine, typeQ: Mine })(() => torch.tensor(7.0));
  assert.equal(D.klDivergence(new Mine(0.0, 1.0), new Mine(0.0, 1.0)).item(), 7);
});
