// Training-step time against Python PyTorch on the same libtorch, side by side (issue 4):
//   (a) MLP 784-256-10, batch 64, SGD;   (b) a small CNN (examples/mnist.ts's), batch 64, Adam.
// A step is zeroGrad, forward, cross-entropy, backward, optimizer step. Target ratio ≤ 1.0.
// One thread on both sides (this machine's 2 cores are shared; absolute times vary run to run).
// Memory: 100,000 steps of (a) with no manual dispose (GC-managed tensors only); RSS growth
// after warm-up must stay ≤ 50 MB. PYSTEMATIC_BENCH_MEMORY_STEPS overrides the step count.
import torch, { nn, optim } from "../../src/torch-plugin/index.js";
import type { Tensor } from "../../src/torch-plugin/index.js";
import { python, ratioLine, timeMedian } from "./_python.js";

torch.setNumThreads(1);
torch.manualSeed(0);
const F = nn.functional;

function mlp(): nn.Module {
  return new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
}
function cnn(): nn.Module {
  return new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(32 * 7 * 7, 128),
    new nn.ReLU(),
    new nn.Linear(128, 10),
  );
}

function trainer(model: nn.Module, opt: optim.Optimizer, x: Tensor, y: Tensor): () => void {
  return () => {
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(x as never) as Tensor, y);
    loss.backward();
    opt.step();
  };
}

const xa = torch.randn([64, 784]);
const xb = torch.randn([64, 1, 28, 28]);
const y = torch.randint(10, [64]);
const modelA = mlp();
const stepA = trainer(modelA, new optim.SGD(modelA.parameters(), { lr: 0.01 }), xa, y);
const modelB = cnn();
const stepB = trainer(modelB, new optim.Adam(modelB.parameters(), { lr: 1e-3 }), xb, y);

const REPS_A = 500;
const REPS_B = 50;
const loop = (n: number, body: () => void) => () => {
  for (let i = 0; i < n; i++) body();
};
const yieldNow = () => new Promise((r) => setImmediate(r));

function measureOurs(): { a: number; aTidy: number; b: number } {
  loop(REPS_A, stepA)();
  const a = timeMedian(loop(REPS_A, stepA), REPS_A);
  const aTidy = timeMedian(loop(REPS_A, () => torch.tidy(stepA)), REPS_A);
  // (b) runs each step inside tidy: GC-managed, its megabytes of activations per step pile up
  // between collections (over 2 GB of RSS here), which says more about the GC than the binding
  loop(REPS_B, () => torch.tidy(stepB))();
  const b = timeMedian(loop(REPS_B, () => torch.tidy(stepB)), REPS_B);
  return { a, aTidy, b };
}

const measurePython = (): { a: number; b: number } =>
  python<{ a: number; b: number }>(`
import torch, time, json
import torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(0)
mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                    nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
xa = torch.randn(64, 784); xb = torch.randn(64, 1, 28, 28); y = torch.randint(10, (64,))
def trainer(model, opt, x):
    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return step
def median(step, reps):
    for _ in range(reps): step()
    times = []
    for r in range(7):
        t0 = time.perf_counter_ns()
        for _ in range(reps): step()
        times.append((time.perf_counter_ns() - t0) / 1000 / reps)
    return sorted(times)[3]
out = {"a": median(trainer(mlp, torch.optim.SGD(mlp.parameters(), lr=0.01), xa), ${REPS_A}),
       "b": median(trainer(cnn, torch.optim.Adam(cnn.parameters(), lr=1e-3), xb), ${REPS_B})}
print(json.dumps(out))
`);

// Shared cores: measure Python, ours, Python, ours and keep each side's best, so a busy moment
// on the machine does not decide the ratio.
const py1 = measurePython();
const ours1 = measureOurs();
await yieldNow();
const py2 = measurePython();
const ours2 = measureOurs();
await yieldNow();
const py = { a: Math.min(py1.a, py2.a), b: Math.min(py1.b, py2.b) };
const oursA = Math.min(ours1.a, ours2.a);
const oursATidy = Math.min(ours1.aTidy, ours2.aTidy);
const oursB = Math.min(ours1.b, ours2.b);

let ok = true;
ok = ratioLine("(a) MLP 784-256-10 SGD, batch 64", oursA / 1000, py.a / 1000, 1.0, "ms") && ok;
ratioLine("(a) same, each step in tidy", oursATidy / 1000, py.a / 1000, 1.0, "ms");
ok = ratioLine("(b) CNN Adam, batch 64, in tidy", oursB / 1000, py.b / 1000, 1.0, "ms") && ok;

// ---- memory: (a) for 100,000 steps in a loop that never yields, nothing disposed by hand ----
const steps = Number(process.env.PYSTEMATIC_BENCH_MEMORY_STEPS ?? 100_000);
const warmup = Math.min(2_000, Math.floor(steps / 10));
(globalThis as { gc?: () => void }).gc?.();
loop(warmup, stepA)();
const rss0 = process.memoryUsage().rss;
let peak = rss0;
const t0 = performance.now();
for (let done = warmup; done < steps; done += 1000) {
  loop(Math.min(1000, steps - done), stepA)();
  peak = Math.max(peak, process.memoryUsage().rss);
}
const seconds = (performance.now() - t0) / 1000;
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const growth = (process.memoryUsage().rss - rss0) / 2 ** 20;
const memoryOk = growth <= 50;
console.log(
  `memory: ${steps.toLocaleString("en")} steps of (a), no dispose: RSS growth ${growth.toFixed(1)} MB after ${warmup} warm-up steps ` +
    `(target ≤ 50 MB) ${memoryOk ? "ok" : "MISSED"}; RSS ${mb(rss0)} MB after warm-up, peak ${mb(peak)} MB  ` +
    `[${((seconds * 1000) / (steps - warmup)).toFixed(3)} ms/step]`,
);
if (!ok || !memoryOk) process.exitCode = 1;
