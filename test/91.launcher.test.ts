// The distributed launcher: `--distributed --nproc-per-node 2` on one machine with Gloo.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./fixtures/ports.js";

const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const SCRIPT = fileURLToPath(new URL("fixtures/distributed/train.ts", import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", BIN, SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - start }));
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

test("--distributed --nproc-per-node 2: ranks share one run directory and keep identical parameters", { timeout: 180_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), "pst-launch-"));
  try {
    const port = await freePort();
    const r = await run(["train", "--distributed", "--nproc-per-node", "2", "--master-port", String(port), "--output-dir", out, "--random-seed", "5"]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const lines = r.stdout.split("\n").filter((l) => l.includes("params "));
    assert.equal(lines.length, 2, r.stdout);
    assert.match(lines.find((l) => l.startsWith("[rank 0] "))!, /rank 0 of 2/);
    assert.match(lines.find((l) => l.startsWith("[rank 1] "))!, /rank 1 of 2/);
    const sums = lines.map((l) => /params (\S+) seed (\d+)/.exec(l)!.slice(1));
    assert.deepEqual(sums[0], sums[1], "same parameters and the same seed on both ranks");
    assert.equal(sums[0]![1], "5");
    const runs = readdirSync(join(out, "train"));
    assert.equal(runs.length, 1, "one run directory for the whole run");
    const files = readdirSync(join(out, "train", runs[0]!)).sort();
    assert.deepEqual(files, ["log.launcher.node-0.txt", "log.rank-1.txt", "log.txt", "parameters.yaml"]);
    assert.match(readFileSync(join(out, "train", runs[0]!, "parameters.yaml"), "utf8"), /nproc_per_node: 2/);
    assert.match(readFileSync(join(out, "train", runs[0]!, "log.launcher.node-0.txt"), "utf8"), /All 2 rank\(s\) on node 0 finished/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("a rank that dies stops the others: the launcher exits non-zero naming it, no process left", { timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), "pst-launch-"));
  try {
    const port = await freePort();
    const r = await run(["crash", "--distributed", "--nproc-per-node", "2", "--master-port", String(port), "--output-dir", out]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, /Rank 1 \(pid \d+\) exited with code 3/);
    assert.ok(r.ms < 30_000, `took ${r.ms} ms`);
    const pids = [...(r.stdout.matchAll(/pid (\d+) rank/g))].map((m) => Number(m[1]));
    assert.equal(pids.length, 2);
    await new Promise((res) => setTimeout(res, 500));
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still alive`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("after a distributed run whose rank failed, the next run in the same process can host the store on the same port", { timeout: 180_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), "pst-launch-"));
  const { crashInProcess } = await import("./fixtures/distributed/crash.js");
  const log = console.log;
  console.log = () => {};
  try {
    const port = await freePort();
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(
        crashInProcess.run({ distributed: true, nprocPerNode: 2, masterPort: port, outputDir: out } as never),
        /Rank 1 \(pid \d+\) exited with code 3/,
        `attempt ${attempt + 1}`,
      );
    }
  } finally {
    console.log = log;
    rmSync(out, { recursive: true, force: true });
  }
});
