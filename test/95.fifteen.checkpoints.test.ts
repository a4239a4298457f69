// fifteen's Experiment checkpoints: file names, retention (keep, keepEveryNSteps), overwrite rules,
// restore (latest, by step, into stateful objects and plain states), atomicity, real tensors
// (nn modules and optimizers) and Python interop.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Experiment } from "../src/fifteen/index.js";
import { Counter } from "../src/recording/index.js";
import { OrderedDict, StorageRecord, TensorRecord, loadObject, tuple } from "../src/torch/serialization/index.js";
import torch, { nn } from "../src/torch-plugin/index.js";
import { SGD } from "../src/torch/optim/index.js";

function withDir(fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-f15-95-"));
  try {
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const quiet = { verbose: false };

function filesIn(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

function stepsOnDisk(dir: string, prefix = "checkpoint_"): number[] {
  return fs
    .readdirSync(dir)
    .map((name) => new RegExp(`^${prefix}(\\d+)\\.pt$`).exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function float32Tensor(values: number[], shape = [values.length]): TensorRecord {
  const storage = new StorageRecord({ dtype: "float32", bytes: new Uint8Array(Float32Array.from(values).buffer) });
  return new TensorRecord({ storage, shape });
}

/** A module-like object: PyTorch state-dict keys, tensors as TensorRecords (loaded back as Tensors). */
class FakeModule {
  weight: unknown = float32Tensor([0, 0, 0, 0], [2, 2]);
  bias: unknown = float32Tensor([0, 0]);
  loads = 0;
  stateDict(): OrderedDict {
    const dict = new OrderedDict();
    dict["weight"] = this.weight;
    dict["bias"] = this.bias;
    return dict;
  }
  loadStateDict(state: OrderedDict): void {
    this.loads++;
    this.weight = state["weight"];
    this.bias = state["bias"];
  }
}

function valuesOf(t: unknown): unknown {
  assert.ok(t instanceof torch.Tensor, "a Tensor");
  return t.toArray();
}

test("saveCheckpoint writes <dataDir>/checkpoint_<step>.pt, creates the directory and returns the path", () => {
  withDir((dir) => {
    const exp = new Experiment(path.join(dir, "runs", "a"), quiet);
    assert.equal(exp.dataDir, path.join(dir, "runs", "a"));
    assert.equal(fs.existsSync(exp.dataDir), false, "not created before the first write");
    const file = exp.saveCheckpoint({ step: 7, lr: 0.5 }, 7);
    assert.equal(file, path.join(dir, "runs", "a", "checkpoint_7.pt"));
    assert.deepEqual(loadObject(file), { step: 7, lr: 0.5 });
    // Another prefix is another family: its saves leave checkpoint_ files alone.
    assert.equal(exp.saveCheckpoint({ best: true }, 9, { prefix: "best_" }), path.join(exp.dataDir, "best_9.pt"));
    assert.equal(exp.saveCheckpoint({ best: true }, 10, { prefix: "best_" }), path.join(exp.dataDir, "best_10.pt"));
    assert.deepEqual(filesIn(exp.dataDir), ["best_10.pt", "checkpoint_7.pt"]);
    assert.deepEqual(exp.checkpointSteps(), [7]);
    assert.deepEqual(exp.checkpointSteps({ prefix: "best_" }), [10]);
  });
});

test("retention over 20 saves: the newest `keep`, plus multiples of keepEveryNSteps", () => {
  withDir((dir) => {
    const cases: Array<{ keep?: number; keepEveryNSteps?: number; final: number[] }> = [
      { final: [19] },
      { keep: 3, final: [17, 18, 19] },
      { keep: 3, keepEveryNSteps: 5, final: [0, 5, 10, 15, 17, 18, 19] },
      { keep: 1, keepEveryNSteps: 4, final: [0, 4, 8, 12, 16, 19] },
      { keep: Infinity, final: Array.from({ length: 20 }, (_, i) => i) },
    ];
    for (const [n, { keep, keepEveryNSteps, final }] of cases.entries()) {
      const exp = new Experiment(path.join(dir, `case${n}`), quiet);
      for (let step = 0; step < 20; step++) {
        exp.saveCheckpoint({ step }, step, { keep, keepEveryNSteps });
        // After every save: the newest `keep` steps so far, plus the kept multiples.
        const k = keep ?? 1;
        const expected = Array.from({ length: step + 1 }, (_, i) => i).filter(
          (s) => s > step - k || (keepEveryNSteps !== undefined && s % keepEveryNSteps === 0),
        );
        assert.deepEqual(stepsOnDisk(exp.dataDir), expected, `case ${n} after step ${step}`);
      }
      assert.deepEqual(stepsOnDisk(exp.dataDir), final, `case ${n}`);
      assert.deepEqual(exp.checkpointSteps(), final);
      for (const step of final) assert.deepEqual(loadObject(path.join(exp.dataDir, `checkpoint_${step}.pt`)), { step });
    }
  });
});

test("saving an existing step is refused unless overwrite; the refused save changes nothing", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    exp.saveCheckpoint({ v: "first" }, 3, { keep: 5 });
    const file = path.join(dir, "checkpoint_3.pt");
    const before = fs.readFileSync(file);
    assert.throws(
      () => exp.saveCheckpoint({ v: "second" }, 3, { keep: 5 }),
      { message: `checkpoint for step 3 already exists: ${file} (pass overwrite: true to replace it)` },
    );
    assert.deepEqual(fs.readFileSync(file), before);
    exp.saveCheckpoint({ v: "second" }, 3, { keep: 5, overwrite: true });
    assert.deepEqual(loadObject(file), { v: "second" });
  });
});

test("a step older than the newest is refused; with overwrite it is saved and the newer ones go (flax's rollback)", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    for (const step of [10, 20, 30]) exp.saveCheckpoint({ step }, step, { keep: 5 });
    assert.throws(() => exp.saveCheckpoint({ step: 15 }, 15, { keep: 5 }), {
      message: `cannot save step 15: ${dir} holds a newer checkpoint (step 30); pass overwrite: true to save it and remove the newer ones`,
    });
    assert.deepEqual(stepsOnDisk(dir), [10, 20, 30]);
    exp.saveCheckpoint({ step: 15 }, 15, { keep: 5, overwrite: true });
    assert.deepEqual(stepsOnDisk(dir), [10, 15]);
    assert.deepEqual(exp.restoreCheckpoint(undefined), { step: 15 });
  });
});

