// saveCheckpoint/loadCheckpoint: where files go, master-only writes, the log line, Python's
// torch.load on a Context's checkpoint and ours on Python's, CUDA-saved tensors loading on the
// CPU, and kill -9 during a checkpoint write.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { experiment, getRankProvider, setRankProvider } from "../src/index.js";
import { Context, loadCheckpoint, nn, saveCheckpoint, torch } from "../src/torch-plugin/index.js";
import { OrderedDict, StorageRecord, TensorRecord, saveObject } from "../src/torch/serialization/index.js";

const PYTHON = "/usr/bin/python3";
const here = dirname(fileURLToPath(import.meta.url));

function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  const write = process.stdout.write;
  let out = "";
  process.stdout.write = ((c: string) => ((out += c), true)) as typeof process.stdout.write;
  return fn().then(
    (value) => ((process.stdout.write = write), { value, out }),
    (e) => {
      process.stdout.write = write;
      throw e;
    },
  );
}

test("saveCheckpoint in a run: checkpoint-<id>.pt or the name given, in the run directory, logged; a context saves its stateDict()", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-84-"));
  try {
    const paths: (string | null)[] = [];
    let runDir = "";
    const exp = experiment({ name: "ckpt-exp" }, (_params, ctx) => {
      runDir = ctx.outputDir;
      const session = new Context({ epoch: 2, model: new nn.Linear(2, 1) });
      paths.push(saveCheckpoint(session.stateDict(), 3));
      paths.push(saveCheckpoint(session, "best.pt"));
    });
    const { out } = await quietly(() => exp.run({ outputDir: dir }));
    assert.deepEqual(paths, [join(runDir, "checkpoint-3.pt"), join(runDir, "best.pt")]);
    assert.match(out, new RegExp(`\\[INFO\\] \\[pystematic\\.torch\\] Saving checkpoint '${paths[0]!.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}'\\.`));
    const state = loadCheckpoint(paths[1]!) as { epoch: number; model: Record<string, torch.Tensor> };
    assert.equal(state.epoch, 2);
    assert.deepEqual(Object.keys(state.model), ["weight", "bias"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("saveCheckpoint: only the master writes; bad names and relative names outside a run are errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-84-"));
  const previous = getRankProvider();
  try {
    setRankProvider({ getRank: () => 1, getNumProcesses: () => 2, isMaster: () => false });
    assert.equal(saveCheckpoint({ a: 1 }, join(dir, "x.pt")), null);
    assert.equal(existsSync(join(dir, "x.pt")), false);
  } finally {
    setRankProvider(previous);
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => saveCheckpoint({}, 1), /saveCheckpoint\(\): 'checkpoint-1\.pt' goes in the run directory, and no experiment is running/);
  assert.throws(() => saveCheckpoint({}, "" as never), /expected a checkpoint id \(number\) or a file name \(string\)/);
});

test("Python's torch.load reads a Context checkpoint; a Python checkpoint restores a Context", () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-84-"));
  try {
    torch.manualSeed(3);
    const ours = new Context({ epoch: 5, name: "ours", model: new nn.Linear(3, 2), t: torch.arange(0, 4, 1, { dtype: "int64" }) });
    saveCheckpoint(ours, join(dir, "ours.pt"));
    const py = spawnSync(
      PYTHON,
      [
        "-c",
        `
import sys, json, torch
s = torch.load(sys.argv[1])
m = torch.nn.Linear(3, 2); m.load_state_dict(s["model"])
torch.manual_seed(0)
theirs = torch.nn.Linear(3, 2)
torch.save({"epoch": 9, "name": "python", "model": theirs.state_dict(), "t": torch.tensor([7, 8, 9, 10])}, sys.argv[2])
print(json.dumps({"epoch": s["epoch"], "name": s["name"], "weight": m.weight.tolist(), "t": s["t"].tolist(), "rng": sorted(s["__rng__"].keys()),
                  "theirs": theirs.weight.tolist()}))
`,
        join(dir, "ours.pt"),
        join(dir, "theirs.pt"),
      ],
      { encoding: "utf8" },
    );
    assert.equal(py.status, 0, py.stderr);
    const seen = JSON.parse(py.stdout) as { epoch: number; name: string; weight: number[][]; t: number[]; rng: string[]; theirs: number[][] };
    assert.equal(seen.epoch, 5);
    assert.equal(seen.name, "ours");
    const w = ours.model.weight.toArray() as number[][];
    seen.weight.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - w[i]![j]!) < 1e-7)));
    assert.deepEqual(seen.t, [0, 1, 2, 3]);
    assert.deepEqual(seen.rng, ["torch"]);
    ours.loadStateDict(loadCheckpoint(join(dir, "theirs.pt")) as Record<string, unknown>);
    assert.equal(ours.epoch, 9);
    assert.equal(ours.name, "python");
    assert.deepEqual(ours.t.toArray(), [7, 8, 9, 10]);
    const back = ours.model.weight.toArray() as number[][];
    seen.theirs.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - back[i]![j]!) < 1e-7)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("loadCheckpoint: tensors saved on a CUDA device load on the CPU", { skip: torch.cuda.isAvailable() && "CUDA is available here" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-84-"));
  try {
    const file = join(dir, "cuda.pt");
    const storage = new StorageRecord({ dtype: "float32", device: "cuda:0", bytes: new Uint8Array(new Float32Array([1, 2, 3]).buffer) });
    const sd = new OrderedDict();
    sd.weight = new TensorRecord({ storage, shape: [3] });
    saveObject({ model: sd }, file);
    assert.throws(() => torch.load(file), /CUDA is not available here; pass \{ mapLocation: "cpu" \}/);
    const state = loadCheckpoint(file) as { model: { weight: torch.Tensor } };
    assert.equal(state.model.weight.device, "cpu");
    assert.deepEqual(state.model.weight.toArray(), [1, 2, 3]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("kill -9 during a checkpoint write leaves the previous checkpoint loadable", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-84-"));
  try {
    const file = join(dir, "checkpoint-1.pt");
    const script = join(dir, "writer.ts");
    const api = resolve(here, "../src/torch-plugin/index.js");
    writeFileSync(
      script,
      `import { Context, saveCheckpoint, torch } from ${JSON.stringify(api)};
       const ctx = new Context({ version: 1, big: torch.zeros([1]) });
       saveCheckpoint(ctx, ${JSON.stringify(file)});
       ctx.version = 2;
       ctx.big = torch.ones([24 << 20]);
       process.stdout.write("ready\\n");
       for (;;) saveCheckpoint(ctx, ${JSON.stringify(file)});\n`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((r) => child.stdout.once("data", () => r()));
    await new Promise((r) => setTimeout(r, 250));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const state = loadCheckpoint(file) as { version: number; big: torch.Tensor };
    assert.ok(state.version === 1 || state.version === 2);
    assert.equal(state.big.numel(), state.version === 1 ? 1 : 24 << 20);
    // The next save removes what the killed one left (its temp file, if it died mid-write).
    saveCheckpoint(new Context({ version: 3 }), file);
    assert.deepEqual(readdirSync(dir).sort(), ["checkpoint-1.pt", "writer.ts"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a save removes temp files that earlier saves of the same file left when their process died, and no others", () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-84-"));
  try {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(dead.stdout);
    const host = hostname();
    const stale = `.ckpt.pt.${host}.${deadPid}.0.tmp`;
    const live = `.ckpt.pt.${host}.${process.ppid}.0.tmp`; // a live process's save in progress
    const otherHost = `.ckpt.pt.elsewhere.${deadPid}.0.tmp`;
    const otherFile = `.other.pt.${host}.${deadPid}.0.tmp`;
    for (const name of [stale, live, otherHost, otherFile]) writeFileSync(join(dir, name), "partial");
    saveObject({ a: 1 }, join(dir, "ckpt.pt"));
    assert.deepEqual(readdirSync(dir).sort(), [live, otherFile, otherHost, "ckpt.pt"].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
