// One state for the whole session: stateDict()/loadStateDict() over nested contexts, modules,
// optimizers, schedulers, recorders, counters, tensors and plain values; errors name full paths;
// `__rng__` replays the random streams.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { newSeed } from "../src/index.js";
import { clearMasterGenerator, seedMasterGenerator } from "../src/core/run/seed.js";
import { Context, ContextObject, Counter, Recorder, loadCheckpoint, nn, saveCheckpoint, torch } from "../src/torch-plugin/index.js";
import { SGD, lrScheduler } from "../src/torch/optim/index.js";

function session(seed: number) {
  torch.manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 1));
  const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const scheduler = new lrScheduler.StepLR(optimizer, 2, { gamma: 0.5 });
  const inner = new Context({ counter: new Counter(), weights: torch.zeros([2]) });
  const seeds = new ContextObject();
  seeds.history = [0.5, { best: 1 }];
  seeds.note = "start";
  const ctx = new Context({
    epoch: 0,
    model,
    optimizer,
    scheduler,
    recorder: new Recorder({ tensorboard: false, file: false }),
    inner,
    seeds,
    stats: { losses: [1, 2], name: "run" },
    bestLoss: null as number | null,
    mask: torch.tensor([1, 0, 1], { dtype: "bool" }),
    lossFn: (x: number) => x, // functions have no state
  });
  return ctx;
}

function train(ctx: ReturnType<typeof session>, steps: number): void {
  for (let i = 0; i < steps; i++) {
    ctx.optimizer.zeroGrad();
    const out = ctx.model.forward(torch.ones([2, 3])) as torch.Tensor;
    out.sum().backward();
    ctx.optimizer.step();
    ctx.scheduler.step();
    ctx.recorder.step();
    ctx.inner.counter.step();
  }
  ctx.epoch = steps;
  ctx.inner.weights.add_(1);
  ctx.seeds.note = "trained";
  ctx.seeds.history[1].best = 0.25;
  ctx.stats = { losses: [0.1, 0.2], name: "done" };
  ctx.bestLoss = 0.125;
}

test("stateDict: modules (PyTorch keys), optimizer, scheduler, recorder, counter, nested contexts, tensors, plain values", () => {
  const ctx = session(1);
  train(ctx, 3);
  const state = ctx.stateDict();
  // Item names follow the parameters rule, as Python pystematic-torch's attributes (DECISIONS).
  assert.deepEqual(Object.keys(state), ["epoch", "model", "optimizer", "scheduler", "recorder", "inner", "seeds", "stats", "best_loss", "mask", "loss_fn", "__rng__"]);
  assert.deepEqual(Object.keys(state.model as object), ["0.weight", "0.bias", "2.weight", "2.bias"]);
  assert.ok((state.optimizer as { state: Map<number, unknown> }).state instanceof Map);
  assert.deepEqual(state.recorder, { count: 3 });
  assert.deepEqual((state.inner as Record<string, unknown>).counter, { count: 3 });
  assert.deepEqual(((state.inner as Record<string, unknown>).weights as torch.Tensor).toArray(), [1, 1]);
  assert.deepEqual(state.seeds, { history: [0.5, { best: 0.25 }], note: "trained" });
  assert.equal("__rng__" in (state.inner as object), false, "only the top level holds the RNG states");
  assert.deepEqual(state.stats, { losses: [0.1, 0.2], name: "done" });
  assert.equal(state.best_loss, 0.125);
  assert.deepEqual((state.mask as torch.Tensor).toArray(), [true, false, true]);
  assert.equal(state.loss_fn, null);
  assert.ok((state.__rng__ as { torch: torch.Tensor }).torch instanceof torch.Tensor);
});

