// pytorch/examples' dcgan ported line by line (examples/pytorch/dcgan.ts) gives its Python twin's
// losses (scripts/fixtures/examples/dcgan.py, the same seeded random images): weights_init through
// Module.apply, ConvTranspose2d / Conv2d with stride and padding, BatchNorm2d, in-place ReLU and
// LeakyReLU, BCELoss, two Adams with betas, over 2 epochs of 3 batches.
import { test } from "node:test";
import { defaults, main } from "../examples/pytorch/dcgan.js";
import { assertCloseToTwin, twinLog } from "./fixtures/examples/twin.js";

interface TwinLog {
  errD: number[];
  errG: number[];
  D_x: number[];
  D_G_z1: number[];
  D_G_z2: number[];
  fixed_fake_means: number[];
}

test("dcgan: reproduces Python's discriminator and generator losses", (t) => {
  const twin = twinLog<TwinLog>("dcgan");
  t.mock.method(console, "log", () => {});
  const log = main({ ...defaults, batchSize: 8, nz: 16, ngf: 8, ndf: 8, niter: 2, datasetSize: 24 });
  assertCloseToTwin(log.errD, twin.errD, "Loss_D");
  assertCloseToTwin(log.errG, twin.errG, "Loss_G");
  assertCloseToTwin(log.D_x, twin.D_x, "D(x)");
  assertCloseToTwin(log.D_G_z1, twin.D_G_z1, "D(G(z)) before D's step");
  assertCloseToTwin(log.D_G_z2, twin.D_G_z2, "D(G(z)) after D's step");
  assertCloseToTwin(log.fixedFakeMeans, twin.fixed_fake_means, "fixed-noise fakes");
});
