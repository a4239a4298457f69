// Memory model: GC-managed tensors stay flat in loops that never yield; dispose, `using` and
// tidy free deterministically; a disposed tensor gives a clear error.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "../src/torch-plugin/index.js";
import { loadNative } from "../src/torch/native.js";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import v8 from "node:v8";
import vm from "node:vm";

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

test("10k ops on 1 MB tensors without dispose keep RSS growth under 50 MB", () => {
  const growth = loop("large", 10_000, []);
  assert.ok(growth < 50, `RSS grew ${growth.toFixed(1)} MB over 10 GB of allocations`);
  const small = loop("large", 10_000, ["--max-semi-space-size=2"]);
  assert.ok(small < 50, `RSS grew ${small.toFixed(1)} MB with a 2 MB semi-space`);
});

test("dead 1 MB results are freed within a few MB of fresh tensors, in a loop that never yields", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", LOOP, "large", "2000"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const { peakLive } = JSON.parse(r.stdout.trim()) as { peakLive: number };
  // The addon asks for a scavenge every 16 MB of fresh tensors (native/memory/accounting.cpp):
  // without those requests V8 let 100-200 dead results pile up (measured).
  assert.ok(peakLive <= 40, `${peakLive} handles alive at once`);
});

test("torch.memory.stats(): freed blocks are cached for the next tensors of their size, then released", async () => {
  const x = torch.ones([64, 256]); // 64 KB results
  torch.memory.configure({ cacheSeconds: 0.3 });
  try {
    const base = torch.memory.stats().cachedBytes;
    torch.tidy(() => {
      for (let i = 0; i < 50; i++) x.mul(2);
    });
    const kept = torch.memory.stats().cachedBytes - base;
    assert.ok(kept >= 50 * 65536, `${kept} bytes kept after a scope freed 50 results of 64 KB`);
    // The next scope's results of that size take them back.
    torch.tidy(() => {
      for (let i = 0; i < 50; i++) x.mul(2);
    });
    assert.ok(torch.memory.stats().cachedBytes - base <= kept, "the second scope reused the kept blocks");
    // Unused past cacheSeconds, they go back at the next memory report (after ~1 MB of other tensors).
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < 8; i++) torch.ones([1 << 18]).dispose(); // 1 MB each: past the report threshold
    const after = torch.memory.stats().cachedBytes;
    assert.ok(after < base + kept / 2, `${after - base} bytes still kept after cacheSeconds unused`);
  } finally {
    torch.memory.configure({ cacheSeconds: 5 });
  }
});

test("torch.memory.emptyCache() releases cached blocks; cacheBytes bounds the cache", () => {
  const big = Array.from({ length: 16 }, () => torch.ones([1 << 20])); // 16 x 4 MB
  for (const t of big) t.dispose();
  assert.ok(torch.memory.stats().cachedBytes >= 16 * 4 * (1 << 20), "disposed 4 MB blocks were cached");
  torch.memory.emptyCache();
  assert.ok(torch.memory.stats().cachedBytes < 1 << 20, `${torch.memory.stats().cachedBytes} bytes cached after emptyCache()`);
  torch.memory.configure({ cacheBytes: 8 * (1 << 20) });
  try {
    for (const t of Array.from({ length: 16 }, () => torch.ones([1 << 20]))) t.dispose();
    assert.ok(torch.memory.stats().cachedBytes <= 9 * (1 << 20), `${torch.memory.stats().cachedBytes} bytes cached over an 8 MB limit`);
  } finally {
    torch.memory.configure({ cacheBytes: 2 ** 30 });
  }
  const stats = torch.memory.stats();
  assert.deepEqual(Object.keys(stats).sort(), ["cachedBlocks", "cachedBytes", "externalBytes", "liveTensors"]);
  assert.ok(stats.liveTensors > 0 && stats.externalBytes > 0);
  assert.throws(() => torch.memory.configure({ cacheMegabytes: 1 } as never), /TypeError|unexpected option 'cacheMegabytes'/);
  assert.throws(() => torch.memory.configure({ cacheBytes: -1 }), /non-negative/);
});

