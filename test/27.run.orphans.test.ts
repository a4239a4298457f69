import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { finished, isAlive, makeTempDir, removeTempDir, startFixture, waitForOutput, waitUntilGone, type Finished } from "./fixtures/run/process.js";

const launchFiles = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith("pystematic-launch-"));

/**
 * Starts the orphans fixture, waits until both subprocesses run (their main threads blocked), then
 * runs `check`; whatever happens, nothing it started is left running.
 */
async function withChildren(mode: string, check: (parent: ChildProcess, done: Promise<Finished>, children: number[], dir: string) => Promise<void>): Promise<void> {
  const dir = makeTempDir();
  // Launch files go to TMPDIR: the test's folder, checked for leftovers.
  const parent = startFixture("experiments.ts", ["fx", "orphans", "--mode", mode, "--output-dir", join(dir, "out")], { env: { TMPDIR: dir } });
  const done = finished(parent);
  let children: number[] = [];
  try {
    const ready = await waitForOutput(parent, /CHILD_PIDS (\[[\d,]+\])[\s\S]*CHILD_READY \d+[\s\S]*CHILD_READY \d+/);
    children = JSON.parse(ready[1]!) as number[];
    assert.equal(children.length, 2);
    assert.ok(children.every(isAlive), "both subprocesses run");
    await check(parent, done, children, dir);
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill("SIGKILL");
    for (const pid of children.filter(isAlive)) process.kill(pid, "SIGKILL");
    removeTempDir(dir);
  }
}

for (const [mode, signal] of [
  ["wait", "SIGKILL"],
  ["block", "SIGTERM"],
  ["wait", "SIGINT"],
] as const) {
  test(`no orphans: a parent ${mode === "block" ? "with a blocked main thread " : ""}killed by ${signal} takes its subprocesses with it`, () =>
    withChildren(mode, async (parent, done, children, dir) => {
      parent.kill(signal);
      const result = await done;
      // Killed by it, or (SIGINT/SIGTERM while the event loop is free) exiting as an interrupted run: 128 + n.
      if (result.signal === null) assert.equal(result.code, 128 + constants.signals[signal], result.stderr);
      else assert.equal(result.signal, signal);
      assert.deepEqual(await waitUntilGone(children, 5000), [], "no subprocess survives its parent");
      assert.deepEqual(launchFiles(dir), [], "no launch files left behind");
    }));
}

test("no orphans: a parent that crashes with an uncaught exception stops its subprocesses", () =>
  withChildren("crash", async (_parent, done, children, dir) => {
    const result = await done;
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /parent crashed/);
    assert.deepEqual(await waitUntilGone(children, 5000), []);
    assert.deepEqual(launchFiles(dir), [], "no launch files left behind");
  }));

test("subprocesses still running when the parent's run ends are stopped", () =>
  withChildren("end", async (_parent, done, children, dir) => {
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    // The run's end waits for them: gone (at most awaiting their reaping) when the parent exits.
    assert.deepEqual(await waitUntilGone(children, 1000), []);
    assert.deepEqual(launchFiles(dir), [], "no launch files left behind");
    assert.match(result.stdout, /\[INFO\] \[RANK 0\] \[pystematic.standard\] Experiment ended at /);
  }));
