// Faults of a 2-rank CPU DDP run (DECISIONS, "2026-12: signals, flushing, restarts"): a signal to
// rank 0 or to the launcher stops every rank with rank 0's records flushed, a hung rank is
// stopped by --heartbeat-timeout, a rank stuck in a collective by --distributed-timeout, and
// --max-restarts resumes from the newest checkpoint. Real processes, real signals.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readEvents } from "../src/recording/index.js";
import { freePort } from "./fixtures/ports.js";

const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const SCRIPT = fileURLToPath(new URL("fixtures/distributed/faults.ts", import.meta.url));

interface Ended {
  code: number | null;
  output: string;
  /** Milliseconds from the signal (or the start) to the launcher's exit. */
  ms: number;
  runDir: string;
  pids: number[];
}

type Target = "launcher" | "rank 0";

/** Launches a 2-rank run; with `signal`, sends it to `target` once rank 0 has recorded 20 steps. */
async function launch(args: string[], out: string, signal?: { name: NodeJS.Signals; to: Target }): Promise<Ended> {
  const port = await freePort();
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", BIN, SCRIPT, ...args, "--distributed", "--nproc-per-node", "2", "--master-port", String(port), "--output-dir", out],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    let sentAt = start;
    const onData = (chunk: Buffer) => {
      const before = output;
      output += chunk;
      if (signal && !before.includes("[rank 0] ready") && output.includes("[rank 0] ready")) {
        sentAt = Date.now();
        const rank0 = Number(/pid (\d+) rank 0 started/.exec(output)![1]);
        if (signal.to === "launcher") child.kill(signal.name);
        else process.kill(rank0, signal.name);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      const experimentDir = join(out, args[0]!);
      const runs = existsSync(experimentDir) ? readdirSync(experimentDir) : [""];
      const pids = [...output.matchAll(/pid (\d+) rank \d started/g)].map((m) => Number(m[1]));
      resolve({ code, output, ms: Date.now() - sentAt, runDir: join(experimentDir, runs[0]!), pids });
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function assertNoRankLeft(ended: Ended): Promise<void> {
  assert.equal(ended.pids.length, 2, ended.output);
  await new Promise((r) => setTimeout(r, 300));
  for (const pid of ended.pids) assert.equal(alive(pid), false, `pid ${pid} is still alive`);
}

/** Rank 0's recorded steps of `loss`: the event file's and scalars.csv's. */
function recordedSteps(runDir: string): { events: number[]; csv: number[] } {
  const eventFile = readdirSync(runDir).find((f) => f.includes("tfevents"))!;
  const events = readEvents(join(runDir, eventFile))
    .filter((e) => (e.summary?.value ?? []).some((v) => v.tag === "loss"))
    .map((e) => Number(e.step));
  const csv = readFileSync(join(runDir, "scalars.csv"), "utf8").trim().split("\n").slice(1).map((l) => Number(l.split(",")[0]));
  return { events, csv };
}

function withOutput(fn: (out: string, t: TestContext) => Promise<void>): (t: TestContext) => Promise<void> {
  return async (t) => {
    const out = mkdtempSync(join(tmpdir(), "pst-faults-"));
    try {
      await fn(out, t);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
}

function assertFlushed(ended: Ended): void {
  const stoppedAt = Number(/\[rank 0\] stopped at (\d+)/.exec(ended.output)?.[1]);
  assert.ok(stoppedAt >= 20, ended.output);
  const expected = Array.from({ length: stoppedAt }, (_, i) => i);
  assert.deepEqual(recordedSteps(ended.runDir), { events: expected, csv: expected }, "rank 0's records up to the signal");
}

for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
  test(`${signal} to the launcher: every rank stops with rank 0's records flushed, the launcher logs it and exits ${code}`, { timeout: 120_000 }, withOutput(async (out, t) => {
    const ended = await launch(["train"], out, { name: signal, to: "launcher" });
    t.diagnostic(`stopped ${ended.ms} ms after ${signal}`);
    assert.equal(ended.code, code, ended.output);
    assert.ok(ended.ms < 5000, `stopped ${ended.ms} ms after the signal`);
    assertFlushed(ended);
    const launcherLog = readFileSync(join(ended.runDir, "log.launcher.node-0.txt"), "utf8");
    assert.match(launcherLog, new RegExp(`Received ${signal}: forwarding it to the ranks`));
    assert.match(launcherLog, new RegExp(`Experiment ended at .* with an error: Interrupted by ${signal}`));
    assert.match(readFileSync(join(ended.runDir, "log.txt"), "utf8"), new RegExp(`with an error: Interrupted by ${signal}`));
    await assertNoRankLeft(ended);
  }));
}

test("SIGTERM to rank 0 stops the whole run: records flushed, the launcher names the rank and fails", { timeout: 120_000 }, withOutput(async (out, t) => {
  const ended = await launch(["train"], out, { name: "SIGTERM", to: "rank 0" });
  t.diagnostic(`stopped ${ended.ms} ms after SIGTERM`);
  assert.equal(ended.code, 1, ended.output);
  assert.ok(ended.ms < 5000, `stopped ${ended.ms} ms after the signal`);
  assertFlushed(ended);
  assert.match(readFileSync(join(ended.runDir, "log.launcher.node-0.txt"), "utf8"), /Rank 0 \(pid \d+\) exited with code 143 \(interrupted by SIGTERM\)/);
  assert.match(readFileSync(join(ended.runDir, "log.txt"), "utf8"), /with an error: Interrupted by SIGTERM/);
  await assertNoRankLeft(ended);
}));

test("a rank hung in a loop without ops is stopped by --heartbeat-timeout 3, and named", { timeout: 120_000 }, withOutput(async (out, t) => {
  const ended = await launch(["train", "--hang", "plain-js", "--heartbeat-timeout", "3"], out);
  t.diagnostic(`the run ended ${ended.ms} ms after it started`);
  assert.equal(ended.code, 1, ended.output);
  assert.ok(ended.ms < 30_000, `took ${ended.ms} ms`);
  // Rank 0 waits in backward for rank 1's gradients: a collective's wait, not a hang of its own.
  const launcherLog = readFileSync(join(ended.runDir, "log.launcher.node-0.txt"), "utf8");
  assert.match(launcherLog, /Rank 1 \(pid \d+\) made no progress for 3 s and was stopped/);
  assert.doesNotMatch(launcherLog, /Rank 0 \(pid \d+\) made no progress/);
  assert.match(ended.output, /\[rank 1\] pystematic: Rank 1 \(pid \d+\) made no progress for 3 s/);
  // Where it hangs: the main thread's JS stack, when the addon was built with V8's headers.
  if (/\[rank 1\] {2}main thread:/.test(ended.output)) assert.match(ended.output, /\[rank 1\] {4}at .*fixtures\/distributed\/faults\.ts:\d+:\d+\)/);
  assert.match(readFileSync(join(ended.runDir, "log.rank-1.txt"), "utf8"), /Rank 1 \(pid \d+\) made no progress for 3 s/);
  await assertNoRankLeft(ended);
}));

test("a rank looping over ops makes progress; the others' wait in backward ends at --distributed-timeout", { timeout: 120_000 }, withOutput(async (out, t) => {
  const ended = await launch(["train", "--hang", "ops", "--heartbeat-timeout", "3", "--distributed-timeout", "5"], out);
  t.diagnostic(`the run ended ${ended.ms} ms after it started`);
  assert.equal(ended.code, 1, ended.output);
  assert.ok(ended.ms < 30_000, `took ${ended.ms} ms`);
  const launcherLog = readFileSync(join(ended.runDir, "log.launcher.node-0.txt"), "utf8");
  assert.match(launcherLog, /Rank 0 \(pid \d+\) exited with code 1\./);
  assert.doesNotMatch(launcherLog, /made no progress/);
  await assertNoRankLeft(ended);
}));

test("--distributed-timeout 5 stops a rank stuck in a collective", { timeout: 120_000 }, withOutput(async (out, t) => {
  const ended = await launch(["stuck", "--distributed-timeout", "5"], out);
  t.diagnostic(`the run ended ${ended.ms} ms after it started`);
  assert.equal(ended.code, 1, ended.output);
  assert.ok(ended.ms > 5000 && ended.ms < 30_000, `took ${ended.ms} ms`);
  assert.match(ended.output, /\[rank 0\] .*allReduce failed/);
  assert.match(readFileSync(join(ended.runDir, "log.launcher.node-0.txt"), "utf8"), /Rank 0 \(pid \d+\) exited with code 1\./);
  await assertNoRankLeft(ended);
}));

test("--max-restarts 1 restarts every rank from the newest checkpoint in the run directory", { timeout: 120_000 }, withOutput(async (out) => {
  const ended = await launch(["resume", "--max-restarts", "1"], out);
  assert.equal(ended.code, 0, ended.output);
  const checkpoint = join(ended.runDir, "checkpoint-5.pt");
  for (const rank of [0, 1]) assert.ok(ended.output.includes(`[rank ${rank}] resumed from ${checkpoint} at step 5`), ended.output);
  const launcherLog = readFileSync(join(ended.runDir, "log.launcher.node-0.txt"), "utf8");
  assert.match(launcherLog, /Rank 1 \(pid \d+\) exited with code 3\./);
  assert.ok(launcherLog.includes(`Restarting every rank (restart 1 of 1) from ${checkpoint}.`), launcherLog);
  assert.match(launcherLog, /All 2 rank\(s\) on node 0 finished/);
}));

test("without restarts left the run fails with the first failing rank's exit code", { timeout: 120_000 }, withOutput(async (out) => {
  const ended = await launch(["resume"], out);
  assert.equal(ended.code, 1, ended.output);
  assert.match(ended.output, /Rank 1 \(pid \d+\) exited with code 3\./);
}));

test("the fault flags are torch parameters with their defaults and help; a bad value is refused before any rank starts", { timeout: 60_000 }, withOutput(async (out) => {
  const { experiment } = await import("../src/index.js");
  await import("../src/torch-plugin/index.js");
  const flags = experiment({ name: "fault-flags" }, () => undefined).getParameters();
  const byFlag = new Map(flags.map((p) => [p.flag, p.options]));
  assert.equal(byFlag.get("--distributed-timeout")?.default, 1800);
  assert.equal(byFlag.get("--heartbeat-timeout")?.default, 600);
  assert.equal(byFlag.get("--max-restarts")?.default, 0);
  for (const flag of ["--distributed-timeout", "--heartbeat-timeout", "--max-restarts"]) assert.ok(byFlag.get(flag)?.help, flag);
  const ended = await launch(["train", "--heartbeat-timeout", "-1"], out);
  assert.equal(ended.code, 1, ended.output);
  assert.match(ended.output, /--heartbeat-timeout must be a non-negative number of seconds, got -1/);
  assert.equal(ended.pids.length, 0, "no rank started");
}));
