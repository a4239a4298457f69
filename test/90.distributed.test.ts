// torch.distributed on c10d with Gloo: 2 real processes on this machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import torch, { nn } from "../src/torch-plugin/index.js";
import { freePort } from "./fixtures/ports.js";

const WORKER = fileURLToPath(new URL("fixtures/distributed/worker.ts", import.meta.url));

function runRank(rank: number, port: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER], {
      env: { ...process.env, RANK: String(rank), WORLD_SIZE: "2", LOCAL_RANK: String(rank), MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`rank ${rank} exited ${code}:\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, unknown>);
    });
  });
}

test("2 Gloo ranks: collectives, broadcastFromMaster, DDP equals single-process training", { timeout: 120_000 }, async () => {
  const port = await freePort();
  const [r0, r1] = await Promise.all([runRank(0, port), runRank(1, port)]);
  for (const r of [r0, r1]) {
    assert.equal(r.backend, "gloo");
    assert.deepEqual(r.sum, [3, 30]);
    assert.deepEqual(r.avg, [1.5, 15]);
    assert.deepEqual(r.max, [2, 20]);
    assert.deepEqual(r.broadcast, [6, 6]);
    assert.deepEqual(r.gather, [[0, 0], [1, 1]]);
    assert.deepEqual(r.json, { dir: "/runs/x", n: [1, 2] });
    assert.deepEqual(r.stateKeys, ["module.0.weight", "module.0.bias"]);
  }
  assert.deepEqual(r0!.reduceScatter, [3, 3]);
  assert.deepEqual(r1!.reduceScatter, [30, 30]);
  // Parameters are bitwise identical across ranks...
  assert.deepEqual(r0!.params, r1!.params);
  // ...and local gradients differ under noSync.
  assert.notEqual(r0!.noSyncGrad, r1!.noSyncGrad);

  // ...and equal a single process trained on the whole batch from rank 0's initial weights.
  torch.setNumThreads(1);
  torch.manualSeed(100);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Linear(8, 3));
  torch.manualSeed(7);
  const x = torch.randn([8, 4]);
  const y = torch.randn([8, 3]);
  for (let step = 0; step < 5; step++) {
    const err = (model.call(x) as torch.Tensor).sub(y);
    err.mul(err).mean().backward();
    torch.noGrad(() => {
      for (const p of model.parameters()) {
        p.sub_(p.grad!.mul(0.1));
        p.grad = undefined;
      }
    });
  }
  const single = model.parameters().map((p) => Array.from(p.toTypedArray() as Float32Array));
  const ddp = r0!.params as number[][];
  for (let i = 0; i < single.length; i++) {
    for (let j = 0; j < single[i]!.length; j++) {
      assert.ok(Math.abs(single[i]![j]! - ddp[i]![j]!) < 1e-6, `param ${i}[${j}]: ${single[i]![j]} vs ${ddp[i]![j]}`);
    }
  }
});

test("collectives outside a distributed run give clear errors", async () => {
  const { distributed } = await import("../src/torch-plugin/index.js");
  assert.equal(distributed.isDistributed(), false);
  assert.equal(distributed.getRank(), 0);
  assert.equal(distributed.getNumProcesses(), 1);
  assert.throws(() => distributed.allReduce(torch.ones([1])), /needs a distributed run/);
  assert.throws(() => new distributed.DistributedDataParallel(new nn.Linear(2, 2)), /needs a distributed run/);
  assert.equal(distributed.broadcastFromMaster(5), 5);
});
