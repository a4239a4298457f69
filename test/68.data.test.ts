// torch.data: the same sampling orders as Python PyTorch for the same seeds (DataLoader shuffle,
// RandomSampler with replacement, DistributedSampler, randomSplit; fixtures from
// scripts/fixtures/optim.py), default collation, DataLoader options, resumable state, MNIST.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe as suite, test } from "node:test";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import * as torch from "../src/torch-plugin/index.js";
import * as data from "../src/torch/data/index.js";
import type { Tensor } from "../src/torch/tensor/tensor.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

const FIXTURES = path.dirname(pythonFixturePath("optim", "trajectories.json"));
const orders = JSON.parse(fs.readFileSync(path.join(FIXTURES, "data-orders.json"), "utf8")) as {
  loader: { n: number; batchSize: number; seed: number; dropLast: boolean; orders: number[][][] }[];
  replacement: { n: number; numSamples: number; seed: number; order: number[] };
  weighted: { weights: number[]; numSamples: number; seed: number; order: number[] };
  distributed: { n: number; world: number; seed: number; epoch: number; shuffle: boolean; dropLast: boolean; ranks: number[][] }[];
  randomSplit: { n: number; lengths: number[]; seed: number; subsets: number[][] }[];
};

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const batches = (loader: Iterable<unknown>): unknown[] => [...loader].map((b) => (b as Tensor).toArray());

const globalOrders = JSON.parse(fs.readFileSync(pythonFixturePath("data", "global-generator-orders.json"), "utf8")) as {
  loader: { seed: number; n: number; batchSize: number; dropLast: boolean; orders: number[][][] }[];
  sampler: { seed: number; n: number; replacement: boolean; numSamples: number | null; order: number[] }[];
  subsetRandom: { seed: number; indices: number[]; order: number[] };
  weighted: { seed: number; weights: number[]; numSamples: number; replacement: boolean; order: number[] };
  randomSplit: { seed: number; n: number; lengths: number[]; subsets: number[][] }[];
};

suite("without a generator, orders come from torch.manualSeed as in Python (scripts/fixtures/data.py)", () => {
  test("DataLoader({ batchSize, shuffle: true }): every epoch, several seeds, dropLast", () => {
    for (const c of globalOrders.loader) {
      torch.manualSeed(c.seed);
      const loader = new data.DataLoader(range(c.n), { batchSize: c.batchSize, shuffle: true, dropLast: c.dropLast });
      for (const expected of c.orders) assert.deepEqual(batches(loader), expected, `seed ${c.seed}`);
    }
  });

  test("RandomSampler without and with replacement, numSamples beyond the length", () => {
    for (const c of globalOrders.sampler) {
      torch.manualSeed(c.seed);
      const s = new data.RandomSampler(range(c.n), { replacement: c.replacement, numSamples: c.numSamples ?? undefined });
      assert.deepEqual([...s], c.order);
    }
  });

  test("SubsetRandomSampler, WeightedRandomSampler and randomSplit", () => {
    const sr = globalOrders.subsetRandom;
    torch.manualSeed(sr.seed);
    assert.deepEqual([...new data.SubsetRandomSampler(sr.indices)], sr.order);
    const w = globalOrders.weighted;
    torch.manualSeed(w.seed);
    assert.deepEqual([...new data.WeightedRandomSampler(w.weights, w.numSamples, w.replacement)], w.order);
    for (const c of globalOrders.randomSplit) {
      torch.manualSeed(c.seed);
      assert.deepEqual(data.randomSplit(range(c.n), c.lengths).map((s) => [...s.indices]), c.subsets);
    }
  });
});

