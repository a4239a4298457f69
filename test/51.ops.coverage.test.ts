// Op coverage: the public operators of the running libtorch's native_functions.yaml (no leading
// `_`; `.out` overloads are the `out` option of their op, DECISIONS) must be ≥ 95 % callable
// through generated, typed functions or Tensor methods. The surface covers libtorch 1.13 and 2.6
// at once: every overload is tagged with the versions that have it, and calling an op the
// running libtorch lacks says which versions have it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { loadNative } from "../src/torch/native.js";
import { opTable, overloadVersions, surfaceVersions } from "../src/torch/ops/runtime.js";
import { findSchemas, SURFACE_VERSIONS } from "../scripts/codegen/schemas.js";

interface Row {
  name: string;
  versions: string;
  callableIn?: string;
  torch?: string;
  method?: string;
  skipped?: string;
}
const coverage = JSON.parse(readFileSync(new URL("../src/torch/generated/coverage.json", import.meta.url), "utf8")) as {
  versions: Record<string, { publicOps: number; generated: number }>;
  schemas: Record<string, { sha256: string }>;
  ops: Row[];
};

const torchVersion = loadNative().torchVersion;
const running = torchVersion.split(".").slice(0, 2).join(".");
const dispatcherOverloads = new Set(loadNative().opList().map(([name, overload]) => `${name}.${overload}`));

