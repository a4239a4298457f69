// pytorch/examples' vae ported line by line (examples/pytorch/vae.ts) gives its Python twin's
// losses (scripts/fixtures/examples/vae.py, the same npm digits and seed): 2 epochs of 4 batches,
// randn_like's reparameterization, BCE + KLD, Adam; the test losses and the mean of the samples.
import { test } from "node:test";
import { defaults, main } from "../examples/pytorch/vae.js";
import { assertCloseToTwin, twinLog } from "./fixtures/examples/twin.js";

interface TwinLog {
  losses: number[];
  train_losses: number[];
  test_losses: number[];
  sample_means: number[];
}

test("vae: reproduces Python's losses and samples", (t) => {
  const twin = twinLog<TwinLog>("vae");
  t.mock.method(console, "log", () => {});
  const log = main({ ...defaults, batchSize: 32, epochs: 2, trainSize: 128, testSize: 64, logInterval: 2 });
  assertCloseToTwin(log.losses, twin.losses, "training losses");
  assertCloseToTwin(log.trainLosses, twin.train_losses, "average training losses");
  assertCloseToTwin(log.testLosses, twin.test_losses, "test losses");
  assertCloseToTwin(log.sampleMeans, twin.sample_means, "sample means");
});
