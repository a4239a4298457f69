# One rank of the DDP scaling benchmark, in Python PyTorch (same libtorch): the same model,
# batch and update as ddp-rank.ts.
import json, os, time, torch
import torch.distributed as dist

torch.set_num_threads(1)
steps = int(os.environ.get("BENCH_STEPS", "300"))
distributed = "WORLD_SIZE" in os.environ
if distributed:
    dist.init_process_group("gloo")
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
model = torch.nn.parallel.DistributedDataParallel(net) if distributed else net
x = torch.randn(64, 784)
y = torch.randint(0, 10, (64,))

def step():
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p.sub_(p.grad * 0.01)
            p.grad = None

for _ in range(30):
    step()
if distributed:
    dist.barrier()
t0 = time.perf_counter()
for _ in range(steps):
    step()
if distributed:
    dist.barrier()
print(json.dumps({"msPerStep": (time.perf_counter() - t0) * 1000 / steps}))