suite("sampling orders equal PyTorch's for the same seed", () => {
  test("DataLoader shuffle with a seeded generator, over several epochs", () => {
    for (const c of orders.loader) {
      const loader = new data.DataLoader(range(c.n), { batchSize: c.batchSize, shuffle: true, dropLast: c.dropLast, generator: new torch.Generator().manualSeed(c.seed) });
      for (const expected of c.orders) assert.deepEqual(batches(loader), expected);
    }
  });

  test("seed is shorthand for a seeded generator", () => {
    const c = orders.loader[0]!;
    const loader = new data.DataLoader(range(c.n), { batchSize: c.batchSize, shuffle: true, seed: c.seed });
    assert.deepEqual(batches(loader), c.orders[0]);
  });

  test("RandomSampler with replacement", () => {
    const r = orders.replacement;
    const s = new data.RandomSampler(range(r.n), { replacement: true, numSamples: r.numSamples, generator: new torch.Generator().manualSeed(r.seed) });
    assert.deepEqual([...s], r.order);
    assert.equal(s.length, r.numSamples);
  });

  test("WeightedRandomSampler", () => {
    const w = orders.weighted;
    const s = new data.WeightedRandomSampler(w.weights, w.numSamples, { generator: new torch.Generator().manualSeed(w.seed) });
    assert.deepEqual([...s], w.order);
  });

  test("DistributedSampler: rank shares, padding, dropLast, epochs", () => {
    for (const c of orders.distributed) {
      const shares = range(c.world).map((rank) => {
        const s = new data.DistributedSampler(range(c.n), { numReplicas: c.world, rank, seed: c.seed, shuffle: c.shuffle, dropLast: c.dropLast });
        s.setEpoch(c.epoch);
        const share = [...s];
        assert.equal(share.length, s.length);
        return share;
      });
      assert.deepEqual(shares, c.ranks, JSON.stringify({ ...c, ranks: undefined }));
    }
  });

  test("randomSplit with lengths and with fractions", () => {
    for (const c of orders.randomSplit) {
      const parts = data.randomSplit(range(c.n), c.lengths, new torch.Generator().manualSeed(c.seed));
      assert.deepEqual(parts.map((p) => [...p.indices]), c.subsets);
      assert.deepEqual(parts.map((p) => range(p.length).map((i) => p.getItem(i))), c.subsets);
    }
    assert.throws(() => data.randomSplit(range(5), [2, 2]), /Sum of input lengths does not equal the length of the input dataset/);
  });
});

suite("collation", () => {
  test("tensors are stacked, numbers become int64 or float64, booleans bool, strings stay", () => {
    const b = data.defaultCollate<[Tensor, Tensor, Tensor, Tensor, string[]]>([
      [torch.tensor([1, 2]), 3, 0.5, true, "a"],
      [torch.tensor([4, 5]), 6, 1, false, "b"],
    ]);
    assert.deepEqual(b[0].toArray(), [[1, 2], [4, 5]]);
    assert.equal(b[1].dtype, "int64");
    assert.deepEqual(b[1].toArray(), [3, 6]);
    assert.equal(b[2].dtype, "float64");
    assert.deepEqual(b[2].toArray(), [0.5, 1]);
    assert.equal(b[3].dtype, "bool");
    assert.deepEqual(b[3].toArray(), [true, false]);
    assert.deepEqual(b[4], ["a", "b"]);
  });

  test("objects are collated per key; TypedArrays and ArrayTensors are stacked", () => {
    const b = data.defaultCollate<{ x: Tensor; img: Tensor; label: Tensor }>([
      { x: new Float32Array([1, 2, 3]), img: { data: new Uint8Array([1, 2, 3, 4]), shape: [2, 2] }, label: 1 },
      { x: new Float32Array([4, 5, 6]), img: { data: new Uint8Array([5, 6, 7, 8]), shape: [2, 2] }, label: 2 },
    ]);
    assert.deepEqual(b.x.shape, [2, 3]);
    assert.equal(b.x.dtype, "float32");
    assert.deepEqual(b.img.shape, [2, 2, 2]);
    assert.equal(b.img.dtype, "uint8");
    assert.deepEqual(b.label.toArray(), [1, 2]);
  });

  test("mismatched samples are clear errors", () => {
    assert.throws(() => data.defaultCollate([[1, 2], [1]]), /each element in list of batch should be of equal size/);
    assert.throws(() => data.defaultCollate([null]), /default_collate: batch must contain Tensors/);
    assert.throws(() => data.defaultCollate([{ a: 1 }, { b: 2 }]), /a sample lacks the key "a"/);
  });
});

