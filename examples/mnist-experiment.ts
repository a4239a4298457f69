// MNIST as a pystematic experiment: a Context holds the session (model, optimizer, data loader,
// recorder, counters), so one script runs on the CPU, on CUDA (`--cuda`, the default when a GPU
// is there) or distributed (`--distributed --nproc-per-node 2`), and resumes from a checkpoint
// (`--checkpoint <run dir>/last.pt`) with exactly the losses the uninterrupted run would have had.
//
//   npx pystematic examples/mnist-experiment.ts mnist --epochs 2
//   npx pystematic examples/mnist-experiment.ts mnist --checkpoint output/mnist/<run>/last.pt
//
// (Inside this repository the imports point at src/; an application imports "pystematic" and
// "pystematic/torch".)
import { experiment, globalEntrypoint, parameter } from "../src/index.js";
import { Recorder, SmartDataLoader, data, iterate, moveToDevice, nn, optim, saveCheckpoint, torch } from "../src/torch-plugin/index.js";

/** A small CNN: two conv blocks, dropout, two linear layers (about 99 % test accuracy on full MNIST). */
class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 16, 3, { padding: 1 });
  conv2 = new nn.Conv2d(16, 32, 3, { padding: 1 });
  pool = new nn.MaxPool2d(2);
  dropout = new nn.Dropout(0.25);
  fc1 = new nn.Linear(32 * 7 * 7, 128);
  fc2 = new nn.Linear(128, 10);

  override forward(x: torch.Tensor): torch.Tensor {
    x = this.pool.forward(this.conv1.forward(x).relu());
    x = this.pool.forward(this.conv2.forward(x).relu());
    x = this.dropout.forward(x.flatten({ startDim: 1 }));
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}

export const mnist = experiment(
  {
    name: "mnist",
    params: {
      epochs: parameter({ type: "int", default: 2, help: "Passes over the training digits." }),
      batchSize: parameter({ type: "int", default: 64, help: "Digits per training batch." }),
      lr: parameter({ type: "float", default: 1e-3, help: "Adam's learning rate." }),
      maxSteps: parameter({ type: "int", default: 0, help: "Stop after this many training steps (0: no limit)." }),
      checkpointEvery: parameter({ type: "int", default: 50, help: "Save <run dir>/last.pt every this many steps (and after each epoch)." }),
      logEvery: parameter({ type: "int", default: 10, help: "Log the training loss every this many steps." }),
    },
  },
  function mnist(params, ctx) {
    const log = ctx.logger;
    const c = ctx.context;
    c.model = new Net();
    c.optimizer = new optim.Adam(c.model.parameters(), { lr: params.lr });
    c.loader = new SmartDataLoader(new data.MNIST({ train: true }), { batchSize: params.batchSize, shuffle: true });
    c.recorder = new Recorder();
    c.epoch = 0;
    c.step = 0;
    c.lastLoss = null;
    c.autotransform(); // --checkpoint, then --cuda, then --distributed
    const lossFn = new nn.CrossEntropyLoss();
    const done = () => params.maxSteps > 0 && c.step >= params.maxSteps;

    while (c.epoch < params.epochs && !done()) {
      c.model.train();
      for (const [x, y] of c.loader as Iterable<torch.Tensor[]>) {
        const loss = torch.tidy(() => {
          c.optimizer.zeroGrad();
          const l = lossFn.forward(c.model.call(x), y) as torch.Tensor;
          l.backward();
          c.optimizer.step();
          return l.item() as number;
        });
        c.step += 1;
        c.lastLoss = loss;
        c.recorder.scalar("train/loss", loss);
        c.recorder.step();
        if (c.step % params.logEvery === 0) log.info(`step ${c.step}: loss ${loss}`);
        if (params.checkpointEvery > 0 && c.step % params.checkpointEvery === 0) saveCheckpoint(c, "last.pt");
        if (done()) break;
      }
      if (done()) break;
      c.epoch += 1;
      saveCheckpoint(c, "last.pt");
    }

    c.model.eval();
    const testSet = new data.MNIST({ train: false });
    let correct = 0;
    // Every rank evaluates the whole test split (a SmartDataLoader would give each rank its share).
    const device = c.model.fc2.weight.device; // the model's device: the CPU, a GPU, this rank's GPU
    torch.noGrad(() => {
      for (const batch of iterate(new data.DataLoader<torch.Tensor[], torch.Tensor[]>(testSet, { batchSize: 500 }), { desc: "test" })) {
        const [x, y] = moveToDevice(device, ...batch);
        correct += (c.model.call(x) as torch.Tensor).argmax({ dim: 1 }).eq(y!).sum().item() as number;
      }
    });
    const accuracy = correct / testSet.length;
    c.recorder.scalar("test/accuracy", accuracy);
    log.info(`final loss ${c.lastLoss} after ${c.step} steps; test accuracy ${(accuracy * 100).toFixed(2)} %`);
  },
);

globalEntrypoint();
