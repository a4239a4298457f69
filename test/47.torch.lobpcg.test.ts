// torch.lobpcg against Python of the same version (scripts/fixtures/lobpcg.py): eigenvalues within
// 1e-5 relative, eigenvectors up to sign, on fixed SPD matrices (dense, batched, generalized,
// preconditioned, both methods, seeded random starts); the iteration trace a tracker sees; the
// gradient with respect to A; the calling convention and Python's errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import torch, { Tensor } from "../src/torch/index.js";
import type { LOBPCG } from "../src/torch/index.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

interface Enc {
  shape: number[];
  dtype: "float32" | "float64";
  data: number[];
}
interface Record_ {
  label: string;
  inputs: Record<string, Enc>;
  kwargs: Record<string, unknown>;
  seed: number | null;
  E: Enc;
  X: Enc;
  trace?: { istep: number; converged_count: number; converged_end: number }[];
  grad?: Enc;
}

const records = JSON.parse(readFileSync(pythonFixturePath("torch", "lobpcg.json"), "utf8")) as Record_[];
const decode = (e: Enc): Tensor => torch.tensor(e.data, { dtype: e.dtype }).reshape(e.shape);
const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function close(actual: Tensor, expected: Enc, what: string, rtol: number, atol = 0): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  const got = Array.from(actual.detach().contiguous().toTypedArray() as Float64Array, Number);
  expected.data.forEach((w, i) => {
    assert.ok(Math.abs(got[i]! - w) <= atol + rtol * Math.abs(w), `${what}[${i}]: ${got[i]} vs Python's ${w}`);
  });
}

/** Eigenvectors equal up to the sign of each column (of each matrix of a batch). */
function closeUpToSign(actual: Tensor, expected: Enc, what: string, tol: number): void {
  const want = decode(expected);
  assert.deepEqual(actual.shape, want.shape, `${what}: shape`);
  const dot = actual.mul(want).sum(-2, true).sign();
  const aligned = actual.mul(dot);
  const err = aligned.sub(want).abs().max().item<number>();
  assert.ok(err <= tol, `${what}: differs from Python's (up to sign) by ${err}`);
}

function run(r: Record_): [Tensor, Tensor] {
  const inputs = Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, decode(v)]));
  const options: Record<string, unknown> = { ...inputs };
  for (const [k, v] of Object.entries(r.kwargs)) options[camel(k)] = v;
  if (r.seed !== null) torch.manualSeed(r.seed);
  const { A, ...rest } = options;
  return torch.lobpcg(A as Tensor, rest);
}

for (const r of records.filter((x) => x.label !== "gradient")) {
  test(`lobpcg ${r.label}: Python's eigenvalues (1e-5 relative) and eigenvectors (up to sign)`, () => {
    const [E, X] = run(r);
    close(E, r.E, "E", 1e-5);
    closeUpToSign(X, r.X, "X", r.E.dtype === "float32" ? 1e-3 : 1e-5);
  });
}

for (const r of records.filter((x) => x.trace !== undefined)) {
  test(`lobpcg ${r.label}: the tracker sees Python's iterations (steps and converged counts)`, () => {
    const steps: { istep: number; converged_count: number; converged_end: number }[] = [];
    const inputs = Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, decode(v)]));
    const options: Record<string, unknown> = { ...inputs };
    for (const [k, v] of Object.entries(r.kwargs)) options[camel(k)] = v;
    const { A, ...rest } = options;
    torch.lobpcg(A as Tensor, {
      ...rest,
      tracker: (w: LOBPCG) => void steps.push({ istep: w.ivars.istep!, converged_count: w.ivars.converged_count!, converged_end: w.ivars.converged_end! }),
    });
    assert.deepEqual(steps, r.trace);
  });
}

test("lobpcg: the gradient with respect to A is Python's (complete and partial eigenspace terms)", () => {
  const r = records.find((x) => x.label === "gradient")!;
  const A = decode(r.inputs.A!).requiresGrad_(true);
  const W = decode(r.inputs.W!);
  const [E, X] = torch.lobpcg(A, { k: 2, X: decode(r.inputs.X!) });
  close(E, r.E, "E", 1e-8);
  E.sum().add(X.pow(2).mul(W).sum()).backward();
  close(A.grad!, r.grad!, "A.grad", 1e-5, 1e-8);
});

test("lobpcg: positional and named calls agree; a tracker can stop the iteration; Python's errors", () => {
  const r = records[0]!;
  const A = decode(r.inputs.A!);
  const X = decode(r.inputs.X!);
  const [E1] = torch.lobpcg(A, 2, null, X.clone());
  const [E2] = torch.lobpcg({ A, k: 2, X: X.clone() });
  assert.ok(E1.equal(E2));
  let steps = 0;
  torch.lobpcg(A, { k: 2, X: X.clone(), tracker: (w: LOBPCG) => void (++steps === 3 && (w.bvars.force_stop = true)) });
  assert.equal(steps, 3, "force_stop ends the run");
  assert.throws(() => torch.lobpcg(A, { k: 5 }), /LPBPCG algorithm is not applicable when the number of A rows \(=12\) is smaller than 3 x the number of requested eigenpairs \(=5\)/);
  assert.throws(() => torch.lobpcg(A.narrow(0, 0, 6)), /A must be square/);
  assert.throws(() => (torch.lobpcg as (...a: unknown[]) => unknown)(A, 1, null, null, null, null, null, null, null, null, null, null, null, null, 1), /lobpcg\(\): takes from 1 to 14 positional arguments but 15 were given/);
  assert.throws(() => torch.lobpcg(A, { kk: 2 } as never), /lobpcg\(\): unknown option 'kk'/);
  assert.throws(() => torch.lobpcg(A, { orthoIparams: { ortho_i_maxx: 2 } }), /unknown key 'ortho_i_maxx' in 'orthoIparams'/);
  assert.throws(() => torch.lobpcg(A, { method: "fancy" }), /method must be "ortho" or "basic"/);
  const [Ec] = torch.lobpcg(A, { k: 2, X: X.clone(), orthoIparams: { orthoIMax: 2 } });
  const [Ep] = torch.lobpcg(A, { k: 2, X: X.clone(), orthoIparams: { ortho_i_max: 2 } });
  assert.ok(Ec.equal(Ep), "camelCase and Python's keys name the same parameter");
  const sparse = A.toSparse();
  const [Es] = torch.lobpcg(sparse, { k: 2, X: X.clone() });
  close(Es, r.E, "sparse A", 1e-5);
});
