// pytorch/examples' regression ported line by line (examples/pytorch/regression.ts) gives its
// Python twin's losses (scripts/fixtures/examples/regression.py, the same seed) over 200 batches
// of smooth L1 loss and param.data steps, and the same learned polynomial.
import assert from "node:assert/strict";
import { test } from "node:test";
import { main } from "../examples/pytorch/regression.js";
import { assertCloseToTwin, twinLog } from "./fixtures/examples/twin.js";

interface TwinLog {
  losses: number[];
  learned: string;
  actual: string;
  weight: number[];
  bias: number[];
}

test("regression: reproduces Python's losses and learned polynomial", (t) => {
  const twin = twinLog<TwinLog>("regression");
  t.mock.method(console, "log", () => {});
  const log = main({ seed: 1, maxBatches: 200 });
  assertCloseToTwin(log.losses, twin.losses, "losses");
  assertCloseToTwin(log.weight, twin.weight, "learned weight");
  assertCloseToTwin(log.bias, twin.bias, "learned bias");
  assert.equal(log.learned, twin.learned);
  assert.equal(log.actual, twin.actual);
});
