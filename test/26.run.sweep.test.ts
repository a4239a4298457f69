import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { experiment, runParameterSweep, setDeviceProvider, type SweepRunResult } from "../src/index.js";
import { makeTempDir, removeTempDir, runFixture } from "./fixtures/run/process.js";

interface MemberRecord {
  index: number;
  start: number;
  end: number;
  cuda: string | null;
  seed: number;
}

function parseResults(stdout: string): SweepRunResult[] {
  const line = stdout.split("\n").find((l) => l.startsWith("RESULTS "));
  assert.ok(line, `no RESULTS line in:\n${stdout}`);
  return JSON.parse(line.slice("RESULTS ".length)) as SweepRunResult[];
}

test("runParameterSweep: 5 runs, at most 2 at once, a failing one reported while the rest complete", async () => {
  const out = makeTempDir();
  try {
    const result = await runFixture("sweep.ts", [out, "2"], { env: { TMPDIR: out } });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(out).filter((name) => name.startsWith("pystematic-launch-")), [], "no launch files left behind");
    const results = parseResults(result.stdout);
    assert.deepEqual(results.map((r) => r.params.index), [0, 1, 2, 3, 4]);
    assert.deepEqual(results.map((r) => r.exitCode), [0, 0, 1, 0, 0]);
    const runDirs = results.map((r) => r.runDir);
    assert.equal(new Set(runDirs).size, 5, "every run has its own directory");
    const members: MemberRecord[] = [];
    for (const runDir of runDirs) {
      assert.ok(runDir !== null && dirname(runDir) === join(out, "sweep-member"), String(runDir));
      assert.match(runDir, /\/\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_[0-9a-z]{6}$/);
      assert.ok(existsSync(join(runDir, "parameters.yaml")) && existsSync(join(runDir, "log.txt")));
      members.push(JSON.parse(readFileSync(join(runDir, "member.json"), "utf8")) as MemberRecord);
    }
    // Each member is a top-level run with its own random seed.
    assert.equal(new Set(members.map((m) => m.seed)).size, 5);
    // Never more than 2 mains at once.
    for (const m of members) {
      const concurrent = members.filter((o) => o.start <= m.start && o.end > m.start).length;
      assert.ok(concurrent <= 2, `${concurrent} runs at once`);
    }
    // Each member's directory is marked as part of the sweep (pystematic board reads it).
    const markers = runDirs.map((runDir) => JSON.parse(readFileSync(join(runDir!, "sweep.json"), "utf8")) as Record<string, unknown>);
    assert.equal(new Set(markers.map((m) => m.id)).size, 1);
    assert.match(String(markers[0]!.id), /^sweep-member_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_[0-9a-z]{6}$/);
    markers.forEach((marker, i) => {
      assert.deepEqual({ ...marker, id: null }, { id: null, experiment: "sweep-member", index: i, count: 5, overrides: results[i]!.params });
    });
    assert.match(readFileSync(join(runDirs[2]!, "log.txt"), "utf8"), /\[ERROR\] \[pystematic.standard\] Experiment ended at .* with an error: member 2 failed/);
    assert.match(result.stdout, /Parameter sweep finished: 1 of 5 runs failed:\n {2}params \{"index":2,.*"fail":true\}: exit code 1, run directory \//);
    assert.ok(result.stdout.includes(runDirs[2]!));
    assert.match(result.stderr, /Error: member 2 failed\n\s+at /);
  } finally {
    removeTempDir(out);
  }
});

test("runParameterSweep: GPUs handed out least-used first through CUDA_VISIBLE_DEVICES", async () => {
  const out = makeTempDir();
  try {
    const result = await runFixture("sweep.ts", [out, "-1", "3", "2"]);
    assert.equal(result.code, 0, result.stderr);
    const results = parseResults(result.stdout);
    assert.deepEqual(results.map((r) => r.exitCode), [0, 0, 0, 0, 0]);
    // Both first runs start at once: the second gets the free GPU 2 and the lowest of the rest.
    assert.deepEqual(results[0]!.gpus, [0, 1]);
    assert.deepEqual(results[1]!.gpus, [0, 2]);
    for (const r of results) {
      const member = JSON.parse(readFileSync(join(r.runDir!, "member.json"), "utf8")) as MemberRecord;
      assert.equal(member.cuda, r.gpus.join(","));
      assert.equal(r.gpus.length, 2);
    }
  } finally {
    removeTempDir(out);
  }
});

test("runParameterSweep: a member with bad values fails before making a run directory, and is reported", async () => {
  const out = makeTempDir();
  try {
    const result = await runFixture("sweep.ts", [out, "unknown"]);
    assert.equal(result.code, 0, result.stderr);
    const [only] = parseResults(result.stdout);
    assert.equal(only!.exitCode, 2);
    assert.equal(only!.runDir, null);
    assert.match(result.stderr, /^Error: .*notAParameter/m);
    assert.match(result.stdout, /1 of 1 runs failed:\n {2}params \{"index":0,.*"notAParameter":1\}: exit code 2, run directory \(none\)/);
    assert.deepEqual(readdirSync(out), [], "no run directory");
  } finally {
    removeTempDir(out);
  }
});

test("runParameterSweep: bad options are clear errors before anything starts", async () => {
  const exp = experiment({ name: "never-started" }, () => {});
  await assert.rejects(runParameterSweep(exp, [{}], { numGpusPerProcess: 1 }), /numGpusPerProcess needs to know the GPUs: import 'pystematic\/torch'/);
  await assert.rejects(runParameterSweep(exp, [{}], { maxNumProcesses: 0 }), /maxNumProcesses must be an integer >= 1, got 0/);
  await assert.rejects(runParameterSweep(exp, {} as never), /listOfParams must be an array/);
  setDeviceProvider({ gpuCount: () => 1 });
  await assert.rejects(runParameterSweep(exp, [{}], { numGpusPerProcess: 2 }), /There are only '1' distinct resources available. Tried to allocate '2'./);
  assert.deepEqual(await runParameterSweep(exp, []), []);
});
