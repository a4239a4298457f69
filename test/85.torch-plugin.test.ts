// The torch plugin: default parameters on every experiment (also those defined before
// `pystematic/torch` was imported), ctx.context per run, libtorch seeded from the run's master
// generator without loading libtorch at import, the GPU count for sweeps.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { experiment, getDeviceProvider, newSeed } from "../src/index.js";
import { clearMasterGenerator, seedMasterGenerator } from "../src/core/run/seed.js";

const early = experiment({ name: "defined-before-torch" }, () => undefined);

const TORCH_PARAMS = ["checkpoint", "cuda", "distributed", "nprocPerNode", "nodeRank", "nnodes", "masterAddr", "masterPort"];

test("importing pystematic/torch adds the torch parameters to every experiment, earlier ones included, without loading libtorch", async () => {
  assert.deepEqual(
    early.getParameters().map((p) => p.name).filter((n) => TORCH_PARAMS.includes(n)),
    [],
  );
  const api = await import("../src/torch-plugin/index.js");
  const { isNativeLoaded } = await import("../src/torch/native.js");
  assert.equal(isNativeLoaded(), false, "import must not load libtorch");
  assert.equal(typeof api.Context, "function");
  const names = early.getParameters().map((p) => p.name);
  assert.deepEqual(names.filter((n) => TORCH_PARAMS.includes(n)), TORCH_PARAMS);
  assert.ok(names.indexOf("randomSeed") < names.indexOf("checkpoint"), "after the standard parameters");
  const later = experiment({ name: "defined-after-torch" }, () => undefined);
  assert.deepEqual(later.getParameters().map((p) => p.name).filter((n) => TORCH_PARAMS.includes(n)), TORCH_PARAMS);
  assert.equal(isNativeLoaded(), false);
});

test("defaults (spec 5.1), env vars, and a fresh ctx.context per run; libtorch seeded from the master seed", async () => {
  const { ContextObject, torch } = await import("../src/torch-plugin/index.js");
  const dir = mkdtempSync(join(tmpdir(), "pst-85-"));
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    const seen: Record<string, unknown>[] = [];
    const exp = experiment({ name: "torch-defaults" }, (params, ctx) => {
      assert.ok(ctx.context instanceof ContextObject);
      const keys = Object.keys(ctx.context);
      ctx.context.mine = seen.length;
      seen.push({
        checkpoint: params.checkpoint,
        cuda: params.cuda,
        distributed: params.distributed,
        nprocPerNode: params.nprocPerNode,
        nodeRank: params.nodeRank,
        nnodes: params.nnodes,
        masterAddr: params.masterAddr,
        masterPort: params.masterPort,
        keys,
        seed: newSeed(),
        rand: torch.rand([3]).toArray(),
      });
    });
    process.env.NPROC_PER_NODE = "3";
    try {
      await exp.run({ outputDir: dir, randomSeed: 5 });
    } finally {
      delete process.env.NPROC_PER_NODE;
    }
    await exp.run({ outputDir: dir, randomSeed: 5 });
    await exp.run({ outputDir: dir, randomSeed: 6 });
    const [a, b, c] = seen as Record<string, unknown>[];
    assert.deepEqual(
      { ...a, keys: undefined, seed: undefined, rand: undefined },
      { checkpoint: null, cuda: true, distributed: false, nprocPerNode: 3, nodeRank: 0, nnodes: 1, masterAddr: "127.0.0.1", masterPort: 29500, keys: undefined, seed: undefined, rand: undefined },
    );
    assert.equal(b!.nprocPerNode, 1);
    assert.deepEqual(a!.keys, [], "each run starts with an empty context");
    assert.deepEqual(b!.keys, []);
    // libtorch loaded in the first run, before it was seeded: the same seed gives the same numbers.
    assert.deepEqual(a!.rand, b!.rand);
    assert.notDeepEqual(a!.rand, c!.rand);
    // The torch seed is the run's first draw, whether libtorch was loaded then or not.
    seedMasterGenerator(5);
    newSeed();
    const second = newSeed();
    clearMasterGenerator();
    assert.equal(a!.seed, second);
    assert.equal(b!.seed, second);
  } finally {
    process.stdout.write = write;
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the device provider counts GPUs for sweeps", async () => {
  const { torch } = await import("../src/torch-plugin/index.js");
  assert.equal(getDeviceProvider()?.gpuCount(), torch.cuda.deviceCount());
});
