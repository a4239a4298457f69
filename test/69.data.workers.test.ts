// DataLoader worker threads: batches equal main-thread loading in the same order, with for...of
// and for await; loading overlaps the main thread's work; worker errors surface as Errors.
import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";
import * as data from "../src/torch/data/index.js";
import type { Tensor } from "../src/torch/tensor/tensor.js";
import { FaultyDataset, SquaresDataset } from "./fixtures/optim/worker-dataset.js";

type Batch = { x: Tensor; y: Tensor; worker: Tensor };
const plain = (b: Batch): unknown => ({ x: b.x.toArray(), y: b.y.toArray(), dtypes: [b.x.dtype, b.y.dtype] });

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

suite("DataLoader worker threads", () => {
  test("same batches, same order as loading on the main thread (for...of, shuffled, two epochs)", () => {
    const ds = new SquaresDataset(23);
    const main = new data.DataLoader<unknown, Batch>(ds, { batchSize: 4, shuffle: true, seed: 5 });
    const workers = new data.DataLoader<unknown, Batch>(ds, { batchSize: 4, shuffle: true, seed: 5, numWorkers: 2 });
    try {
      for (let epoch = 0; epoch < 2; epoch++) {
        const expected = [...main].map(plain);
        const got = [...workers];
        assert.deepEqual(got.map(plain), expected);
        // batch i came from worker i mod 2
        got.forEach((b, i) => assert.ok((b.worker.toArray() as number[]).every((w) => w === i % 2)));
      }
    } finally {
      workers.close();
    }
  });

  test("for await, batchSize null, and breaking off an epoch", async () => {
    const ds = new SquaresDataset(6);
    const loader = new data.DataLoader<unknown, { x: Tensor; y: number }>(ds, { batchSize: null, numWorkers: 2 });
    try {
      const ys: number[] = [];
      for await (const s of loader) ys.push(s.y);
      assert.deepEqual(ys, [0, 1, 2, 0, 1, 2]);
      for (const s of loader) {
        assert.deepEqual(s.x.toArray(), [0, 0]);
        break;
      }
      // the abandoned epoch's in-flight results do not leak into the next one
      const again: number[] = [];
      for (const s of loader) again.push((s.x.toArray() as number[])[0]!);
      assert.deepEqual(again, [0, 1, 2, 3, 4, 5]);
    } finally {
      loader.close();
    }
  });

  test("loading overlaps the main thread's work", () => {
    const ds = new SquaresDataset(16, 10); // 4 batches x 4 samples x 10 ms = 160 ms of loading
    const loader = new data.DataLoader(ds, { batchSize: 4, numWorkers: 2 });
    try {
      [...loader]; // start the workers outside the timing
      const t0 = performance.now();
      for (const _ of loader) busy(40); // 160 ms of "training"
      const elapsed = performance.now() - t0;
      assert.ok(elapsed < 280, `loading did not overlap with compute: ${elapsed.toFixed(0)} ms for 160 + 160 ms`);
    } finally {
      loader.close();
    }
  });

  test("an error in a worker is thrown on the main thread with the worker's message", () => {
    const loader = new data.DataLoader(new SquaresDataset(8, 0, 5), { batchSize: 2, numWorkers: 2 });
    try {
      assert.throws(() => [...loader], /DataLoader worker 0: cannot load sample 5/);
    } finally {
      loader.close();
    }
  });

  test("numWorkers needs a worker source", () => {
    const loader = new data.DataLoader([1, 2, 3], { numWorkers: 1 });
    assert.throws(() => [...loader], /numWorkers > 0 needs to know how a worker thread builds the dataset/);
  });
});

suite("a worker that dies or hangs never hangs the loader (issue: dead workers)", () => {
  const within = (ms: number, fn: () => void): void => {
    const t0 = performance.now();
    fn();
    const took = performance.now() - t0;
    assert.ok(took < ms, `took ${took.toFixed(0)} ms`);
  };

  test("process.exit() in getItem: an Error naming the worker and its exit code", () => {
    const loader = new data.DataLoader(new FaultyDataset(8, "exit", 3), { batchSize: 2, numWorkers: 2 });
    try {
      within(20_000, () => assert.throws(() => [...loader], /DataLoader worker 1 exited without answering.*exit code 3/));
    } finally {
      loader.close();
    }
  });

  test("a worker out of heap memory: an Error naming the worker and the out-of-memory", () => {
    const loader = new data.DataLoader(new FaultyDataset(4, "oom", 2), { batchSize: 1, numWorkers: 1, workerResourceLimits: { maxOldGenerationSizeMb: 24 } });
    try {
      within(60_000, () => assert.throws(() => [...loader], /DataLoader worker 0 exited without answering.*memory/i));
    } finally {
      loader.close();
    }
  });

  test("a worker terminated from outside: an Error, and the next epoch starts fresh workers", () => {
    const loader = new data.DataLoader(new SquaresDataset(6, 200), { batchSize: 1, numWorkers: 1 });
    try {
      const it = loader[Symbol.iterator]();
      it.next();
      (loader as unknown as { pool: { terminateWorker(w: number): void } }).pool.terminateWorker(0);
      within(20_000, () => assert.throws(() => { for (let r = it.next(); !r.done; r = it.next()); }, /DataLoader worker 0 exited without answering/));
      assert.equal([...loader].length, 6);
    } finally {
      loader.close();
    }
  });

  test("timeout (seconds) bounds the wait for a batch: an infinite loop in getItem throws after it", () => {
    const loader = new data.DataLoader(new FaultyDataset(4, "hang", 1), { batchSize: 1, numWorkers: 1, timeout: 5 });
    try {
      within(20_000, () => assert.throws(() => [...loader], /DataLoader timed out after 5 seconds waiting for a batch from worker 0/));
    } finally {
      loader.close();
    }
    assert.throws(() => new data.DataLoader([1, 2], { timeout: 1 }), /needs numWorkers > 0/);
    assert.throws(() => new data.DataLoader([1, 2], { timeout: -1, numWorkers: 1 }), /non-negative/);
  });
});
