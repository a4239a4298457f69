// Memory model: GC-managed tensors stay flat in loops that never yield; dispose, `using` and
// tidy free deterministically; a disposed tensor gives a clear error.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "../src/torch/index.js";
import { loadNative } from "../src/torch/native.js";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const LOOP = fileURLToPath(new URL("fixtures/tensor/memory-loop.ts", import.meta.url));


// Dead tensors are freed by V8's scavenges (finalizers inside the GC): how many pile up between
// two scavenges depends on the young generation's size, so the bound is checked with Node's
// defaults and with a small young generation (--max-semi-space-size=2).
function loop(kind: "small" | "large", n: number, flags: string[]): number {
  const r = spawnSync(process.execPath, [...flags, "--import", "tsx", LOOP, kind, String(n)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout.trim()) as { growthMB: number }).growthMB;
}

test("1M small ops in a loop that never yields keep RSS flat", () => {
  const small = loop("small", 1_000_000, ["--max-semi-space-size=2"]);
  assert.ok(small < 50, `RSS grew ${small.toFixed(1)} MB with a 2 MB semi-space`);
  const defaults = loop("small", 1_000_000, []);
  assert.ok(defaults < 50, `RSS grew ${defaults.toFixed(1)} MB with Node's default flags`);
});

test("2k ops on 1 MB tensors without dispose keep RSS bounded", () => {
  const growth = loop("large", 2_000, []);
  assert.ok(growth < 150, `RSS grew ${growth.toFixed(1)} MB over 2 GB of allocations`);
});

test("dispose() frees now; use after dispose throws a clear error; dispose is idempotent", () => {
  const t = torch.ones([3]);
  t.dispose();
  t.dispose();
  assert.equal(t.isDisposed, true);
  assert.throws(() => t.add(1), /disposed Tensor/);
  assert.throws(() => t.shape, /disposed Tensor/);
  assert.throws(() => torch.ones([3]).add(t), /argument 'other' is a disposed Tensor/);
  assert.equal(t.toString(), "tensor(<disposed>)");
});

test("`using` disposes at the end of the block", () => {
  let escaped: Tensor;
  {
    using t = torch.ones([2]);
    escaped = t;
    assert.equal(t.isDisposed, false);
  }
  assert.equal(escaped.isDisposed, true);
});

test("tidy frees everything but its result, nested scopes hand survivors out", () => {
  const N = loadNative();
  const outside = torch.ones([2]);
  let inner!: Tensor;
  let kept!: Tensor;
  const result = torch.tidy(() => {
    const a = outside.add(1);
    inner = a.mul(2);
    kept = torch.keep(a.mul(3));
    const nested = torch.tidy(() => ({ value: a.add(10), list: [a.sub(1)] }));
    return { sum: inner.add(nested.value), nested };
  });
  assert.equal(inner.isDisposed, true);
  assert.equal(kept.isDisposed, false);
  assert.equal(outside.isDisposed, false);
  assert.equal(result.sum.isDisposed, false);
  assert.equal(result.nested.value.isDisposed, false);
  assert.equal(result.nested.list[0]!.isDisposed, false);
  assert.deepEqual(result.sum.toArray(), [16, 16]);
  assert.ok(N.liveHandles() > 0);
  assert.throws(() => torch.tidy(() => Promise.resolve(1)), /synchronous/);
});

test("tidy disposes its tensors when fn throws", () => {
  let made!: Tensor;
  assert.throws(
    () =>
      torch.tidy(() => {
        made = torch.ones([2]);
        throw new Error("boom");
      }),
    /boom/,
  );
  assert.equal(made.isDisposed, true);
});
