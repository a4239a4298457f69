// Per-op overhead against Python PyTorch on the same libtorch, measured side by side: the hot ops
// (scripts/codegen/hot-op-list.ts) on 1-element tensors (GC-managed, and inside tidy), t.idx(0)
// (Python's t[0]), sigmoid (generated, on the hot list), abs (boxed: off it), matmul on 2x2
// matrices (its overhead) and a 64x784 @ 784x256 matmul (compute-bound: the op is ~99 % of the time).
// Targets: DECISIONS.md "2026-12: libtorch versions" (docs/performance.md): GC-managed ≤ 0.8x
// Python on add/sub/mul/div/relu/sum/matmul, ≤ 1.0x on mean, idx and generated ops, ≤ 0.75x inside
// tidy; the compute-bound matmul ≤ 1.05x.
import torch from "../../src/torch-plugin/index.js";
import { alternate, PythonPeer, ratioLine } from "./_python.js";

torch.setNumThreads(1);
const REPS = 200_000;
const a = torch.ones([1]);
const b = torch.ones([1]);
const m = torch.ones([4, 4]);
const m2 = torch.ones([2, 2]);
const x = torch.randn([64, 784]);
const w = torch.randn([784, 256]);

const OPS = {
  add: () => a.add(b),
  mul: () => a.mul(b),
  sub: () => a.sub(b),
  div: () => a.div(b),
  relu: () => a.relu(),
  sum: () => a.sum(),
  mean: () => a.mean(),
  index: () => m.idx(0),
  "sigmoid (generated)": () => a.sigmoid(),
  // A unary op off the hot list: the boxed engine's own overhead.
  "abs (boxed)": () => a.abs(),
  // matmul's own overhead (2x2), and a compute-bound one where the op is ~99 % of the time.
  "matmul (2x2)": () => m2.matmul(m2),
  matmul: () => x.matmul(w),
} as const;
type Name = keyof typeof OPS;
const repsOf = (name: Name) => (name === "matmul" ? 1_000 : REPS);
// A matmul round is compute-bound and short: more of them, so drift evens out between the sides.
const roundsOf = (name: Name) => (name === "matmul" ? 21 : 7);

// Ours and Python's rounds alternate (see PythonPeer), each op GC-managed and inside tidy; each
// ratio is the median of the rounds' paired ratios (see alternate).
const peer = new PythonPeer(`
import torch
torch.set_num_threads(1)
a = torch.ones(1); b = torch.ones(1); m = torch.ones(4, 4); m2 = torch.ones(2, 2)
x = torch.randn(64, 784); w = torch.randn(784, 256)
ops = {"add": lambda: a + b, "mul": lambda: a * b, "sub": lambda: a - b, "div": lambda: a / b,
       "relu": lambda: a.relu(), "sum": lambda: a.sum(), "mean": lambda: a.mean(), "index": lambda: m[0],
       "sigmoid (generated)": lambda: a.sigmoid(), "abs (boxed)": lambda: a.abs(), "matmul (2x2)": lambda: m2 @ m2, "matmul": lambda: x @ w}
`);
await peer.ready();

let ok = true;
type Line = [label: string, ours: number, python: number, target: number, ratio: number];
const gcLines: Line[] = [];
const tidyLines: Line[] = [];
for (const name of Object.keys(OPS) as Name[]) {
  const op = OPS[name];
  const reps = repsOf(name);
  const plain = () => {
    for (let i = 0; i < reps; i++) op();
  };
  // Scopes of 1000 ops, as a training step's worth of temporaries; of 10 matmuls (640 KB of
  // results, a step's worth of that size): 1000 of them keep 64 MB alive per scope, and a round
  // after Python's then measures how fast cold memory fills, not the op.
  const perScope = name === "matmul" ? 10 : 1000;
  const scoped = () => {
    for (let k = 0; k < reps / perScope; k++) torch.tidy(() => {
      for (let i = 0; i < perScope; i++) op();
    });
  };
  plain(); // warm up both sides
  await peer.round(name, reps);
  const gc = await alternate(plain, peer, name, reps, roundsOf(name));
  scoped();
  const tidy = await alternate(scoped, peer, name, reps, roundsOf(name));
  const target = name === "matmul" ? 1.05 : name === "mean" || name === "index" || name.includes("generated") || name.includes("boxed") ? 1.0 : 0.8;
  // The big matmul is compute, not overhead: the scope target is for the per-op overhead.
  const tidyTarget = name === "matmul" ? 1.05 : 0.75;
  gcLines.push([`${name} (GC-managed)`, gc.ours, gc.python, target, gc.ratio]);
  tidyLines.push([`${name} (inside tidy)`, tidy.ours, tidy.python, tidyTarget, tidy.ratio]);
}
peer.close();
for (const [label, ours, py, target, ratio] of [...gcLines, ...tidyLines]) {
  ok = ratioLine(label, ours, py, target, "µs", ratio) && ok;
}
if (!ok) process.exitCode = 1;
