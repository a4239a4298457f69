// SmartDataLoader: shuffle seeded from the run's master generator, distributed sampler set up by
// itself (a new order each pass), batches moved to the device given by to(), progress on the master.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { experiment, getRankProvider, setRankProvider } from "../src/index.js";
import { BetterDataLoader, Context, SmartDataLoader, torch } from "../src/torch-plugin/index.js";
import { DistributedSampler, TensorDataset } from "../src/torch/data/index.js";

const dataset = (n: number) => new TensorDataset(torch.arange(0, n, 1, { dtype: "int64" }));
const order = (loader: Iterable<torch.Tensor[]>) => [...loader].flatMap(([x]) => x!.toArray() as number[]);

function silencing<T>(stream: NodeJS.WriteStream, fn: () => Promise<T> | T): Promise<{ value: T; out: string }> {
  const write = stream.write;
  let out = "";
  stream.write = ((c: string) => ((out += c), true)) as typeof stream.write;
  return Promise.resolve()
    .then(fn)
    .then(
      (value) => ((stream.write = write), { value, out }),
      (e) => {
        stream.write = write;
        throw e;
      },
    );
}

test("in a run, the shuffle is seeded from --random-seed: same seed same order, another seed another order", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-87-"));
  try {
    const orders: number[][][] = [];
    const exp = experiment({ name: "smart-loader" }, () => {
      const loader = new SmartDataLoader<torch.Tensor[], torch.Tensor[]>(dataset(12), { batchSize: 4, shuffle: true, loadingBar: false });
      orders.push([order(loader), order(loader)]);
    });
    await silencing(process.stdout, async () => {
      await exp.run({ outputDir: dir, randomSeed: 1 });
      await exp.run({ outputDir: dir, randomSeed: 1 });
      await exp.run({ outputDir: dir, randomSeed: 2 });
    });
    const [a, b, c] = orders;
    assert.deepEqual([...a![0]!].sort((x, y) => x - y), Array.from({ length: 12 }, (_, i) => i));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a![0], c![0]);
    assert.notDeepEqual(a![0], a![1], "a new order each pass");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("to(device) (what Context.to()/cuda() call) moves each batch; moveOutput: false leaves them", () => {
  const loader = new SmartDataLoader<torch.Tensor[], torch.Tensor[]>(dataset(4), { batchSize: 2, loadingBar: false });
  const ctx = new Context({ loader });
  assert.equal(loader.outputDevice, null);
  ctx.cpu();
  assert.equal(ctx.loader, loader);
  assert.equal(loader.outputDevice, "cpu");
  assert.deepEqual(order(loader), [0, 1, 2, 3]);
  const moved: string[] = [];
  const spy = new SmartDataLoader<torch.Tensor[], torch.Tensor[]>(dataset(2), { batchSize: 1, loadingBar: false, moveOutput: true });
  spy.to("cpu");
  for (const [x] of spy) moved.push(x!.device);
  assert.deepEqual(moved, ["cpu", "cpu"]);
  assert.throws(() => loader.to("gpu:0" as never), /SmartDataLoader\.to\(\): expected a device/);
  assert.equal(BetterDataLoader, SmartDataLoader);
  if (torch.cuda.isAvailable()) {
    loader.to("cuda:0");
    for (const [x] of loader) assert.equal(x!.device, "cuda:0");
    const raw = new SmartDataLoader<torch.Tensor[], torch.Tensor[]>(dataset(2), { batchSize: 1, loadingBar: false, moveOutput: false }).to("cuda:0");
    for (const [x] of raw) assert.equal(x!.device, "cpu");
  }
});

test("the loading bar shows on the master (stderr), not with loadingBar: false", async () => {
  const shown = await silencing(process.stderr, () => order(new SmartDataLoader<torch.Tensor[], torch.Tensor[]>(dataset(6), { batchSize: 2 })));
  assert.deepEqual(shown.value, [0, 1, 2, 3, 4, 5]);
  assert.match(shown.out, /100% 3\/3/);
  const hidden = await silencing(process.stderr, () => order(new SmartDataLoader<torch.Tensor[], torch.Tensor[]>(dataset(6), { batchSize: 2, loadingBar: false })));
  assert.equal(hidden.out, "");
});

test("distributed: each rank gets its disjoint share through a DistributedSampler, reshuffled each pass", () => {
  const previous = getRankProvider();
  const shares: number[][][] = [];
  try {
    for (const rank of [0, 1]) {
      setRankProvider({ getRank: () => rank, getNumProcesses: () => 2, isMaster: () => rank === 0 });
      const loader = new SmartDataLoader<torch.Tensor[], torch.Tensor[]>(dataset(10), { batchSize: 5, shuffle: true, randomSeed: 7, loadingBar: false });
      const sampler = loader.sampler as DistributedSampler;
      assert.ok(sampler instanceof DistributedSampler);
      assert.equal(sampler.seed, 7);
      shares.push([order(loader), order(loader)]);
      assert.equal(sampler.epoch, 2, "epochs 1 and 2 were used");
    }
  } finally {
    setRankProvider(previous);
  }
  for (const pass of [0, 1]) {
    const [r0, r1] = [shares[0]![pass]!, shares[1]![pass]!];
    assert.equal(r0.length, 5);
    assert.deepEqual([...r0, ...r1].sort((x, y) => x - y), Array.from({ length: 10 }, (_, i) => i), "disjoint shares covering the data");
  }
  assert.notDeepEqual(shares[0]![0], shares[0]![1]);
});
