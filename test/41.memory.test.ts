// Memory model: GC-managed tensors stay flat in loops that never yield; dispose, `using` and
// tidy free deterministically; a disposed tensor gives a clear error.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "../src/torch/index.js";
import { loadNative } from "../src/torch/native.js";

const mb = (bytes: number) => bytes / (1 << 20);

test("200k small ops in a loop that never yields keep RSS flat", () => {
  let acc = torch.zeros([1]);
  const one = torch.ones([1]);
  for (let i = 0; i < 20_000; i++) acc = acc.add(one); // warm up allocator and JIT
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 200_000; i++) acc = acc.add(one);
  const growth = mb(process.memoryUsage().rss - before);
  assert.equal(acc.item(), 220_000);
  assert.ok(growth < 50, `RSS grew ${growth.toFixed(1)} MB`);
});

test("2k ops on 1 MB tensors without dispose keep RSS bounded", () => {
  const x = torch.ones([1 << 18]); // 1 MB of float32
  let y = x.mul(1);
  for (let i = 0; i < 200; i++) y = y.add(x);
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 2_000; i++) y = y.add(x);
  const growth = mb(process.memoryUsage().rss - before);
  assert.equal(y.sum().item(), 2_201 * (1 << 18));
  assert.ok(growth < 50, `RSS grew ${growth.toFixed(1)} MB over 2 GB of allocations`);
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
