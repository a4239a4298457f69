// pytorch/examples' dcgan/main.py, ported line by line: a Generator of ConvTranspose2d /
// BatchNorm2d / ReLU layers and a Discriminator of Conv2d / BatchNorm2d / LeakyReLU layers,
// initialised by weights_init, trained against each other with BCELoss and Adam, on its `fake`
// dataset made of random images from a seeded generator (torchvision's datasets are not ported).
// Only the README's mechanical changes, plus: no accelerator or multi-GPU flags (the CPU), no
// save_image (torchvision; the fixed-noise fakes are computed, their mean logged), a returned log
// of the losses (the test compares them with the Python twin, scripts/fixtures/examples/dcgan.py),
// --datasetSize / --dataSeed for the random images.
//
//   npx tsx examples/pytorch/dcgan.ts --niter 1 --batchSize 16 --ngf 16 --ndf 16 --outf /tmp/dcgan
//
// (Inside this repository the imports point at src/; an application imports "pystematic/torch".)
import { data, nn, optim, torch } from "../../src/torch-plugin/index.js";
import type { Tensor } from "../../src/torch-plugin/index.js";
import { isMainModule, parseCommandLine } from "./command-line.js";

export const defaults = {
  workers: 0,
  batchSize: 64,
  imageSize: 64,
  nz: 100,
  ngf: 64,
  ndf: 64,
  niter: 25,
  lr: 0.0002,
  beta1: 0.5,
  dryRun: false,
  ngpu: 1,
  outf: "",
  manualSeed: 999,
  datasetSize: 256,
  dataSeed: 7,
};
export type Args = typeof defaults;

/** `size` random RGB images in [-1, 1] (uniform, then Normalize((0.5,)*3, (0.5,)*3)) with label 0. */
function fakeData(size: number, imageSize: number, seed: number): data.TensorDataset<[Tensor, Tensor]> {
  const generator = new torch.Generator().manualSeed(seed);
  const images = torch.rand(size, 3, imageSize, imageSize, { generator }).sub(0.5).div(0.5);
  return new data.TensorDataset(images, torch.zeros(size, { dtype: "int64" }));
}

/** What the run printed, as numbers: per iteration, and the fixed-noise fakes' mean. */
export interface Log {
  errD: number[];
  errG: number[];
  D_x: number[];
  D_G_z1: number[];
  D_G_z2: number[];
  fixedFakeMeans: number[];
}