/** A table entry's overload names and whether the running libtorch's schema has each. */
function overloadsOf(tokens: string): { name: string; here: boolean; versions: readonly string[] }[] {
  return tokens.split(",").map((token) => {
    const versions = overloadVersions(token) ?? surfaceVersions();
    return { name: token.split(/[#@]/)[0]!, here: versions.includes(running), versions };
  });
}

/** The generated function or method a table entry's display name ("torch.linalg.svd (aten::...)") names. */
function callableOf(display: string): (...args: unknown[]) => unknown {
  const path = display.replace(/ \(.*$/, "").split(".");
  let target: unknown = path[0] === "Tensor" ? torch.ones([1]) : torch;
  let self: unknown = torch;
  for (const part of path.slice(1)) {
    self = target;
    target = (target as Record<string, unknown>)[part];
  }
  assert.equal(typeof target, "function", display);
  return (...args: unknown[]) => (target as (...a: unknown[]) => unknown).apply(self, args);
}

test("the surface is made from the schemas of libtorch 1.13 and 2.6, the running one among them", () => {
  assert.deepEqual(surfaceVersions(), [...SURFACE_VERSIONS]);
  assert.deepEqual(Object.keys(coverage.versions), [...SURFACE_VERSIONS]);
  assert.ok(surfaceVersions().includes(running), `running libtorch ${torchVersion} is not among the surface's versions`);
});

test("every overload the running libtorch's schema has is in its dispatcher", () => {
  const missing: string[] = [];
  let checked = 0;
  for (const [aten, tokens, display] of opTable()) {
    for (const o of overloadsOf(tokens)) {
      if (!o.here) continue;
      checked++;
      if (!dispatcherOverloads.has(`aten::${aten}.${o.name}`)) missing.push(`${display}: overload '${o.name}'`);
    }
  }
  assert.ok(checked > 2500, `${checked} overloads checked`);
  assert.deepEqual(missing, []);
});

test("every generated op the running libtorch has resolves against the dispatcher", () => {
  const N = loadNative();
  const failed: string[] = [];
  for (const [aten, tokens, display] of opTable()) {
    const overloads = overloadsOf(tokens);
    if (!overloads.some((o) => o.here)) continue;
    try {
      N.opResolve(`aten::${aten}`, overloads.filter((o) => o.here).map((o) => o.name), display);
    } catch {
      failed.push(display);
    }
  }
  assert.deepEqual(failed, []);
});

test("calling an op the running libtorch lacks throws an Error naming the op and the versions that have it", (t) => {
  const absent = opTable().filter(([, tokens]) => !overloadsOf(tokens).some((o) => o.here));
  // 2.6 added ops 1.13 lacks (scaled_dot_product_attention, rms_norm, ...) and dropped others (symeig, ...).
  assert.ok(absent.length >= 5, `${absent.length} generated ops absent from libtorch ${running}`);
  t.diagnostic(`${absent.length} generated ops are not in libtorch ${running}: ${absent.map(([, , d]) => d.replace(/ \(.*$/, "")).join(", ")}`);
  for (const [, tokens, display] of absent) {
    const others = [...new Set(overloadsOf(tokens).flatMap((o) => o.versions))].join(" and ");
    const expected = `${display} is not in libtorch ${torchVersion}; it is in ${others}`;
    assert.throws(() => callableOf(display)(), (e: Error) => e.constructor === Error && e.message === expected, display);
    // The same on a second call (the failed resolution is not cached as a valid op).
    assert.throws(() => callableOf(display)(), (e: Error) => e.message === expected, display);
  }
  if (running === "1.13") {
    const q = torch.ones([1, 2, 3]);
    assert.throws(
      () => torch.scaledDotProductAttention(q, q, q),
      new Error(`torch.scaledDotProductAttention (aten::scaled_dot_product_attention) is not in libtorch ${torchVersion}; it is in 2.6`),
    );
  } else {
    assert.throws(() => torch.symeig(torch.eye(2)), new Error(`torch.symeig (aten::symeig) is not in libtorch ${torchVersion}; it is in 1.13`));
  }
});

test("arguments only an overload of another version accepts: the error names that overload and its versions", () => {
  const x = torch.zeros([1, 2, 1]);
  if (running === "1.13") {
    // squeeze.dims (a list of dims) is new in 2.x.
    assert.throws(
      () => torch.squeeze(x, [0, 2] as never),
      (e: Error) =>
        e instanceof TypeError &&
        /^torch\.squeeze \(aten::squeeze\): no overload accepts/.test(e.message) &&
        e.message.includes(`aten::squeeze.dims is not in libtorch ${torchVersion}; it is in 2.6`) &&
        e.stack!.includes("aten::squeeze.dims is not in libtorch"),
    );
  } else {
    assert.deepEqual(torch.squeeze(x, [0, 2] as never).shape, [2]);
    // frobenius_norm(Tensor self) (no dim) was dropped after 1.13.
    assert.throws(
      () => torch.frobeniusNorm(torch.ones([2, 2])),
      (e: Error) => e.message.includes(`aten::frobenius_norm is not in libtorch ${torchVersion}; it is in 1.13`),
    );
  }
  // An argument only another version's schema of an overload has.
  if (running === "1.13") {
    assert.throws(
      () => torch.padSequence([torch.ones([2]), torch.ones([3])], { paddingSide: "left" }),
      (e: Error) =>
        /got an unexpected option 'paddingSide'/.test(e.message) &&
        e.message.includes(`argument 'paddingSide' of aten::pad_sequence is not in libtorch ${torchVersion}; it is in 2.6`),
    );
  } else {
    assert.deepEqual(torch.padSequence([torch.ones([1]), torch.ones([2])], { paddingSide: "left" }).toArray(), [[0, 1], [1, 1]]);
    assert.throws(
      () => (torch.batchNormBackwardElemt as (...a: unknown[]) => unknown)(torch.ones([1])),
      (e: Error) => e.message.includes(`argument 'meanDy' of aten::batch_norm_backward_elemt is not in libtorch ${torchVersion}; it is in 1.13`),
    );
  }
  // Errors of ops whose every overload the running libtorch has are left as they are.
  assert.throws(() => torch.logSoftmax(x, 1.5), (e: Error) => !e.message.includes("is not in libtorch"));
});

test("≥ 95 % of the running libtorch's public aten operators are callable with generated types", (t) => {
  const dispatcher = new Set([...dispatcherOverloads].filter((k) => k.startsWith("aten::") && !k.startsWith("aten::_")).map((k) => k.slice(6, k.indexOf("."))));
  const publicOps = coverage.ops.filter((r) => r.versions.split(",").includes(running));
  assert.ok(publicOps.length > 1000, `${publicOps.length} public operators in libtorch ${running}'s schema`);
  // The schema's ops are the dispatcher's (the tagging matches the running library).
  assert.deepEqual(publicOps.filter((r) => !dispatcher.has(r.name)).map((r) => r.name), []);
  assert.equal(publicOps.length, coverage.versions[running]!.publicOps);
  const reachable = publicOps.filter((r) => {
    if (r.torch) {
      let target: unknown = torch;
      for (const part of r.torch.replace(/ \(.*$/, "").split(".").slice(1)) target = (target as Record<string, unknown>)[part];
      if (typeof target !== "function") return false;
    }
    if (r.method) {
      const name = r.method.replace(/ \(.*$/, "").slice("Tensor.".length);
      if (!(name in Tensor.prototype)) return false;
    }
    return Boolean(r.torch || r.method) && (r.callableIn ?? r.versions).split(",").includes(running);
  });
  const share = reachable.length / publicOps.length;
  const rest = publicOps.filter((r) => !reachable.includes(r));
  t.diagnostic(`libtorch ${torchVersion}: ${reachable.length}/${publicOps.length} public aten operators callable (${(share * 100).toFixed(1)} %)`);
  assert.equal(reachable.length, coverage.versions[running]!.generated);
  for (const r of rest) t.diagnostic(`not callable: aten::${r.name}: ${r.skipped ?? "?"}`);
  assert.ok(share >= 0.95, `${(share * 100).toFixed(1)} % callable`);
  for (const r of rest) assert.ok(r.skipped, `aten::${r.name} is missing without a recorded reason`);
});

test("python_module linalg/fft/special ops live in their namespaces, prefix stripped", () => {
  assert.equal(typeof torch.linalg.svd, "function");
  assert.equal(typeof torch.linalg.vectorNorm, "function");
  assert.equal(typeof torch.fft.rfft, "function");
  assert.equal(typeof torch.special.erfcx, "function");
  assert.equal((torch as Record<string, unknown>).linalgSvd, undefined);
  // nn-module ops stay under torch with their aten names (nn.functional is its own layer).
  assert.equal(typeof torch.crossEntropyLoss, "function");
  assert.equal(typeof torch.conv2d, "function");
  // A JS reserved word is exported under its own name.
  assert.equal(typeof torch.var, "function");
  assert.deepEqual(torch.var(torch.tensor([1, 2, 3, 4], { dtype: "float64" })).item(), 5 / 3);
});

test("the running libtorch's own native_functions.yaml is the one the surface was made from", (t) => {
  const installed = findSchemas([]).get(running);
  if (!installed) {
    // Every environment the tests run in has its python3-torch (DECISIONS' package lists).
    assert.fail(`no native_functions.yaml of libtorch ${running} here (python3-torch is not installed?)`);
  }
  const digest = createHash("sha256").update(readFileSync(installed)).digest("hex");
  t.diagnostic(`${installed}: sha256 ${digest}`);
  assert.equal(digest, coverage.schemas[running]!.sha256, `${installed} differs from the schema the surface was made from: run scripts/codegen/generate.ts`);
});

// Needs every version's native_functions.yaml (the host's python3-torch, the Debian 13 environment
// or scripts/codegen/fetch-schema.sh); libtorch-free, so the host run suffices.
const schemas = findSchemas([]);
const lacking = SURFACE_VERSIONS.filter((v) => !schemas.has(v));
test(
  "the committed generated surface (hot ops included) is what the generator makes now from both schemas",
  { skip: lacking.length > 0 && `no native_functions.yaml for libtorch ${lacking.join(", ")} here (scripts/codegen/fetch-schema.sh gets one)` },
  () => {
    const generator = fileURLToPath(new URL("../scripts/codegen/generate.ts", import.meta.url));
    const args = SURFACE_VERSIONS.map((v) => `${v}=${schemas.get(v)!}`);
    const r = spawnSync(process.execPath, ["--import", "tsx", generator, "--check", ...args], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  },
);
