// Moving a session: to()/cpu()/cuda(), optimizers reloaded after the modules they follow,
// moveToDevice/placeOnCorrectDevice, and autotransform() inside a run (checkpoint, CUDA fallback).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { experiment } from "../src/index.js";
import { Context, ContextObject, moveToDevice, nn, placeOnCorrectDevice, saveCheckpoint, torch } from "../src/torch-plugin/index.js";
import { SGD } from "../src/torch/optim/index.js";

/** Records the order of moves: a module that moves itself and an optimizer reloaded after it. */
function recorded() {
  const log: string[] = [];
  const module = {
    parameters: () => [],
    stateDict: () => ({}),
    loadStateDict: () => undefined,
    to(device: string) {
      log.push(`module.to(${device})`);
      return this;
    },
  };
  const optimizer = {
    paramGroups: [{ params: [] }],
    step: () => undefined,
    stateDict: () => ({ state: new Map([[0, { buf: torch.ones([1]) }]]) }),
    loadStateDict(s: { state: Map<number, { buf: torch.Tensor }> }) {
      log.push(`optimizer.load(${s.state.get(0)!.buf.device})`);
    },
  };
  return { log, module, optimizer };
}

test("to(): every item moves (nested contexts, arrays, objects); optimizers reload after all modules; returns the context", () => {
  const { log, module, optimizer } = recorded();
  const t = torch.ones([2]);
  const inner = new ContextObject();
  inner.opt = optimizer;
  const ctx = new Context({ inner, module, list: [t], obj: { t }, n: 1 });
  assert.equal(ctx.to("cpu"), ctx);
  assert.deepEqual(log, ["module.to(cpu)", "optimizer.load(cpu)"], "the optimizer comes after the module, even nested before it");
  assert.equal(ctx.list[0], t, "a tensor already on the device is kept");
  assert.equal(ctx.n, 1);
  assert.equal(ctx.cpu(), ctx);
  assert.throws(() => ctx.to("gpu" as never), /to\(\): expected a device such as "cpu" or "cuda:0", got "gpu"/);
});

test("to() with real modules and optimizers keeps optimizer state and parameter identity", () => {
  const model = new nn.Linear(2, 1);
  const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  (model.forward(torch.ones([1, 2])) as torch.Tensor).sum().backward();
  optimizer.step();
  const weight = model.weight;
  const ctx = new Context({ model, optimizer });
  ctx.cpu();
  assert.equal(ctx.model.weight, weight);
  assert.equal(ctx.optimizer.stateSize, 2);
  assert.deepEqual(ctx.optimizer.stateFor(weight)!.momentum_buffer, ctx.optimizer.stateFor(weight)!.momentum_buffer);
});

test("cuda() without CUDA is a clear error", { skip: torch.cuda.isAvailable() && "CUDA is available here" }, () => {
  const ctx = new Context({ t: torch.ones([1]) });
  assert.throws(() => ctx.cuda(), /cuda\(\): CUDA is not available here/);
});

test("moveToDevice: one object gives the object, several an array; bad device is an error", () => {
  const t = torch.ones([1]);
  const moved = moveToDevice("cpu", t);
  assert.equal(moved, t);
  const [a, b] = moveToDevice("cpu", { x: t }, [t]);
  assert.deepEqual(a, { x: t });
  assert.deepEqual(b, [t]);
  assert.throws(() => moveToDevice("tpu" as never, t), /moveToDevice\(\): expected a device/);
});

async function captureStdout<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { value: await fn(), out };
  } finally {
    process.stdout.write = write;
  }
}

test("autotransform(): loads --checkpoint into the context, falls back to the CPU with one warning, returns the context", { skip: torch.cuda.isAvailable() && "CUDA is available here" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-82-"));
  try {
    const seen: Record<string, unknown> = {};
    const exp = experiment({ name: "autotransform-exp" }, (params, ctx) => {
      const session = new Context({ epoch: 0, model: new nn.Linear(2, 1) });
      if (params.checkpoint === null) {
        session.epoch = 7;
        torch.noGrad(() => session.model.weight.fill_(0.5));
        seen.file = saveCheckpoint(session, 1);
        return;
      }
      seen.returned = session.autotransform() === session;
      seen.epoch = session.epoch;
      seen.weight = session.model.weight.toArray();
      const [x] = placeOnCorrectDevice(torch.ones([1]));
      seen.device = x.device;
      ctx.context.autotransform();
    });
    await captureStdout(() => exp.run({ outputDir: dir, cuda: false }));
    const { out } = await captureStdout(() => exp.run({ outputDir: dir, checkpoint: seen.file as string }));
    assert.equal(seen.returned, true);
    assert.equal(seen.epoch, 7);
    assert.deepEqual(seen.weight, [[0.5, 0.5]]);
    assert.equal(seen.device, "cpu");
    assert.match(out, /\[INFO\] \[pystematic\.torch\] Loading checkpoint '.*checkpoint-1\.pt'\./);
    assert.equal(out.match(/CUDA is not available: running on the CPU/g)?.length, 1, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("autotransform() outside a run is a clear error", () => {
  assert.throws(() => new Context().autotransform(), /autotransform\(\) reads the run's parameters: call it while an experiment is running/);
});
