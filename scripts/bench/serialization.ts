// Checkpoint save/load of a 400 MB state dict (100 float32 tensors of 1M elements, as a
// mid-sized model), ours (saveObject/loadObject on records) beside Python's torch.save/torch.load
// of the same sizes on this machine. Target: ratio ≤ 1.0 for both. Best of 3 rounds each; the
// files stay in the page cache, as they would right after a save. Two alternating passes per side.
// Run: node --import tsx scripts/bench/serialization.ts  (BENCH_SERIALIZATION_MB to resize)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { OrderedDict, StorageRecord, TensorRecord, loadObject, saveObject } from "../../src/torch/serialization/index.js";
import { bestOf } from "./_python.js";

const TOTAL_MB = Number(process.env.BENCH_SERIALIZATION_MB ?? 400);
const TENSORS = 100;
const NUMEL = Math.round((TOTAL_MB * 1e6) / 4 / TENSORS);
const ROUNDS = 3;

function stateDict(): OrderedDict {
  const sd = new OrderedDict();
  for (let i = 0; i < TENSORS; i++) {
    const values = new Float32Array(NUMEL);
    for (let j = 0; j < NUMEL; j += 997) values[j] = Math.sin(i + j);
    const storage = new StorageRecord({ dtype: "float32", bytes: new Uint8Array(values.buffer) });
    sd[`layers.${i}.weight`] = new TensorRecord({ storage, shape: [NUMEL] });
  }
  return sd;
}

const best = (fn: () => unknown): number => bestOf(fn, ROUNDS);

const PYTHON = `
import sys, time, torch, json, collections
n, numel, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sd = collections.OrderedDict(("layers.%d.weight" % i, torch.randn(numel)) for i in range(n))
def best(fn):
    t, kept = float("inf"), None
    for _ in range(${ROUNDS}):
        s = time.perf_counter(); result = fn(); t = min(t, time.perf_counter() - s); kept = result
    return t
save = best(lambda: torch.save(sd, path))
load = best(lambda: torch.load(path))
print(json.dumps({"save": save, "load": load}))
`;

interface Times {
  save: number;
  load: number;
}

function ours(file: string, sd: OrderedDict): Times & { saveNoSync: number; loadCrc: number } {
  return {
    save: best(() => saveObject(sd, file)),
    saveNoSync: best(() => saveObject(sd, file, { fsync: false })),
    load: best(() => loadObject(file)),
    loadCrc: best(() => loadObject(file, { verifyCrc: true })),
  };
}

function python(file: string): Times {
  const py = spawnSync("/usr/bin/python3", ["-c", PYTHON, String(TENSORS), String(NUMEL), file], { encoding: "utf8" });
  if (py.status !== 0) throw new Error(`Python failed: ${py.stderr}`);
  return JSON.parse(py.stdout) as Times;
}

// Two alternating passes, best of each side: the machine is shared, so take each side's quietest.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-bench-serialization-"));
try {
  const file = path.join(dir, "ours.pt");
  const sd = stateDict();
  const a = ours(file, sd);
  const p1 = python(path.join(dir, "python.pt"));
  const b = ours(file, sd);
  const p2 = python(path.join(dir, "python.pt"));
  const save = Math.min(a.save, b.save);
  const saveNoSync = Math.min(a.saveNoSync, b.saveNoSync);
  const load = Math.min(a.load, b.load);
  const loadCrc = Math.min(a.loadCrc, b.loadCrc);
  const p = { save: Math.min(p1.save, p2.save), load: Math.min(p1.load, p2.load) };
  const mb = (fs.statSync(file).size / 1e6).toFixed(0);
  const ok = save / p.save <= 1 && load / p.load <= 1;
  console.log(
    `serialization (${mb} MB state dict, ${TENSORS} tensors): save ${save.toFixed(2)} s vs Python ${p.save.toFixed(2)} s ` +
      `(ratio ${(save / p.save).toFixed(2)}; ours fsyncs, Python does not: without fsync ${saveNoSync.toFixed(2)} s, ` +
      `ratio ${(saveNoSync / p.save).toFixed(2)}), load ${load.toFixed(2)} s vs Python ${p.load.toFixed(2)} s ` +
      `(ratio ${(load / p.load).toFixed(2)}; checking storage CRCs, which Python skips: ${loadCrc.toFixed(2)} s); ` +
      `target ratio ≤ 1.0: ${ok ? "met" : "NOT met"}`,
  );
  if (!ok) process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
