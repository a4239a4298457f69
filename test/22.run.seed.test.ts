import assert from "node:assert/strict";
import { test } from "node:test";
import { getMasterRngState, newSeed, setMasterRngState } from "../src/index.js";
import { clearMasterGenerator, seedMasterGenerator } from "../src/core/run/seed.js";

function draw(seed: number, count: number): number[] {
  seedMasterGenerator(seed);
  return Array.from({ length: count }, () => newSeed());
}

test("newSeed: the same master seed gives the same sequence, another seed another one", () => {
  const a = draw(42, 5);
  assert.deepEqual(draw(42, 5), a);
  assert.notDeepEqual(draw(43, 5), a);
  assert.equal(new Set(a).size, 5);
  for (const seed of a) assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, String(seed));
  clearMasterGenerator();
});

test("newSeed(nbits): within range, a number up to 53 bits and a bigint above", () => {
  seedMasterGenerator(7);
  for (let i = 0; i < 200; i++) {
    const eight = newSeed(8);
    assert.ok(typeof eight === "number" && eight >= 0 && eight < 256);
    const one = newSeed(1);
    assert.ok(one === 0 || one === 1);
  }
  const wide = newSeed(53);
  assert.ok(typeof wide === "number" && Number.isSafeInteger(wide) && wide >= 0);
  const huge = newSeed(100);
  assert.equal(typeof huge, "bigint");
  assert.ok((huge as bigint) >= 0n && (huge as bigint) < 2n ** 100n);
  // 200 draws of 8 bits cannot all be small if the bits are used.
  seedMasterGenerator(7);
  const bytes = Array.from({ length: 200 }, () => newSeed(8) as number);
  assert.ok(Math.max(...bytes) >= 200 && Math.min(...bytes) < 50);
  clearMasterGenerator();
});

test("newSeed: a 64-bit draw holds a 32-bit draw's word as its low half", () => {
  seedMasterGenerator(99);
  const low = newSeed(32) as number;
  seedMasterGenerator(99);
  const wide = newSeed(64) as bigint;
  assert.equal(wide & 0xffffffffn, BigInt(low));
  clearMasterGenerator();
});

test("newSeed: bad nbits and use outside a run are clear errors", () => {
  seedMasterGenerator(1);
  assert.throws(() => newSeed(0), /nbits must be a positive integer, got 0/);
  assert.throws(() => newSeed(2.5), /nbits must be a positive integer/);
  clearMasterGenerator();
  assert.throws(() => newSeed(), /newSeed\(\) can only be called while an experiment is running/);
});

test("master generator state: restoring it (through JSON) replays the same seeds", () => {
  seedMasterGenerator(5);
  newSeed();
  const state = JSON.parse(JSON.stringify(getMasterRngState()));
  const next = [newSeed(), newSeed(16), newSeed()];
  newSeed();
  setMasterRngState(state);
  assert.deepEqual([newSeed(), newSeed(16), newSeed()], next);
  assert.throws(() => setMasterRngState({} as never), /expected an object from getMasterRngState/);
  clearMasterGenerator();
});
