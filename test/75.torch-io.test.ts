// torch.save / torch.load over real tensors, both directions with Python's torch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { OrderedDict } from "../src/torch/serialization/index.js";

const PY = "/usr/bin/python3";
function python(code: string): string {
  const r = spawnSync(PY, ["-c", code], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

test("Python's torch.load reads what torch.save wrote: dtypes, views, shared storages, nesting", () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-io-"));
  try {
    const base = torch.arange(12, { dtype: "float32" }).reshape([3, 4]);
    const file = join(dir, "t.pt");
    torch.save(
      {
        base,
        row: base.select(0, 1),
        half: torch.tensor([1.5, -2], { dtype: "float16" }),
        bf: torch.tensor([0.25], { dtype: "bfloat16" }),
        ints: torch.tensor([1, 2, 3], { dtype: "int64" }),
        flags: torch.tensor([true, false]),
        grad: torch.ones([2], { requiresGrad: true }),
        nested: [1, "two", { three: 3.5 }],
      },
      file,
    );
    const out = python(`
import torch, json
d = torch.load(${JSON.stringify(file)})
print(json.dumps({
  "base": d["base"].tolist(), "row": d["row"].tolist(),
  "shared": d["row"].storage().data_ptr() == d["base"].storage().data_ptr(),
  "half": [str(d["half"].dtype), d["half"].tolist()], "bf": [str(d["bf"].dtype), d["bf"].tolist()],
  "ints": [str(d["ints"].dtype), d["ints"].tolist()], "flags": d["flags"].tolist(),
  "grad": d["grad"].requires_grad, "nested": d["nested"]}))
`);
    assert.deepEqual(JSON.parse(out), {
      base: [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]],
      row: [4, 5, 6, 7],
      shared: true,
      half: ["torch.float16", [1.5, -2]],
      bf: ["torch.bfloat16", [0.25]],
      ints: ["torch.int64", [1, 2, 3]],
      flags: [true, false],
      grad: true,
      nested: [1, "two", { three: 3.5 }],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("torch.load reads Python's torch.save of a state dict, with shared storages and views", () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-io-"));
  try {
    const file = join(dir, "py.pt");
    const weights = python(`
import torch
torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
base = torch.arange(10.)
torch.save({"model": m.state_dict(), "view": base[2:8:2], "base": base}, ${JSON.stringify(file)})
import json
print(json.dumps(m[0].weight.tolist()))
`);
    const d = torch.load(file) as { model: OrderedDict; view: Tensor; base: Tensor };
    assert.ok(d.model instanceof OrderedDict);
    assert.deepEqual(Object.keys(d.model), [
      "0.weight",
      "0.bias",
      "1.weight",
      "1.bias",
      "1.running_mean",
      "1.running_var",
      "1.num_batches_tracked",
    ]);
    const w = d.model["0.weight"] as Tensor;
    assert.deepEqual(w.shape, [2, 3]);
    assert.deepEqual(w.toArray(), JSON.parse(weights), "float32 values bit for bit");
    assert.equal((d.model["1.num_batches_tracked"] as Tensor).dtype, "int64");
    assert.deepEqual(d.view.toArray(), [2, 4, 6]);
    assert.deepEqual(d.view.stride(), [2]);
    d.base.mul_(10);
    assert.deepEqual(d.view.toArray(), [20, 40, 60], "the view shares the base's storage");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("mapLocation and a clear error for CUDA-saved tensors without CUDA", () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-io-"));
  try {
    const file = join(dir, "t.pt");
    torch.save([torch.ones([2])], file);
    const [t] = torch.load(file, { mapLocation: (saved) => (saved === "cpu" ? "cpu" : "cpu") }) as Tensor[];
    assert.deepEqual(t!.toArray(), [1, 1]);
    if (!torch.cuda.isAvailable()) {
      assert.throws(() => torch.load(file, { mapLocation: "cuda:0" }), /CUDA is not available here/);
    }
    assert.throws(() => torch.save({ f: () => 1 }, file), Error);
    assert.deepEqual((torch.load(file) as Tensor[])[0]!.toArray(), [1, 1], "a failed save keeps the old file");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Python's MultiStepLR state (a collections.Counter of milestones) loads as a Map", () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-io-"));
  try {
    const file = join(dir, "sched.pt");
    python(`
import torch
opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
s = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[5, 9, 9], gamma=0.5)
torch.save(s.state_dict(), ${JSON.stringify(file)})
`);
    const state = torch.load(file) as Record<string, unknown>;
    assert.deepEqual(state.milestones, new Map([[5, 1], [9, 2]]));
    assert.equal(state.gamma, 0.5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