test("a checkpoint restores a fresh session exactly (through torch.save/torch.load)", () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-81-"));
  try {
    const trained = session(1);
    train(trained, 3);
    const file = saveCheckpoint(trained, join(dir, "ctx.pt"))!;
    const fresh = session(2);
    const freshWeights = fresh.inner.weights;
    const freshModel = fresh.model;
    fresh.loadStateDict(loadCheckpoint(file) as Record<string, unknown>);
    assert.equal(fresh.epoch, 3);
    assert.equal(fresh.model, freshModel, "modules load in place");
    const a = trained.model.stateDict();
    const b = fresh.model.stateDict();
    for (const key of Object.keys(a)) assert.deepEqual(b[key]!.toArray(), a[key]!.toArray(), key);
    assert.deepEqual(fresh.optimizer.stateDict().param_groups[0]!.lr, trained.optimizer.stateDict().param_groups[0]!.lr);
    assert.equal(fresh.optimizer.stateSize, 4);
    assert.equal(fresh.scheduler.lastEpoch, 3);
    assert.equal(fresh.recorder.count, 3);
    assert.equal(fresh.inner.counter.count, 3);
    assert.equal(fresh.inner.weights, freshWeights, "a tensor of the same shape is copied into");
    assert.deepEqual(fresh.inner.weights.toArray(), [1, 1]);
    assert.equal(fresh.seeds.note, "trained");
    assert.equal(fresh.seeds.history[1].best, 0.25);
    assert.deepEqual(fresh.stats, { losses: [0.1, 0.2], name: "done" });
    assert.equal(fresh.bestLoss, 0.125, "a null item takes the saved value");
    // A checkpoint saved before item names were converted (keys as written) still loads.
    const old = loadCheckpoint(file) as Record<string, unknown>;
    old.bestLoss = old.best_loss;
    delete old.best_loss;
    old.bestLoss = 0.5;
    fresh.loadStateDict(old);
    assert.equal(fresh.bestLoss, 0.5, "a key as written loads");
    // Training on gives the same parameters on both.
    train(trained, 2);
    train(fresh, 2);
    const c = trained.model.stateDict();
    const d = fresh.model.stateDict();
    for (const key of Object.keys(c)) assert.deepEqual(d[key]!.toArray(), c[key]!.toArray(), key);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("loadStateDict: unknown keys ignored, missing keys leave items alone; seeds-era primitive states", () => {
  const ctx = new Context({ a: 1, b: "x", c: 0 });
  ctx.loadStateDict({ a: 2, zzz: 5 });
  assert.equal(ctx.a, 2);
  assert.equal(ctx.b, "x");
  assert.equal("zzz" in ctx, false);
  ctx.loadStateDict({ a: { native_value: 4 }, c: { count: 9 } });
  assert.equal(ctx.a, 4);
  assert.equal(ctx.c, 9);
});

test("loadStateDict errors name the item's full path (spec 5.4 messages)", () => {
  const ctx = new Context({
    n: 1,
    d: { a: 1, b: 2 },
    l: [1, [2, 3]],
    t: torch.zeros([2]),
    model: new nn.Linear(2, 1),
    nested: new Context({ deep: { x: [1] } }),
    seeds: new ContextObject({ list: [1, 2] }),
  });
  const cases: [Record<string, unknown>, string][] = [
    [{ n: [1] }, "Error when setting state for item 'n', expected a primitive value, got 'array'."],
    [{ d: 3 }, "Error when setting state for item 'd', expected a dict, got 'number'."],
    [{ d: { a: 1 } }, "Error when setting state for item 'd', key 'b' was not found in state."],
    [{ l: { a: 1 } }, "Error when setting state for item 'l', expected a list, got 'object'."],
    [{ l: [1] }, "Error when setting state for item 'l', expected a list of length '2', got one of length '1'."],
    [{ l: [1, [2]] }, "Error when setting state for item 'l.1', expected a list of length '2', got one of length '1'."],
    [{ t: 1 }, "Error when setting state for item 't', expected a tensor, got 'number'."],
    [{ nested: { deep: { x: [[1]] } } }, "Error when setting state for item 'nested.deep.x.0', expected a primitive value, got 'array'."],
    [{ seeds: { list: [1] } }, "Error when setting state for item 'seeds.list', expected a list of length '2', got one of length '1'."],
  ];
  for (const [state, message] of cases) assert.throws(() => ctx.loadStateDict(state), { message });
  assert.throws(() => ctx.loadStateDict({ model: { nope: torch.zeros([1]) } }), /^Error: Error when setting state for item 'model', /);
  assert.throws(() => ctx.loadStateDict(5 as never), { message: "Error when setting state for the context, expected a dict, got 'number'." });
});

test("a tensor of another shape is replaced; other objects must have a null state", () => {
  class Thing {}
  const ctx = new Context({ t: torch.zeros([2]), thing: new Thing() });
  ctx.loadStateDict({ t: torch.ones([3]), thing: null });
  assert.deepEqual(ctx.t.toArray(), [1, 1, 1]);
  assert.throws(() => ctx.loadStateDict({ thing: 3 }), { message: "Error when setting state for item 'thing', expected null, got 'number'." });
});

test("__rng__: restoring replays the master generator's seeds and libtorch's random numbers", () => {
  seedMasterGenerator(42);
  try {
    const ctx = new Context({ step: 0 });
    newSeed();
    torch.rand([3]);
    const state = ctx.stateDict();
    const seedsA = [newSeed(), newSeed()];
    const randA = torch.rand([4]).toArray();
    newSeed();
    torch.rand([10]);
    ctx.loadStateDict(state);
    assert.deepEqual([newSeed(), newSeed()], seedsA);
    assert.deepEqual(torch.rand([4]).toArray(), randA);
  } finally {
    clearMasterGenerator();
  }
});

test("a None item from Python pystematic-torch (its DataLoader or bare tensor) loads as no state", () => {
  const loader = new torch.data.DataLoader(new torch.data.TensorDataset(torch.arange(6)), { batchSize: 2 });
  const t = torch.tensor([1, 2]);
  const ctx = new Context({ loader, t, epoch: 1 });
  const before = loader.stateDict();
  ctx.loadStateDict({ loader: null, t: null, epoch: 5 });
  assert.equal(ctx.loader, loader);
  assert.deepEqual(loader.stateDict(), before, "the loader keeps its state");
  assert.equal(ctx.t, t);
  assert.deepEqual(t.toArray(), [1, 2]);
  assert.equal(ctx.epoch, 5);
});

test("two items whose names give the same state key are an error naming both", () => {
  const ctx = new ContextObject();
  ctx.lrScheduler = 1;
  ctx.lr_scheduler = 2;
  assert.throws(() => ctx.stateDict(), /item 'lr_scheduler'.*state key 'lr_scheduler' is also item 'lrScheduler''s/);
});