test("restoreCheckpoint: the latest without a step, a given step, clear errors when missing", () => {
  withDir((dir) => {
    const exp = new Experiment(path.join(dir, "exp"), quiet);
    assert.throws(() => exp.restoreCheckpoint({ step: 0 }), {
      message: `no checkpoint to restore: ${exp.dataDir} holds no checkpoint_<step>.pt`,
    });
    for (const step of [2, 4, 6]) exp.saveCheckpoint({ step, loss: step / 10, tags: ["a", step] }, step, { keep: 3 });
    const template = { step: 0, loss: 0, tags: ["", 0] };
    assert.deepEqual(exp.restoreCheckpoint(template), { step: 6, loss: 0.6, tags: ["a", 6] });
    assert.deepEqual(exp.restoreCheckpoint(template, { step: 4 }), { step: 4, loss: 0.4, tags: ["a", 4] });
    assert.deepEqual(template, { step: 0, loss: 0, tags: ["", 0] }, "a plain target is not modified");
    assert.throws(() => exp.restoreCheckpoint(template, { step: 5 }), {
      message: `no checkpoint for step 5 with prefix 'checkpoint_' in ${exp.dataDir} (steps held: 2, 4, 6)`,
    });
    assert.throws(() => exp.restoreCheckpoint(template, { prefix: "best_" }), /holds no best_<step>\.pt/);
    assert.throws(() => exp.restoreCheckpoint(template, { step: -1 }), /checkpoint step must be an integer >= 0, got -1/);
  });
});