test("V8 hears of tensor memory the GC frees before that GC ends, not at the next op", () => {
  // V8 weighs the external memory allocated since its last full GC right after each scavenge:
  // dead results it had not been told of made it start full GCs over and over.
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  const x = torch.ones([48, 256]); // 48 KB results
  const mb = () => torch.memory.stats().externalBytes / (1 << 20);
  (() => {
    const kept: Tensor[] = [];
    for (let i = 0; i < 200; i++) kept.push(x.mul(2));
    return kept.length;
  })();
  const before = mb();
  gc();
  const freed = before - mb(); // read before any other tensor op could report it
  assert.ok(freed >= 7, `V8's external memory fell by ${freed.toFixed(1)} MB when 9.4 MB of tensors died`);
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

test("tidy recycles handles: a leaked tensor stays disposed when its old handle is reused", () => {
  let leaked!: Tensor;
  torch.tidy(() => {
    leaked = torch.ones([2]).add(1);
  });
  assert.equal(leaked.isDisposed, true);
  // Later scopes reuse freed handles for the hot ops' results: none of them may revive `leaked`.
  const results = torch.tidy(() => {
    const out: Tensor[] = [];
    for (let i = 0; i < 50; i++) out.push(torch.full([2], i).add(1).mul(2).relu());
    return out;
  });
  assert.equal(leaked.isDisposed, true);
  assert.throws(() => leaked.toArray(), /disposed Tensor/);
  // Every survivor holds its own value: no two share a recycled handle.
  results.forEach((t, i) => assert.deepEqual(t.toArray(), [(i + 1) * 2, (i + 1) * 2]));
  assert.equal(new Set(results.map((t) => t._h)).size, results.length);
});

test("keep() of an outer tensor and tensors freed twice are released once", () => {
  const values = torch.tidy(() => {
    const outerT = torch.ones([1]).mul(5);
    torch.tidy(() => {
      torch.keep(outerT); // already in the outer scope: listed there twice now
      torch.keep(outerT);
    });
    outerT.dispose(); // freed by hand too
    return 1;
  });
  assert.equal(values, 1);
  // If a handle had gone to the pool twice, two of these would share it and hold one value.
  const made = torch.tidy(() => Array.from({ length: 20 }, (_, i) => torch.full([1], i).add(0)));
  assert.deepEqual(made.map((t) => t.item()), Array.from({ length: 20 }, (_, i) => i));
  assert.equal(new Set(made.map((t) => t._h)).size, 20);
});

test("module parameters made inside tidy survive it (untrack)", () => {
  const lin = torch.tidy(() => new torch.nn.Linear(3, 2));
  torch.tidy(() => lin.forward(torch.ones([1, 3])).sum());
  assert.equal(lin.weight.isDisposed, false);
  assert.deepEqual(lin.weight.shape, [2, 3]);
});

test("generated ops inside tidy write into recycled handles and keep their values", () => {
  torch.tidy(() => {
    for (let i = 0; i < 10; i++) torch.ones([2]).add(i); // fills the pool for the next scope
  });
  const out = torch.tidy(() => [torch.zeros([2]).sigmoid(), torch.full([2], 4).sqrt(), torch.ones([2, 2]).sum(1)]);
  assert.deepEqual(out.map((t) => t.toArray()), [[0.5, 0.5], [2, 2], [2, 2]]);
  assert.equal(new Set(out.map((t) => t._h)).size, 3);
  // Views go into recycled handles too and stay views; an in-place op returns its own tensor.
  const base = torch.zeros([2, 3]);
  const [v, same] = torch.tidy(() => {
    torch.ones([1]).add(1).neg(); // more handles for the pool
    const t = base.transpose(0, 1);
    const u = base.unsqueeze(0);
    return [t, u.mul_(1)];
  });
  v.add_(1);
  assert.deepEqual(base.toArray(), [[1, 1, 1], [1, 1, 1]]);
  assert.deepEqual(same.shape, [1, 2, 3]);
  assert.deepEqual(same.toArray(), [[[1, 1, 1], [1, 1, 1]]]);
});

/** A worker thread running a TypeScript fixture: Node 20 does not carry `--import tsx` into
 * workers, so the worker registers tsx first (as DataLoader does). */
function tsWorker(fixture: string): Worker {
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const script = new URL(fixture, import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); })`, {
    eval: true,
  });
}

test("worker threads with their own addon instance make and free tensors beside the main thread", async () => {
  const results = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<number>((resolve, reject) => {
          const w = tsWorker("fixtures/tensor/worker-ops.ts");
          w.once("message", (v: number) => resolve(v));
          w.once("error", reject);
        }),
    ),
  );
  let acc = torch.zeros([1]);
  for (let i = 0; i < 20_000; i++) acc = acc.add(1);
  assert.deepEqual(results, [20_000, 20_000]);
  assert.equal(acc.item(), 20_000);
});

test("tidy keeps tensors inside a returned plain object that has its own dispose method", () => {
  const out = torch.tidy(() => {
    const loss = torch.ones([1]).mul(3);
    return { loss, dispose: () => loss.dispose() };
  });
  assert.equal(out.loss.isDisposed, false);
  assert.equal(out.loss.item(), 3);
  out.dispose();
  assert.equal(out.loss.isDisposed, true);
});

test("tensors a worker thread still holds when it exits are freed", async () => {
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const w = tsWorker("fixtures/tensor/worker-holds.ts");
      w.once("message", () => void w.terminate());
      w.once("error", reject);
      w.once("exit", () => resolve());
    });
  await once();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 8; i++) await once(); // 8 x 64 MB held at exit
  const growth = (process.memoryUsage().rss - before) / (1 << 20);
  assert.ok(growth < 200, `RSS grew ${growth.toFixed(0)} MB over 8 workers that each held 64 MB at exit`);
});

test("a tensor handle where another native handle is expected is refused, not unwrapped", () => {
  const d = (loadNative() as unknown as { distributed?: Record<string, (...a: unknown[]) => unknown> }).distributed;
  const t = torch.ones([1]);
  if (d === undefined) return; // built without torch.distributed
  assert.throws(() => d.storePort!(t._h), /expected a .*handle/);
  assert.throws(() => d.storeClose!(t._h), /expected a .*handle/);
  assert.equal(t.item(), 1);
});
