// pytorch/examples' word_language_model ported line by line (examples/pytorch/word-language-model/)
// gives its Python twin's losses (scripts/fixtures/examples/word_language_model.py, the same
// generated corpus and seed): a tied 2-layer LSTM with dropout, and the TransformerModel (an
// nn.Transformer subclass under a causal mask), trained by truncated BPTT, clip_grad_norm_ and
// p.data steps over 3 epochs, the learning rate annealed, the best model reloaded from its state
// dict for the test loss.
import { test } from "node:test";
import { defaults, main } from "../examples/pytorch/word-language-model/main.js";
import { assertCloseToTwin, twinLog } from "./fixtures/examples/twin.js";

interface TwinRun {
  losses: number[];
  val_losses: number[];
  lrs: number[];
  test_loss: number;
}

const small = { ...defaults, emsize: 16, nhid: 16, epochs: 3, bptt: 20 };

test("word_language_model: the tied LSTM reproduces Python's losses", (t) => {
  const twin = twinLog<Record<string, TwinRun>>("word_language_model").LSTM!;
  t.mock.method(console, "log", () => {});
  const log = main({ ...small, model: "LSTM", tied: true });
  assertCloseToTwin(log.losses, twin.losses, "training losses");
  assertCloseToTwin(log.valLosses, twin.val_losses, "validation losses");
  assertCloseToTwin(log.lrs, twin.lrs, "learning rates");
  assertCloseToTwin([log.testLoss], [twin.test_loss], "test loss");
});

test("word_language_model: the TransformerModel reproduces Python's losses", (t) => {
  const twin = twinLog<Record<string, TwinRun>>("word_language_model").Transformer!;
  t.mock.method(console, "log", () => {});
  const log = main({ ...small, model: "Transformer" });
  assertCloseToTwin(log.losses, twin.losses, "training losses");
  assertCloseToTwin(log.valLosses, twin.val_losses, "validation losses");
  assertCloseToTwin(log.lrs, twin.lrs, "learning rates");
  assertCloseToTwin([log.testLoss], [twin.test_loss], "test loss");
});
