// Resume: a run stopped at step k and re-run with --checkpoint continues with bitwise the same
// losses (and master-generator seeds) as the uninterrupted run, even under another --random-seed.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { resumeExperiment, trace, written } from "./fixtures/context/resume.js";

test("a CPU run resumed from step k (mid-epoch) gives bitwise the same losses as the uninterrupted run", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-88-"));
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await resumeExperiment.run({ outputDir: join(dir, "full"), randomSeed: 11, cuda: false });
    const full = [...trace];
    await resumeExperiment.run({ outputDir: join(dir, "cut"), randomSeed: 11, cuda: false, stopAt: 7 });
    const cut = [...trace];
    await resumeExperiment.run({ outputDir: join(dir, "resumed"), randomSeed: 99, cuda: false, checkpoint: written.checkpoint });
    const resumed = [...trace];
    process.stdout.write = write;
    assert.equal(full.length, 12);
    assert.deepEqual(cut, full.slice(0, 7));
    assert.deepEqual(resumed.map((r) => r.step), [8, 9, 10, 11, 12]);
    assert.deepEqual(resumed, full.slice(7), "same losses bit for bit, same seeds from the master generator");
    assert.ok(new Set(full.map((r) => r.loss)).size > 6, "losses change from step to step");
  } finally {
    process.stdout.write = write;
    rmSync(dir, { recursive: true, force: true });
  }
});
