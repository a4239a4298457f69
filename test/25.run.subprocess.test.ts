import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fixtureDir, makeTempDir, removeTempDir, runFixture } from "./fixtures/run/process.js";

interface SeedRecord {
  rank: number;
  tag: string;
  seeds: number[];
  nestedLaunchError?: string;
  handles?: { pid: string; localRank: number }[];
  exitCodes?: number[];
}

const timestamp = String.raw`\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\]`;

test("launchSubprocess: same seed sequence in parent and subprocesses, one run directory, a log per rank", async () => {
  const dir = makeTempDir();
  try {
    const result = await runFixture("experiments.ts", ["fx", "spawner", "--output-dir", dir, "--children", "3", "--random-seed", "1234", "--debug"]);
    assert.equal(result.code, 0, result.stderr);
    const runs = readdirSync(join(dir, "spawner"));
    assert.equal(runs.length, 1, "subprocesses share the parent's run directory");
    const runDir = join(dir, "spawner", runs[0]!);
    assert.deepEqual(readdirSync(runDir).sort(), [
      "log.rank-1.txt",
      "log.rank-2.txt",
      "log.rank-3.txt",
      "log.txt",
      "parameters.yaml",
      "seeds-0.json",
      "seeds-1.json",
      "seeds-2.json",
      "seeds-3.json",
    ]);
    const records = [0, 1, 2, 3].map((rank) => JSON.parse(readFileSync(join(runDir, `seeds-${rank}.json`), "utf8")) as SeedRecord);
    const parent = records[0]!;
    assert.equal(new Set(parent.seeds).size, 3);
    for (const child of records.slice(1)) {
      assert.deepEqual(child.seeds, parent.seeds, `rank ${child.rank} draws the parent's seeds`);
      assert.equal(child.tag, "child", "overrides reach the subprocess");
      assert.equal(child.nestedLaunchError, "A subprocess cannot launch further subprocesses.");
    }
    assert.deepEqual(records.map((r) => r.rank), [0, 1, 2, 3]);
    assert.equal(parent.tag, "parent");
    assert.deepEqual(parent.handles, [
      { pid: "number", localRank: 1 },
      { pid: "number", localRank: 2 },
      { pid: "number", localRank: 3 },
    ]);
    assert.deepEqual(parent.exitCodes, [0, 0, 0]);

    // Subprocess logs: tagged with their rank, starting with the subprocess record.
    for (const rank of [1, 2, 3]) {
      const lines = readFileSync(join(runDir, `log.rank-${rank}.txt`), "utf8").trimEnd().split("\n");
      assert.match(lines[0]!, new RegExp(`^${timestamp} \\[DEBUG\\] \\[RANK ${rank}\\] \\[pystematic.standard\\] Initializing subprocess\\.\\.\\.$`));
      assert.match(lines.at(-1)!, new RegExp(`^${timestamp} \\[INFO\\] \\[RANK ${rank}\\] \\[pystematic.standard\\] Experiment ended at `));
      assert.ok(lines.some((line) => line.endsWith(`[INFO] [RANK ${rank}] [spawner] subprocess ${rank} done`)));
    }
    // The parent: no rank tag until its first launch, [RANK 0] from then on.
    const parentLog = readFileSync(join(runDir, "log.txt"), "utf8").trimEnd().split("\n");
    assert.match(parentLog[0]!, new RegExp(`^${timestamp} \\[DEBUG\\] \\[pystematic.standard\\] Writing parameters file to `));
    assert.match(parentLog[1]!, new RegExp(`^${timestamp} \\[DEBUG\\] \\[RANK 0\\] \\[pystematic.standard\\] Launching subprocess with local rank 1 and overrides \\{"tag":"child"\\}\\.$`));
    assert.match(parentLog[2]!, /\[DEBUG\] \[RANK 0\] \[pystematic.standard\] Launching subprocess with local rank 2/);
    assert.match(parentLog.at(-1)!, /\[INFO\] \[RANK 0\] \[pystematic.standard\] Experiment ended at /);
    // Only the parent writes parameters.yaml.
    assert.match(readFileSync(join(runDir, "parameters.yaml"), "utf8"), /^local_rank: 0$/m);
    // Subprocess records reach the console too.
    assert.match(result.stdout, /^\[INFO\] \[RANK 2\] \[spawner\] subprocess 2 done$/m);
  } finally {
    removeTempDir(dir);
  }
});

test("launchSubprocess through the pystematic bin: the subprocess runs the script's experiment", async () => {
  const dir = makeTempDir();
  try {
    const script = join(fixtureDir, "experiments.ts");
    const result = await runFixture(join("..", "..", "..", "src", "bin.ts"), [script, "fx", "spawner", "--children", "1", "--output-dir", dir]);
    assert.equal(result.code, 0, result.stderr);
    const runDir = join(dir, "spawner", readdirSync(join(dir, "spawner"))[0]!);
    const [parent, child] = [0, 1].map((rank) => JSON.parse(readFileSync(join(runDir, `seeds-${rank}.json`), "utf8")) as SeedRecord);
    assert.deepEqual(parent!.exitCodes, [0]);
    assert.deepEqual(child!.seeds, parent!.seeds);
  } finally {
    removeTempDir(dir);
  }
});

test("launchSubprocess: an unknown override is a clear error in the parent", async () => {
  const { experiment, launchSubprocess } = await import("../src/index.js");
  const dir = makeTempDir();
  try {
    const exp = experiment({ name: "bad-override" }, () => {
      assert.throws(() => launchSubprocess({ notAParam: 1 }), /^Error: launchSubprocess\(\): unknown parameter 'notAParam'\.$/);
    });
    await exp.run({ outputDir: dir });
  } finally {
    removeTempDir(dir);
  }
});