suite("DataLoader", () => {
  const x = torch.arange(20, { dtype: "float32" }).reshape([10, 2]);
  const y = torch.arange(10);
  const ds = new data.TensorDataset(x, y);

  test("batches of a TensorDataset equal the stacked rows; dropLast; length", () => {
    const loader = new data.DataLoader(ds, { batchSize: 4 });
    assert.equal(loader.length, 3);
    const got = [...loader] as Tensor[][];
    assert.equal(got.length, 3);
    assert.deepEqual(got[2]![0]!.toArray(), [[16, 17], [18, 19]]);
    const viaCollate = new data.DataLoader(ds, { batchSize: 4, collateFn: (s: Tensor[][]) => data.defaultCollate<Tensor[]>(s) });
    const stacked = [...viaCollate] as Tensor[][];
    got.forEach((b, i) => b.forEach((t, j) => assert.deepEqual(t.toArray(), stacked[i]![j]!.toArray())));
    const dropped = new data.DataLoader(ds, { batchSize: 4, dropLast: true });
    assert.equal(dropped.length, 2);
    assert.equal([...dropped].length, 2);
  });

  test("batchSize null yields single samples; a custom sampler and batchSampler set the order", () => {
    const single = [...new data.DataLoader([{ a: new Float32Array([1]) }], { batchSize: null })] as { a: Tensor }[];
    assert.deepEqual(single[0]!.a.toArray(), [1]);
    const reversed = new data.DataLoader(range(5), { batchSize: 2, sampler: [4, 3, 2, 1, 0] });
    assert.deepEqual(batches(reversed), [[4, 3], [2, 1], [0]]);
    const custom = new data.DataLoader(range(5), { batchSampler: [[0, 4], [2]] });
    assert.deepEqual(batches(custom), [[0, 4], [2]]);
  });

  test("options that exclude each other are errors, as in PyTorch", () => {
    assert.throws(() => new data.DataLoader(range(5), { sampler: [0], shuffle: true }), /sampler option is mutually exclusive with shuffle/);
    assert.throws(() => new data.DataLoader(range(5), { batchSampler: [[0]], dropLast: true }), /batch_sampler option is mutually exclusive/);
    assert.throws(() => new data.DataLoader(range(5), { batchSize: 0 }), /batch_size should be a positive integer value/);
    assert.throws(() => new data.DataLoader(42 as never), /expected a dataset/);
  });

  test("iterable datasets are batched in stream order", () => {
    class Count extends data.IterableDataset<number> {
      *[Symbol.iterator](): Iterator<number> {
        for (let i = 0; i < 7; i++) yield i;
      }
    }
    assert.deepEqual(batches(new data.DataLoader(new Count(), { batchSize: 3 })), [[0, 1, 2], [3, 4, 5], [6]]);
    assert.deepEqual(batches(new data.DataLoader(new Count(), { batchSize: 3, dropLast: true })), [[0, 1, 2], [3, 4, 5]]);
    assert.throws(() => new data.DataLoader(new Count(), { shuffle: true }), /expected unspecified shuffle option/);
  });

  test("for await works as for...of does", async () => {
    const loader = new data.DataLoader(range(5), { batchSize: 2, shuffle: true, seed: 1 });
    const viaAwait: unknown[] = [];
    for await (const b of loader) viaAwait.push((b as Tensor).toArray());
    const again = new data.DataLoader(range(5), { batchSize: 2, shuffle: true, seed: 1 });
    assert.deepEqual(viaAwait, batches(again));
  });

  test("stateDict mid-epoch: a new loader resumes with the next batch, bitwise, and the epochs after match", () => {
    const make = (): data.DataLoader<number, Tensor> => new data.DataLoader<number, Tensor>(range(20), { batchSize: 3, shuffle: true, seed: 7 });
    const reference = make();
    const full = [batches(reference), batches(reference), batches(reference)];
    const a = make();
    batches(a); // epoch 0
    const it = a[Symbol.iterator]();
    it.next();
    it.next(); // two batches into epoch 1
    const saved = a.stateDict();
    assert.equal(saved.epoch, 1);
    assert.equal(saved.position, 2);
    const b = make();
    b.loadStateDict(saved);
    assert.deepEqual(batches(b), full[1]!.slice(2));
    assert.deepEqual(batches(b), full[2]);
    // saved between epochs: the next pass is the next epoch
    const c = make();
    batches(c);
    const between = c.stateDict();
    assert.equal(between.epoch, 1);
    assert.equal(between.position, 0);
    const d = make();
    d.loadStateDict(between);
    assert.deepEqual(batches(d), full[1]);
  });

  test("a DistributedSampler's epoch is part of the loader's state", () => {
    const sampler = new data.DistributedSampler(range(12), { numReplicas: 2, rank: 1, seed: 3 });
    sampler.setEpoch(4);
    const loader = new data.DataLoader(range(12), { batchSize: 2, sampler });
    const expected = batches(loader);
    const state = loader.stateDict();
    const other = new data.DistributedSampler(range(12), { numReplicas: 2, rank: 1, seed: 3 });
    const restored = new data.DataLoader(range(12), { batchSize: 2, sampler: other });
    restored.loadStateDict(state);
    assert.deepEqual(batches(restored), expected);
    assert.equal(other.epoch, 4);
  });
});

