// Training-step time against Python PyTorch on the same libtorch, side by side (issue 4):
//   (a) MLP 784-256-10, batch 64, SGD;   (b) a small CNN (examples/mnist.ts's), batch 64, Adam.
// A step is zeroGrad, forward, cross-entropy, backward, optimizer step. Targets: MLP ≤ 0.9, CNN ≤ 1.0.
// One thread on both sides (this machine's 2 cores are shared; absolute times vary run to run).
// Memory: 100,000 steps of (a) with no manual dispose (GC-managed tensors only); RSS growth
// after warm-up must stay ≤ 50 MB. PYSTEMATIC_BENCH_MEMORY_STEPS overrides the step count.
import torch, { nn, optim } from "../../src/torch-plugin/index.js";
import type { Tensor } from "../../src/torch-plugin/index.js";
import { alternate, PythonPeer, ratioLine } from "./_python.js";

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

// Python's steps in a resident process whose rounds alternate with ours (PythonPeer): each ratio
// is the median of paired rounds, so the machine's drift cancels within a pair.
const peer = new PythonPeer(`
import torch
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
ops = {"mlp": trainer(mlp, torch.optim.SGD(mlp.parameters(), lr=0.01), xa),
       "cnn": trainer(cnn, torch.optim.Adam(cnn.parameters(), lr=1e-3), xb)}
`);
await peer.ready();

// Warm-up rounds on both sides (JIT, allocator caches, BLAS buffers), not counted.
loop(REPS_A, stepA)();
await peer.round("mlp", REPS_A);
const mlpGc = await alternate(loop(REPS_A, stepA), peer, "mlp", REPS_A);
const mlpTidy = await alternate(loop(REPS_A, () => torch.tidy(stepA)), peer, "mlp", REPS_A);
// (b) runs each step inside tidy: GC-managed, its megabytes of activations per step pile up
// between collections (over 2 GB of RSS here), which says more about the GC than the binding.
loop(REPS_B, () => torch.tidy(stepB))();
await peer.round("cnn", REPS_B);
const cnnTidy = await alternate(loop(REPS_B, () => torch.tidy(stepB)), peer, "cnn", REPS_B);
peer.close();

// Targets: DECISIONS' speed table (MLP step ≤ 0.9, CNN step ≤ 1.0).
let ok = true;
ok = ratioLine("(a) MLP 784-256-10 SGD, batch 64", mlpGc.ours / 1000, mlpGc.python / 1000, 0.9, "ms", mlpGc.ratio) && ok;
ratioLine("(a) same, each step in tidy", mlpTidy.ours / 1000, mlpTidy.python / 1000, 0.9, "ms", mlpTidy.ratio);
ok = ratioLine("(b) CNN Adam, batch 64, in tidy", cnnTidy.ours / 1000, cnnTidy.python / 1000, 1.0, "ms", cnnTidy.ratio) && ok;

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
