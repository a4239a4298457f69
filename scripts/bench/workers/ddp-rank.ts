// One rank of the DDP scaling benchmark (scripts/bench/ddp.ts): MLP 784-256-10, batch 64 per
// rank, SGD; prints ms per step. With WORLD_SIZE unset it trains alone (no DDP).
import torch, { nn, distributed as dist } from "../../../src/torch-plugin/index.js";

torch.setNumThreads(1);
const steps = Number(process.env.BENCH_STEPS ?? 300);
const distributed = process.env.WORLD_SIZE !== undefined;
if (distributed) dist.initDistributed();
torch.manualSeed(0);
const net = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
const model: nn.Module = distributed ? new dist.DistributedDataParallel(net) : net;
const x = torch.randn([64, 784]);
const y = torch.randint(0, 10, [64]);
const step = () =>
  torch.tidy(() => {
    const loss = torch.nn.functional.crossEntropy(model.call(x) as torch.Tensor, y);
    loss.backward();
    torch.noGrad(() => {
      for (const p of model.parameters()) {
        p.sub_(p.grad!.mul(0.01));
        p.grad = undefined;
      }
    });
  });
for (let i = 0; i < 30; i++) step();
if (distributed) dist.distributedBarrier();
const t0 = process.hrtime.bigint();
for (let i = 0; i < steps; i++) step();
if (distributed) dist.distributedBarrier();
console.log(JSON.stringify({ msPerStep: Number(process.hrtime.bigint() - t0) / 1e6 / steps }));