export function main(opt: Args): Log {
  const log: Log = { errD: [], errG: [], D_x: [], D_G_z1: [], D_G_z2: [], fixedFakeMeans: [] };
  torch.manualSeed(opt.manualSeed);

  const dataset = fakeData(opt.datasetSize, opt.imageSize, opt.dataSeed);
  const nc = 3;
  const dataloader = new data.DataLoader(dataset, { batchSize: opt.batchSize, shuffle: true, numWorkers: opt.workers });

  const nz = opt.nz;
  const ngf = opt.ngf;
  const ndf = opt.ndf;

  // custom weights initialization called on netG and netD
  function weightsInit(m: nn.Module): void {
    const classname = m.constructor.name;
    if (classname.includes("Conv")) {
      nn.init.normal_((m as nn.ConvNd).weight, 0.0, 0.02);
    } else if (classname.includes("BatchNorm")) {
      nn.init.normal_((m as nn.BatchNormNd).weight!, 1.0, 0.02);
      nn.init.zeros_((m as nn.BatchNormNd).bias!);
    }
  }

  class Generator extends nn.Module {
    main: nn.Sequential;
    constructor(readonly ngpu: number) {
      super();
      this.main = new nn.Sequential(
        // input is Z, going into a convolution
        new nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, { bias: false }),
        new nn.BatchNorm2d(ngf * 8),
        new nn.ReLU(true),
        // state size. (ngf*8) x 4 x 4
        new nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ngf * 4),
        new nn.ReLU(true),
        // state size. (ngf*4) x 8 x 8
        new nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ngf * 2),
        new nn.ReLU(true),
        // state size. (ngf*2) x 16 x 16
        new nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ngf),
        new nn.ReLU(true),
        // state size. (ngf) x 32 x 32
        new nn.ConvTranspose2d(ngf, nc, 4, 2, 1, { bias: false }),
        new nn.Tanh(),
        // state size. (nc) x 64 x 64
      );
    }

    override forward(input: Tensor): Tensor {
      const output = this.main.call(input) as Tensor;
      return output;
    }
  }

  const netG = new Generator(opt.ngpu);
  netG.apply(weightsInit);

  class Discriminator extends nn.Module {
    main: nn.Sequential;
    constructor(readonly ngpu: number) {
      super();
      this.main = new nn.Sequential(
        // input is (nc) x 64 x 64
        new nn.Conv2d(nc, ndf, 4, 2, 1, { bias: false }),
        new nn.LeakyReLU(0.2, { inplace: true }),
        // state size. (ndf) x 32 x 32
        new nn.Conv2d(ndf, ndf * 2, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ndf * 2),
        new nn.LeakyReLU(0.2, { inplace: true }),
        // state size. (ndf*2) x 16 x 16
        new nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ndf * 4),
        new nn.LeakyReLU(0.2, { inplace: true }),
        // state size. (ndf*4) x 8 x 8
        new nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, { bias: false }),
        new nn.BatchNorm2d(ndf * 8),
        new nn.LeakyReLU(0.2, { inplace: true }),
        // state size. (ndf*8) x 4 x 4
        new nn.Conv2d(ndf * 8, 1, 4, 1, 0, { bias: false }),
        new nn.Sigmoid(),
      );
    }

    override forward(input: Tensor): Tensor {
      const output = this.main.call(input) as Tensor;
      return output.view(-1, 1).squeeze(1);
    }
  }

  const netD = new Discriminator(opt.ngpu);
  netD.apply(weightsInit);

  const criterion = new nn.BCELoss();

  const fixedNoise = torch.randn(opt.batchSize, nz, 1, 1);
  const realLabel = 1;
  const fakeLabel = 0;

  // setup optimizer
  const optimizerD = new optim.Adam(netD.parameters(), { lr: opt.lr, betas: [opt.beta1, 0.999] });
  const optimizerG = new optim.Adam(netG.parameters(), { lr: opt.lr, betas: [opt.beta1, 0.999] });

  if (opt.dryRun) opt.niter = 1;

  for (let epoch = 0; epoch < opt.niter; epoch++) {
    let i = 0;
    for (const data of dataloader) {
      ////////////////////////////
      // (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
      ////////////////////////////
      // train with real
      netD.zeroGrad();
      const realCpu = data[0];
      const batchSize = realCpu.size(0);
      const label = torch.full([batchSize], realLabel, { dtype: realCpu.dtype });

      let output = netD.call(realCpu);
      const errDReal = criterion.call(output, label);
      errDReal.backward();
      const D_x = output.mean().item();

      // train with fake
      const noise = torch.randn(batchSize, nz, 1, 1);
      let fake = netG.call(noise);
      label.fill_(fakeLabel);
      output = netD.call(fake.detach());
      const errDFake = criterion.call(output, label);
      errDFake.backward();
      const D_G_z1 = output.mean().item();
      const errD = errDReal.add(errDFake);
      optimizerD.step();

      ////////////////////////////
      // (2) Update G network: maximize log(D(G(z)))
      ////////////////////////////
      netG.zeroGrad();
      label.fill_(realLabel); // fake labels are real for generator cost
      output = netD.call(fake);
      const errG = criterion.call(output, label);
      errG.backward();
      const D_G_z2 = output.mean().item();
      optimizerG.step();

      console.log(
        `[${epoch}/${opt.niter}][${i}/${dataloader.length}] Loss_D: ${errD.item().toFixed(4)} Loss_G: ${errG.item().toFixed(4)} ` +
          `D(x): ${D_x.toFixed(4)} D(G(z)): ${D_G_z1.toFixed(4)} / ${D_G_z2.toFixed(4)}`,
      );
      log.errD.push(errD.item());
      log.errG.push(errG.item());
      log.D_x.push(D_x);
      log.D_G_z1.push(D_G_z1);
      log.D_G_z2.push(D_G_z2);
      if (i % 100 === 0) {
        // vutils.save_image of realCpu and of this: torchvision, not ported
        fake = netG.call(fixedNoise);
        log.fixedFakeMeans.push(fake.detach().mean().item());
      }

      if (opt.dryRun) break;
      i++;
    }
    // do checkpointing
    if (opt.outf) {
      torch.save(netG.stateDict(), `${opt.outf}/netG_epoch_${epoch}.pth`);
      torch.save(netD.stateDict(), `${opt.outf}/netD_epoch_${epoch}.pth`);
    }
  }
  return log;
}

// main.py's flags are camelCase, except --dry-run
const flags = { batchSize: "batchSize", imageSize: "imageSize", manualSeed: "manualSeed", datasetSize: "datasetSize", dataSeed: "dataSeed" };
if (isMainModule(import.meta.url)) main(parseCommandLine(defaults, flags));
