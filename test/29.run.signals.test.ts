// SIGINT and SIGTERM stop a run at once (DECISIONS, "2026-12: signals, flushing, restarts"):
// with libtorch loaded the next op throws InterruptError, so finally blocks run, the Recorder's
// files hold every step recorded, log.txt gets the error record and the process exits 130/143;
// a run waiting on the event loop stops the same way; a loop with no op dies of the signal
// within about a second; a second signal kills at once. Real processes, real signals.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readEvents } from "../src/recording/index.js";

const SCRIPT = fileURLToPath(new URL("fixtures/signals/train.ts", import.meta.url));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Milliseconds from the first signal to the exit. */
  stopMs: number;
  runDir: string;
}

/** Runs an experiment of the fixture, sends `signals` once it is ready (the second 300 ms after the first). */
function runAndSignal(args: string[], signals: NodeJS.Signals[], out: string): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, ...args, "--output-dir", out], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sentAt = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      const before = stdout;
      stdout += chunk;
      if (!before.includes("ready") && stdout.includes("ready")) {
        sentAt = Date.now();
        child.kill(signals[0]);
        if (signals[1]) setTimeout(() => child.kill(signals[1]), 300);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("exit", (code, signal) => {
      const experimentDir = join(out, args[0]!);
      const runs = readdirSync(experimentDir);
      resolve({ code, signal, stdout: stdout + stderr, stopMs: Date.now() - sentAt, runDir: join(experimentDir, runs[0]!) });
    });
  });
}

/** The steps of `loss` in the event file and in scalars.csv. */
function recordedSteps(runDir: string): { events: number[]; csv: number[] } {
  const eventFile = readdirSync(runDir).find((f) => f.includes("tfevents"))!;
  const events = readEvents(join(runDir, eventFile))
    .filter((e) => (e.summary?.value ?? []).some((v) => v.tag === "loss"))
    .map((e) => Number(e.step));
  const csv = readFileSync(join(runDir, "scalars.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => Number(line.split(",")[0]));
  return { events, csv };
}

function withOutput(fn: (out: string, t: TestContext) => Promise<void>): (t: TestContext) => Promise<void> {
  return async (t) => {
    const out = mkdtempSync(join(tmpdir(), "pst-signals-"));
    try {
      await fn(out, t);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  test(`${signal} to a busy training loop with a Recorder open: exit ${code} at once, every step on disk, an error record in log.txt`, { timeout: 60_000 }, withOutput(async (out, t) => {
    const ended = await runAndSignal(["train", "--mode", "ops"], [signal], out);
    t.diagnostic(`stopped ${ended.stopMs} ms after the signal`);
    assert.equal(ended.code, code, ended.stdout);
    assert.ok(ended.stopMs < 1500, `stopped ${ended.stopMs} ms after the signal`);
    const stoppedAt = Number(/stopped at (\d+)/.exec(ended.stdout)?.[1]);
    assert.ok(stoppedAt >= 20, ended.stdout);
    const steps = recordedSteps(ended.runDir);
    const expected = Array.from({ length: stoppedAt }, (_, i) => i);
    assert.deepEqual(steps.events, expected, "the event file holds every step up to the signal");
    assert.deepEqual(steps.csv, expected, "scalars.csv holds every step up to the signal");
    const log = readFileSync(join(ended.runDir, "log.txt"), "utf8");
    assert.match(log, new RegExp(`Experiment ended at .* with an error: Interrupted by ${signal}`));
    assert.match(ended.stdout, new RegExp(`InterruptError: Interrupted by ${signal}`));
  }));
}

test("SIGTERM while main waits on the event loop: exit 143 at once, records flushed, an error record in log.txt", { timeout: 60_000 }, withOutput(async (out, t) => {
  const ended = await runAndSignal(["train", "--mode", "idle"], ["SIGTERM"], out);
  t.diagnostic(`stopped ${ended.stopMs} ms after the signal`);
  assert.equal(ended.code, 143, ended.stdout);
  assert.ok(ended.stopMs < 1500, `stopped ${ended.stopMs} ms after the signal`);
  const expected = Array.from({ length: 20 }, (_, i) => i);
  assert.deepEqual(recordedSteps(ended.runDir), { events: expected, csv: expected });
  assert.match(readFileSync(join(ended.runDir, "log.txt"), "utf8"), /Experiment ended at .* with an error: Interrupted by SIGTERM/);
}));

test("SIGINT to a loop that runs no op: the process dies of the signal within about a second", { timeout: 60_000 }, withOutput(async (out, t) => {
  const ended = await runAndSignal(["train", "--mode", "plain-js"], ["SIGINT"], out);
  t.diagnostic(`stopped ${ended.stopMs} ms after the signal`);
  assert.equal(ended.signal, "SIGINT", ended.stdout);
  assert.ok(ended.stopMs < 2500, `stopped ${ended.stopMs} ms after the signal`);
}));

test("a second signal kills at once, even when the program caught the first InterruptError", { timeout: 60_000 }, withOutput(async (out, t) => {
  const ended = await runAndSignal(["train", "--mode", "stubborn"], ["SIGINT", "SIGINT"], out);
  t.diagnostic(`stopped ${ended.stopMs} ms after the signal`);
  assert.match(ended.stdout, /caught SIGINT/);
  assert.equal(ended.signal, "SIGINT", ended.stdout);
  assert.ok(ended.stopMs < 1500, `stopped ${ended.stopMs} ms after the first signal`);
}));

test("without libtorch the Recorder's next step throws InterruptError: exit 143 at once, records flushed, an error record in log.txt", { timeout: 60_000 }, withOutput(async (out, t) => {
  const ended = await runAndSignal(["core-only"], ["SIGTERM"], out);
  t.diagnostic(`stopped ${ended.stopMs} ms after the signal`);
  assert.equal(ended.code, 143, ended.stdout);
  assert.ok(ended.stopMs < 1000, `stopped ${ended.stopMs} ms after the signal`);
  assert.match(ended.stdout, /InterruptError: Interrupted by SIGTERM/);
  const stoppedAt = Number(/stopped at (\d+)/.exec(ended.stdout)?.[1]);
  const expected = Array.from({ length: stoppedAt }, (_, i) => i);
  assert.deepEqual(recordedSteps(ended.runDir), { events: expected, csv: expected });
  assert.match(readFileSync(join(ended.runDir, "log.txt"), "utf8"), /with an error: Interrupted by SIGTERM/);
}));