test("stateful targets: state dicts are saved, loaded in place, and the same objects are returned", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    const model = new FakeModule();
    model.weight = float32Tensor([1, 2, 3, 4], [2, 2]);
    model.bias = float32Tensor([0.5, -0.5]);
    const counter = new Counter();
    counter.count = 42;
    exp.saveCheckpoint({ model, counter, epoch: 3, shape: tuple(2, 2) }, 42);

    // What is on disk: the state dicts, as PyTorch would have them.
    const raw = loadObject(path.join(dir, "checkpoint_42.pt")) as Record<string, unknown>;
    assert.ok(raw["model"] instanceof OrderedDict);
    assert.deepEqual(Object.keys(raw["model"] as object), ["weight", "bias"]);
    assert.deepEqual(raw["counter"], { count: 42 });

    const fresh = new FakeModule();
    const freshCounter = new Counter();
    const restored = exp.restoreCheckpoint({ model: fresh, counter: freshCounter, epoch: 0, shape: tuple(0, 0) });
    assert.equal(restored.model, fresh);
    assert.equal(restored.counter, freshCounter);
    assert.equal(fresh.loads, 1);
    assert.deepEqual(valuesOf(fresh.weight), [[1, 2], [3, 4]]);
    assert.deepEqual(valuesOf(fresh.bias), [0.5, -0.5]);
    assert.equal(freshCounter.count, 42);
    assert.equal(restored.epoch, 3);
    assert.deepEqual([...restored.shape], [2, 2]);

    // A stateful object as the whole target.
    exp.saveCheckpoint(counter, 43);
    const c = new Counter();
    assert.equal(exp.restoreCheckpoint(c), c);
    assert.equal(c.count, 42);
  });
});

test("a checkpoint that does not fit the target is a clear error", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    exp.saveCheckpoint({ model: { w: 1 }, items: [1, 2] }, 1);
    assert.throws(() => exp.restoreCheckpoint({ model: { w: 0, b: 0 } }), {
      message: "checkpoint does not fit the target at target.model: it has no entry 'b'",
    });
    assert.throws(() => exp.restoreCheckpoint({ items: [0, 0, 0] }), {
      message: "checkpoint does not fit the target at target.items: it holds 2 items, the target 3",
    });
    assert.throws(() => exp.restoreCheckpoint({ model: [0] }), {
      message: "checkpoint does not fit the target at target.model: expected a list, the checkpoint holds an object",
    });
    // Extra entries in the checkpoint are ignored, as flax does.
    assert.deepEqual(exp.restoreCheckpoint({ items: [0, 0] }), { items: [1, 2] });
  });
});

test("saves are atomic: a failing save leaves the previous checkpoints and no temp files", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    exp.saveCheckpoint({ ok: 1 }, 1);
    assert.throws(() => exp.saveCheckpoint({ bad: () => 0 }, 2), /cannot save/);
    assert.deepEqual(filesIn(dir), ["checkpoint_1.pt"]);
    // What a save killed midway leaves (a temp file) is no checkpoint: listing and restore skip it.
    fs.writeFileSync(path.join(dir, ".checkpoint_2.pt.999.0.tmp"), "torn");
    assert.deepEqual(exp.checkpointSteps(), [1]);
    assert.deepEqual(exp.restoreCheckpoint({ ok: 0 }), { ok: 1 });
    exp.saveCheckpoint({ ok: 3 }, 3);
    assert.deepEqual(exp.checkpointSteps(), [3]);
  });
});

test("a tensor-like value that is not a pystematic/torch Tensor is a clear error", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    const foreign = { shape: [2], dtype: "float32", toTypedArray: () => new Float32Array([1, 2]) };
    assert.throws(() => exp.saveCheckpoint({ model: { weight: foreign } }, 1), {
      message: "cannot save the tensor-like value at target.model.weight: checkpoints hold pystematic/torch Tensors (or TensorRecords)",
    });
    assert.deepEqual(filesIn(dir), []);
  });
});

