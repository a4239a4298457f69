// pytorch/examples' time_sequence_prediction ported line by line
// (examples/pytorch/time-sequence-prediction/train.ts) gives its Python twin's losses
// (scripts/fixtures/examples/time_sequence_prediction.py): the twin's sine waves, made with numpy
// and saved by torch.save as a numpy array, load with torch.load; two LSTMCells in float64 trained
// by LBFGS give the loss of every closure call of 2 steps, then the test loss of 20 predicted samples.
import { test } from "node:test";
import { main } from "../examples/pytorch/time-sequence-prediction/train.js";
import { assertCloseToTwin, twinFile, twinLog } from "./fixtures/examples/twin.js";

interface TwinLog {
  losses: number[][];
  test_losses: number[];
  prediction_means: number[];
}

test("time_sequence_prediction: reproduces Python's LBFGS closure losses on the twin's numpy waves", (t) => {
  const twin = twinLog<TwinLog>("time_sequence_prediction");
  t.mock.method(console, "log", () => {});
  const log = main({ steps: 2, future: 20, data: twinFile("traindata.pt") });
  log.losses.forEach((losses, step) => assertCloseToTwin(losses, twin.losses[step] ?? [], `closure losses of step ${step}`));
  assertCloseToTwin(log.testLosses, twin.test_losses, "test losses");
  assertCloseToTwin(log.predictionMeans, twin.prediction_means, "means of the predicted samples");
});
