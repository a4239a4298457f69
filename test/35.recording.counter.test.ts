// Counter: count, step, state (assigning count works, unlike the original).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Counter } from "../src/recording/index.js";

test("Counter counts, can be assigned and round-trips its state", () => {
  const counter = new Counter();
  assert.equal(counter.count, 0);
  assert.equal(counter.step(), 1);
  counter.step();
  assert.equal(counter.count, 2);
  counter.count = 40;
  assert.equal(counter.count, 40);
  assert.deepEqual(counter.stateDict(), { count: 40 });
  const restored = new Counter();
  restored.loadStateDict(counter.stateDict());
  restored.step();
  assert.equal(restored.count, 41);
});

test("Counter rejects bad counts and states with clear errors", () => {
  const counter = new Counter();
  assert.throws(() => (counter.count = 1.5), /Counter count must be a non-negative integer, got 1.5/);
  assert.throws(() => (counter.count = -1), /Counter count must be a non-negative integer, got -1/);
  assert.throws(() => counter.loadStateDict(null as never), /Counter state must be an object with a 'count'/);
  assert.equal(counter.count, 0);
});