suite("datasets", () => {
  test("TensorDataset rows, Subset, ConcatDataset", () => {
    const ds = new data.TensorDataset(torch.arange(6).reshape([3, 2]), torch.tensor([7, 8, 9]));
    assert.deepEqual(ds.getItem(1).map((t) => t.toArray()), [[2, 3], 8]);
    assert.throws(() => new data.TensorDataset(torch.zeros([3]), torch.zeros([4])), /Size mismatch between tensors/);
    const sub = new data.Subset(["a", "b", "c"], [2, 0]);
    assert.deepEqual([sub.getItem(0), sub.getItem(1)], ["c", "a"]);
    const cat = new data.ConcatDataset<string>([["a"], ["b", "c"]]);
    assert.equal(cat.length, 3);
    assert.deepEqual(range(3).map((i) => cat.getItem(i)), ["a", "b", "c"]);
  });

  test("MNIST from the mnist package: both splits, images in [0, 1], every class", () => {
    const train = new data.MNIST();
    const testSet = new data.MNIST({ train: false });
    assert.equal(train.length + testSet.length, 10000);
    assert.ok(train.length > 8000 && testSet.length > 1000);
    const [img, label] = train.getItem(0);
    assert.deepEqual(img!.shape, [1, 28, 28]);
    assert.equal(img!.dtype, "float32");
    assert.equal(label!.dtype, "int64");
    const max = Math.max(...(train.images.amax().toTypedArray() as Float32Array));
    assert.ok(max > 0.9 && max <= 1);
    const counts = torch.bincount(testSet.labels).toArray() as number[];
    assert.equal(counts.length, 10);
    assert.ok(counts.every((c) => c > 100));
  });
});

