// Per-op overhead against Python PyTorch on the same libtorch, measured side by side:
// 1-element ops (GC-managed and inside tidy) and a 64x784 @ 784x256 matmul.
// Targets (DECISIONS "Speed targets"): GC-managed ≤ 1.0x Python on the hot ops, ≤ 0.75x in tidy.
import torch from "../../src/torch/index.js";
import { python, ratioLine, timeMedian } from "./_python.js";

torch.setNumThreads(1);
const REPS = 200_000;
const a = torch.ones([1]);
const b = torch.ones([1]);
const x = torch.randn([64, 784]);
const w = torch.randn([784, 256]);

// The event loop must be able to run between rounds (deferred work counts, as in real code).
const ours: Record<string, number> = {};
const yieldEvery = (n: number, body: () => void) => () => {
  for (let i = 0; i < n; i++) body();
};
for (const [name, op] of [
  ["add", () => a.add(b)],
  ["mul", () => a.mul(b)],
  ["sub", () => a.sub(b)],
  ["div", () => a.div(b)],
  ["relu", () => a.relu()],
  ["sum", () => a.sum()],
  ["mean", () => a.mean()],
  ["matmul", () => x.matmul(w)],
] as const) {
  const reps = name === "matmul" ? 2_000 : REPS;
  yieldEvery(reps, op)(); // warm up
  ours[name] = timeMedian(yieldEvery(reps, op), reps);
  await new Promise((r) => setImmediate(r));
}
ours["add (tidy)"] = timeMedian(
  () => {
    for (let k = 0; k < REPS / 1000; k++) torch.tidy(() => {
      for (let i = 0; i < 1000; i++) a.add(b);
    });
  },
  REPS,
);

const py = python<Record<string, number>>(`
import torch, time, json
torch.set_num_threads(1)
a = torch.ones(1); b = torch.ones(1)
x = torch.randn(64, 784); w = torch.randn(784, 256)
ops = {"add": lambda: a + b, "mul": lambda: a * b, "sub": lambda: a - b, "div": lambda: a / b,
       "relu": lambda: a.relu(), "sum": lambda: a.sum(), "mean": lambda: a.mean(), "matmul": lambda: x @ w}
out = {}
for name, op in ops.items():
    reps = 2000 if name == "matmul" else ${REPS}
    for _ in range(reps): op()
    times = []
    for r in range(7):
        t0 = time.perf_counter_ns()
        for _ in range(reps): op()
        times.append((time.perf_counter_ns() - t0) / 1000 / reps)
    out[name] = sorted(times)[3]
print(json.dumps(out))
`);

let ok = true;
for (const name of Object.keys(py)) ok = ratioLine(`${name} (GC-managed)`, ours[name]!, py[name]!, name === "matmul" ? 1.05 : 1.0) && ok;
ok = ratioLine("add (inside tidy)", ours["add (tidy)"]!, py["add"]!, 0.75) && ok;
if (!ok) process.exitCode = 1;
