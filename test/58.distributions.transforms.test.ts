// torch.distributions transforms, constraints and the biject_to / transform_to registry against
// Python (scripts/fixtures/distributions.py): forward, inverse, logAbsDetJacobian, event dims,
// shapes; constraint checks and reprs; registry transforms onto each constraint.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch from "../src/torch-plugin/index.js";
import type { Constraint } from "../src/torch/distributions/constraints.js";
import type { Transform } from "../src/torch/distributions/transforms.js";
import { assertOutcome, assertTensor, constraintFromLabel, decode, decodeTensor, readFixture, type Encoded, type EncodedTensor, type Spec } from "./fixtures/distributions-decode.js";

const { constraints, bijectTo, transformTo } = torch.distributions;

interface TransformRecord {
  label: string;
  spec: Spec | { inv: Spec };
  x: EncodedTensor;
  y: EncodedTensor;
  inverse: Encoded;
  logAbsDetJacobian: Encoded;
  domainEventDim: number;
  codomainEventDim: number;
  bijective: boolean;
  sign: Encoded;
  forwardShape: number[];
  inverseShape: number[];
}

for (const r of readFixture<TransformRecord[]>("transforms.json")) {
  test(`${r.label}: forward, inverse and logAbsDetJacobian equal Python's`, () => {
    const t = decode({ object: r.spec }) as Transform;
    const x = decodeTensor(r.x);
    const y = t.call(x);
    assertTensor(y, r.y, "forward");
    assertOutcome(() => t.inv.call(y), r.inverse, "inverse");
    assertOutcome(() => t.logAbsDetJacobian(x, y), r.logAbsDetJacobian, "logAbsDetJacobian");
    assert.equal(t.domain.eventDim, r.domainEventDim, "domain.eventDim");
    assert.equal(t.codomain.eventDim, r.codomainEventDim, "codomain.eventDim");
    assert.equal(t.bijective, r.bijective, "bijective");
    if (typeof r.sign === "number") assert.equal(t.sign, r.sign, "sign");
    else if (r.sign && typeof r.sign === "object" && "error" in r.sign) assert.throws(() => t.sign);
    else if (r.sign && typeof r.sign === "object") assertTensor(t.sign, r.sign as EncodedTensor, "sign", 0, 0); // 2.x: PowerTransform's
    assert.deepEqual(t.forwardShape(x.shape), r.forwardShape, "forwardShape");
    assert.deepEqual(t.inverseShape(y.shape), r.inverseShape, "inverseShape");
  });
}

test("a cached transform returns the input it saw for its output (cacheSize 1)", () => {
  const t = new torch.distributions.ExpTransform({ cacheSize: 1 });
  const x = torch.tensor([0.5, 1.0], { dtype: "float64" });
  const y = t.call(x);
  assert.equal(t.inv.call(y), x);
  assert.equal(t.call(x), y);
  assert.equal(t.inv.inv, t);
  assert.throws(() => new torch.distributions.ExpTransform({ cacheSize: 2 }), /cache_size must be 0 or 1/);
  assert.ok(new torch.distributions.ExpTransform().equals(new torch.distributions.ExpTransform()));
  assert.ok(!new torch.distributions.ExpTransform().equals(new torch.distributions.SigmoidTransform()));
});

interface ConstraintRecord {
  label: string;
  x: EncodedTensor;
  check: EncodedTensor;
  repr: string;
  eventDim: number;
  isDiscrete: boolean;
}


for (const r of readFixture<ConstraintRecord[]>("constraints.json")) {
  test(`constraints.${r.label}: check, repr, eventDim and isDiscrete equal Python's`, () => {
    const c = constraintFromLabel(r.label);
    assertTensor(c.check(decodeTensor(r.x)), r.check, "check", 0, 0);
    assert.equal(c.toString(), r.repr, "repr");
    assert.equal(c.eventDim, r.eventDim, "eventDim");
    assert.equal(c.isDiscrete, r.isDiscrete, "isDiscrete");
  });
}

interface RegistryRecord {
  label: string;
  x: EncodedTensor;
  bijectTo: { y: EncodedTensor; inverse: Encoded; logAbsDetJacobian: Encoded; check: EncodedTensor } | { error: string };
  transformTo: { y: EncodedTensor; inverse: Encoded; logAbsDetJacobian: Encoded; check: EncodedTensor } | { error: string };
}

const registryConstraints: Record<string, () => Constraint> = {
  real: () => constraints.real,
  positive: () => constraints.positive,
  nonnegative: () => constraints.nonnegative,
  "greaterThan(1.5)": () => constraints.greaterThan(1.5),
  "lessThan(-1)": () => constraints.lessThan(-1.0),
  unitInterval: () => constraints.unitInterval,
  "interval(-2, 3)": () => constraints.interval(-2.0, 3.0),
  "halfOpenInterval(-2, 3)": () => constraints.halfOpenInterval(-2.0, 3.0),
  simplex: () => constraints.simplex,
  lowerCholesky: () => constraints.lowerCholesky,
  corrCholesky: () => constraints.corrCholesky,
  positiveDefinite: () => constraints.positiveDefinite,
  positiveSemidefinite: () => constraints.positiveSemidefinite,
  realVector: () => constraints.realVector,
  "independent(positive, 1)": () => constraints.independent(constraints.positive, 1),
  cat: () => constraints.cat([constraints.real, constraints.positive], 1, [1, 2]),
  stack: () => constraints.stack([constraints.real, constraints.positive], 0),
};

for (const r of readFixture<RegistryRecord[]>("registry.json")) {
  test(`bijectTo / transformTo(${r.label}) equal Python's`, () => {
    const x = decodeTensor(r.x);
    for (const [name, registry] of [["bijectTo", bijectTo], ["transformTo", transformTo]] as const) {
      const rec = r[name];
      const c = registryConstraints[r.label]!();
      if ("error" in rec) {
        assert.throws(() => registry(c), /Cannot transform/, `${name}: Python has no transform`);
        continue;
      }
      const t = registry(c);
      const y = t.call(x);
      assertTensor(y, rec.y, `${name} forward`);
      assertOutcome(() => t.inv.call(y), rec.inverse, `${name} inverse`);
      assertOutcome(() => t.logAbsDetJacobian(x, y), rec.logAbsDetJacobian, `${name} logAbsDetJacobian`);
      assertTensor(c.check(y), rec.check, `${name}: the image satisfies the constraint`, 0, 0);
    }
  });
}

test("ConstraintRegistry.register adds a factory for a user constraint class", () => {
  class Odd extends constraints.Constraint {}
  transformTo.register(Odd, () => new torch.distributions.ExpTransform());
  assert.ok(transformTo(new Odd()) instanceof torch.distributions.ExpTransform);
  assert.throws(() => bijectTo(new Odd()), /Cannot transform Odd constraints/);
  assert.throws(() => transformTo.register({} as never, () => new torch.distributions.ExpTransform()), TypeError);
});