test("real tensors: an nn.Linear and an SGD optimizer with momentum, restored in place in a fresh pair", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    torch.manualSeed(0);
    const model = new nn.Linear(3, 2);
    const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
    for (let i = 0; i < 2; i++) {
      optimizer.zeroGrad();
      model.forward(x).sum().backward();
      optimizer.step();
    }
    const scale = torch.tensor([2.5, 3.5], { dtype: "float64" });
    exp.saveCheckpoint({ model, optimizer, scale, step: 2 }, 2);

    const model2 = new nn.Linear(3, 2);
    const optimizer2 = new SGD(model2.parameters(), { lr: 0.5, momentum: 0.1 });
    const restored = exp.restoreCheckpoint({ model: model2, optimizer: optimizer2, scale: torch.zeros([2]), step: 0 });
    assert.equal(restored.model, model2);
    assert.equal(restored.optimizer, optimizer2);
    assert.equal(restored.step, 2);
    assert.deepEqual(model2.weight.toArray(), model.weight.toArray());
    assert.deepEqual(model2.bias!.toArray(), model.bias!.toArray());
    assert.ok(restored.scale instanceof torch.Tensor);
    assert.equal(restored.scale.dtype, "float64");
    assert.deepEqual(restored.scale.toArray(), [2.5, 3.5]);
    // The optimizer's state came back too: one more step from both gives the same weights.
    for (const [m, o] of [[model, optimizer], [model2, optimizer2]] as const) {
      o.zeroGrad();
      m.forward(x).sum().backward();
      o.step();
    }
    assert.deepEqual(model2.weight.toArray(), model.weight.toArray());
    // mapLocation is passed to torch.load.
    const onCpu = exp.restoreCheckpoint(undefined, { mapLocation: () => "cpu" }) as { scale: InstanceType<typeof torch.Tensor> };
    assert.equal(onCpu.scale.device, "cpu");
  });
});

test("a checkpoint of plain data is written and read without loading libtorch", () => {
  withDir((dir) => {
    const script = path.join(dir, "plain.ts");
    fs.writeFileSync(
      script,
      `import { Experiment } from ${JSON.stringify(path.resolve("src/fifteen/index.ts"))};
const exp = new Experiment(${JSON.stringify(path.join(dir, "exp"))}, { verbose: false });
exp.saveCheckpoint({ step: 1, lr: 0.1, names: ["a"] }, 1);
const back = exp.restoreCheckpoint({ step: 0, lr: 0, names: [""] });
const libs = process.report.getReport().sharedObjects.filter((s) => /torch|\.node$/.test(s));
console.log(JSON.stringify({ back, libs }));
`,
    );
    const out = execFileSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(out), { back: { step: 1, lr: 0.1, names: ["a"] }, libs: [] });
  });
});

test("verbose: one line per checkpoint saved or restored", () => {
  withDir((dir) => {
    const log = mock.method(console, "log", () => {});
    try {
      const exp = new Experiment(dir);
      const file = exp.saveCheckpoint({ a: 1 }, 1);
      exp.restoreCheckpoint({ a: 0 });
      new Experiment(dir, quiet).saveCheckpoint({ a: 2 }, 2);
      assert.deepEqual(
        log.mock.calls.map((c) => c.arguments),
        [[`[Experiment] Saved checkpoint to ${file}`], [`[Experiment] Loaded checkpoint from ${file}`]],
      );
    } finally {
      log.mock.restore();
    }
  });
});

test("bad arguments are clear errors", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    assert.throws(() => exp.saveCheckpoint({}, -1), { message: "checkpoint step must be an integer >= 0, got -1" });
    assert.throws(() => exp.saveCheckpoint({}, 1.5), { message: "checkpoint step must be an integer >= 0, got 1.5" });
    assert.throws(() => exp.saveCheckpoint({}, 1, { keep: 0 }), { message: "saveCheckpoint: keep must be an integer >= 1 or Infinity, got 0" });
    assert.throws(() => exp.saveCheckpoint({}, 1, { keepEveryNSteps: 0 }), {
      message: "saveCheckpoint: keepEveryNSteps must be an integer >= 1, got 0",
    });
    assert.throws(() => exp.saveCheckpoint({}, 1, { prefix: "../x" }), /checkpoint prefix must be a file name start without path separators/);
    assert.throws(() => new Experiment(""), /Experiment: dataDir must be a non-empty path/);
    assert.deepEqual(filesIn(dir), []);
  });
});

test("checkpoints load in Python's torch.load", { skip: !fs.existsSync("/usr/bin/python3") && "no /usr/bin/python3" }, () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    const model = new FakeModule();
    model.weight = float32Tensor([1, 2, 3, 4], [2, 2]);
    const file = exp.saveCheckpoint({ model, step: 9 }, 9);
    const out = execFileSync(
      "/usr/bin/python3",
      ["-c", "import sys, torch; c = torch.load(sys.argv[1]); print(type(c['model']).__name__, c['model']['weight'].tolist(), c['step'])", file],
      { encoding: "utf8" },
    );
    assert.equal(out.trim(), "OrderedDict [[1.0, 2.0], [3.0, 4.0]] 9");
  });
});
