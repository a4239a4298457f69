// Op coverage: the public operators of native_functions.yaml that this libtorch's dispatcher
// has (no leading `_`; `.out` overloads are the `out` option of their op, DECISIONS) must be
// ≥ 95 % callable through generated, typed functions or Tensor methods.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import torch, { Tensor } from "../src/torch/index.js";
import { loadNative } from "../src/torch/native.js";
import { opTable } from "../src/torch/ops/runtime.js";

interface Row {
  name: string;
  torch?: string;
  method?: string;
  skipped?: string;
}
const coverage = JSON.parse(readFileSync(new URL("../src/torch/generated/coverage.json", import.meta.url), "utf8")) as {
  ops: Row[];
};

test("every generated table entry resolves against the dispatcher", () => {
  const N = loadNative();
  const missing: string[] = [];
  for (const [aten, overloads, display] of opTable()) {
    try {
      N.opResolve(`aten::${aten}`, overloads.split(","), display);
    } catch {
      missing.push(display);
    }
  }
  assert.deepEqual(missing, []);
});

test("≥ 95 % of the dispatcher's public aten operators are callable with generated types", (t) => {
  const dispatcher = new Set(
    loadNative()
      .opList()
      .filter(([name]) => name.startsWith("aten::") && !name.startsWith("aten::_"))
      .map(([name]) => name.slice("aten::".length)),
  );
  const publicOps = coverage.ops.filter((r) => dispatcher.has(r.name));
  assert.ok(publicOps.length > 1000, `${publicOps.length} public operators known to the dispatcher`);
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
    return Boolean(r.torch || r.method);
  });
  const share = reachable.length / publicOps.length;
  const rest = publicOps.filter((r) => !reachable.includes(r));
  t.diagnostic(`${reachable.length}/${publicOps.length} public aten operators callable (${(share * 100).toFixed(1)} %)`);
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

const YAML = "/usr/lib/python3/dist-packages/torchgen/packaged/ATen/native/native_functions.yaml";
test("the committed generated surface is what the generator makes now", { skip: !existsSync(YAML) && "python3-torch's native_functions.yaml is not installed" }, () => {
  const generator = fileURLToPath(new URL("../scripts/codegen/generate.ts", import.meta.url));
  const r = spawnSync(process.execPath, ["--import", "tsx", generator, "--check", YAML], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});
