import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { test } from "node:test";
import { finished, isAlive, makeTempDir, removeTempDir, startFixture, waitForOutput, waitUntilGone } from "./fixtures/run/process.js";

/** Starts the orphans fixture and waits until both subprocesses run (their main threads blocked). */
async function startWithChildren(mode: string, dir: string): Promise<{ parent: ChildProcess; done: ReturnType<typeof finished>; children: number[] }> {
  const parent = startFixture("experiments.ts", ["fx", "orphans", "--mode", mode, "--output-dir", dir]);
  const done = finished(parent);
  const ready = await waitForOutput(parent, /CHILD_PIDS (\[[\d,]+\])[\s\S]*CHILD_READY \d+[\s\S]*CHILD_READY \d+/);
  const children = JSON.parse(ready[1]!) as number[];
  assert.equal(children.length, 2);
  assert.ok(children.every(isAlive), "both subprocesses run");
  return { parent, done, children };
}

for (const [mode, signal] of [
  ["wait", "SIGKILL"],
  ["block", "SIGTERM"],
  ["wait", "SIGINT"],
] as const) {
  test(`no orphans: a parent ${mode === "block" ? "with a blocked main thread " : ""}killed by ${signal} takes its subprocesses with it`, async () => {
    const dir = makeTempDir();
    try {
      const { parent, done, children } = await startWithChildren(mode, dir);
      parent.kill(signal);
      const result = await done;
      assert.equal(result.signal, signal);
      assert.deepEqual(await waitUntilGone(children, 5000), [], "no subprocess survives its parent");
    } finally {
      removeTempDir(dir);
    }
  });
}

test("no orphans: a parent that crashes with an uncaught exception stops its subprocesses", async () => {
  const dir = makeTempDir();
  try {
    const { done, children } = await startWithChildren("crash", dir);
    const result = await done;
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /parent crashed/);
    assert.deepEqual(await waitUntilGone(children, 5000), []);
  } finally {
    removeTempDir(dir);
  }
});

test("subprocesses still running when the parent's run ends are stopped", async () => {
  const dir = makeTempDir();
  try {
    const { done, children } = await startWithChildren("end", dir);
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    // The run's end waits for them: gone (at most awaiting their reaping) when the parent exits.
    assert.deepEqual(await waitUntilGone(children, 1000), []);
    assert.match(result.stdout, /\[INFO\] \[RANK 0\] \[pystematic.standard\] Experiment ended at /);
  } finally {
    removeTempDir(dir);
  }
});
