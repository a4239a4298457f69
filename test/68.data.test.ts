// torch.data: the same sampling orders as Python PyTorch for the same seeds (DataLoader shuffle,
// RandomSampler with replacement, DistributedSampler, randomSplit; fixtures from
// scripts/fixtures/optim.py), default collation, DataLoader options, resumable state, MNIST.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe as suite, test } from "node:test";
import { fileURLToPath } from "node:url";
import * as torch from "../src/torch/index.js";
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
