// Checkpoint save+load of a 400 MB state dict of real tensors (100 float32 tensors of 1M
// elements) through saveCheckpoint/loadCheckpoint, beside Python's torch.save/torch.load of the
// same sizes on this machine. Target: ratio ≤ 1.0 for both. Best of 3 rounds per side, two
// alternating passes (the machine is shared); each loaded result is kept until the next load
// returns, as `x = load()` in a loop would. Our save fsyncs (Python's does not), so it is bound by
// the disk's write speed: ~0.2 s per 400 MB here (2026-11-23: ours 0.19-0.25 s vs Python 0.28-0.44 s;
// load ours 0.08-0.16 s vs Python 0.17 s).
// Run: node --import tsx scripts/bench/checkpoint.ts  (BENCH_CHECKPOINT_MB to resize)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCheckpoint, saveCheckpoint, torch } from "../../src/torch-plugin/index.js";
import { save } from "../../src/torch/serialization/torch-io.js";
import { bestOf, python, ratioLine } from "./_python.js";

const TOTAL_MB = Number(process.env.BENCH_CHECKPOINT_MB ?? 400);
const TENSORS = 100;
const NUMEL = Math.round((TOTAL_MB * 1e6) / 4 / TENSORS);
const ROUNDS = 3;

const best = (fn: () => unknown): number => bestOf(fn, ROUNDS);

const PY = (file: string) => `
import time, torch, json, collections
sd = collections.OrderedDict(("layers.%d.weight" % i, torch.randn(${NUMEL})) for i in range(${TENSORS}))
def best(fn):
    t, kept = float("inf"), None
    for _ in range(${ROUNDS}):
        s = time.perf_counter(); result = fn(); t = min(t, time.perf_counter() - s); kept = result
    return t
save = best(lambda: torch.save(sd, ${JSON.stringify(file)}))
load = best(lambda: torch.load(${JSON.stringify(file)}, map_location="cpu"))
print(json.dumps({"save": save, "load": load}))
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-bench-checkpoint-"));
try {
  const file = path.join(dir, "ours.pt");
  const pyFile = path.join(dir, "python.pt");
  const state: Record<string, torch.Tensor> = {};
  for (let i = 0; i < TENSORS; i++) state[`layers.${i}.weight`] = torch.randn([NUMEL]);
  // saveCheckpoint logs a line per save: time it without the console in the way.
  const log = process.stdout.write;
  const quiet = <T>(fn: () => T): T => {
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      return fn();
    } finally {
      process.stdout.write = log;
    }
  };
  const ours = () => ({
    save: quiet(() => best(() => saveCheckpoint(state, file))),
    saveNoSync: best(() => save(state, file, { fsync: false })),
    load: best(() => loadCheckpoint(file)),
  });
  const a = ours();
  const p1 = python<{ save: number; load: number }>(PY(pyFile));
  const b = ours();
  const p2 = python<{ save: number; load: number }>(PY(pyFile));
  const mb = (fs.statSync(file).size / 1e6).toFixed(0);
  console.log(`checkpoint: ${mb} MB state dict of ${TENSORS} float32 tensors (best of ${ROUNDS}, two passes)`);
  const okSave = ratioLine("saveCheckpoint vs torch.save", Math.min(a.save, b.save), Math.min(p1.save, p2.save), 1.0, "s");
  ratioLine("  (torch.save without fsync)", Math.min(a.saveNoSync, b.saveNoSync), Math.min(p1.save, p2.save), 1.0, "s");
  const okLoad = ratioLine("loadCheckpoint vs torch.load", Math.min(a.load, b.load), Math.min(p1.load, p2.load), 1.0, "s");
  if (!okSave || !okLoad) process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
