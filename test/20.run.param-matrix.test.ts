import assert from "node:assert/strict";
import { test } from "node:test";
import { paramMatrix } from "../src/index.js";

test("paramMatrix: cartesian product, last key varies fastest", () => {
  assert.deepEqual(paramMatrix({ intParam: [1, 2], strParam: ["hello", "world"] }), [
    { intParam: 1, strParam: "hello" },
    { intParam: 1, strParam: "world" },
    { intParam: 2, strParam: "hello" },
    { intParam: 2, strParam: "world" },
  ]);
});

test("paramMatrix: a non-array value is constant", () => {
  assert.deepEqual(paramMatrix({ intParam: [1, 2], strParam: "hello" }), [
    { intParam: 1, strParam: "hello" },
    { intParam: 2, strParam: "hello" },
  ]);
});

test("paramMatrix: no keys give one empty set, an empty array gives none", () => {
  assert.deepEqual(paramMatrix({}), [{}]);
  assert.deepEqual(paramMatrix({ a: [1, 2], b: [] }), []);
});

test("paramMatrix: array values are wrapped to be taken whole", () => {
  assert.deepEqual(paramMatrix({ sizes: [[1], [2, 3]], lr: 0.1 }), [
    { sizes: [1], lr: 0.1 },
    { sizes: [2, 3], lr: 0.1 },
  ]);
});