suite("Python's calling convention and the rest of torch.utils.data", () => {
  test("DataLoader(dataset, batchSize, shuffle, ...) positionally equals the options form; bad arguments are TypeErrors", () => {
    torch.manualSeed(3);
    const positional = batches(new data.DataLoader(range(10), 4, true));
    torch.manualSeed(3);
    assert.deepEqual(batches(new data.DataLoader(range(10), { batchSize: 4, shuffle: true })), positional);
    const loose = data.DataLoader as unknown as new (...a: unknown[]) => unknown;
    assert.throws(() => new loose(range(4), { batchSize: 2, shufle: true }), /DataLoader\(\): unknown option 'shufle'/);
    assert.throws(() => new loose(range(4), "2"), /DataLoader\(\): argument 'batchSize' must be int or None/);
    assert.throws(() => new data.DataLoader(range(4), { pinMemory: true }), /pinMemory=true is not supported/);
    assert.throws(() => new data.DataLoader(range(4), { workerInitFn: () => undefined }), /workerInitFn is not supported/);
  });

  test("samplers take Python's arguments positionally or by name", () => {
    torch.manualSeed(9);
    const a = [...new data.RandomSampler(range(6), true, 9)];
    torch.manualSeed(9);
    assert.deepEqual([...new data.RandomSampler(range(6), { replacement: true, numSamples: 9 })], a);
    assert.deepEqual([...new data.BatchSampler(new data.SequentialSampler(range(5)), 2, true)], [[0, 1], [2, 3]]);
    assert.deepEqual([...new data.BatchSampler(range(5), { batchSize: 2 })], [[0, 1], [2, 3], [4]]);
    const loose = data.WeightedRandomSampler as unknown as new (...a: unknown[]) => unknown;
    assert.throws(() => new loose([1, 2], 3, true, null, "x"), /WeightedRandomSampler\(\): takes from 2 to 4 positional arguments but 5 were given/);
  });

  test("ChainDataset reads iterable datasets one after another; Sampler is a base class", () => {
    class Count extends data.IterableDataset<number> {
      constructor(readonly from: number, readonly n: number) {
        super();
      }
      *[Symbol.iterator](): Iterator<number> {
        for (let i = 0; i < this.n; i++) yield this.from + i;
      }
      get length(): number {
        return this.n;
      }
    }
    const chain = new data.ChainDataset([new Count(0, 3), new Count(10, 2)]);
    assert.deepEqual([...chain], [0, 1, 2, 10, 11]);
    assert.equal(chain.length, 5);
    assert.deepEqual(batches(new data.DataLoader(chain, 2)), [[0, 1], [2, 10], [11]]);
    class Evens extends data.Sampler {
      *[Symbol.iterator](): Iterator<number> {
        yield* [0, 2, 4];
      }
      get length(): number {
        return 3;
      }
    }
    const evens = new Evens();
    assert.equal(evens.length, 3);
    assert.deepEqual(batches(new data.DataLoader(range(6), { sampler: evens, batchSize: 2 })), [[0, 2], [4]]);
  });

  test("a typed user script compiles under tsc --strict: TensorDataset batches are [Tensor, Tensor] (test/fixtures/data/types.check.ts)", () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const config = fileURLToPath(new URL("./fixtures/data/tsconfig.types.json", import.meta.url));
    const fixture = fs.readFileSync(fileURLToPath(new URL("./fixtures/data/types.check.ts", import.meta.url)), "utf8");
    assert.ok((fixture.match(/@ts-expect-error/g) ?? []).length >= 3, "the fixture holds the wrong uses");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", config], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      output = `${err.stdout ?? ""}${err.stderr ?? ""}`;
    }
    assert.equal(output, "");
  });
});

test("a dataset written as a plain object literal is the dataset, not the options", () => {
  const ds = { getItem: (i: number) => i * 10, length: 3 };
  assert.deepEqual(batches(new data.DataLoader(ds)), [[0], [10], [20]]);
  assert.deepEqual(batches(new data.DataLoader(ds, { batchSize: 2 })), [[0, 10], [20]]);
  assert.deepEqual([0, 1, 2, 3].map((i) => new data.ConcatDataset([ds, [7]]).getItem(i)), [0, 10, 20, 7]);
  assert.deepEqual([...new data.Subset(ds, [2, 0]).indices], [2, 0]);
});
