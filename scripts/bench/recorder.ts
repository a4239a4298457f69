// Recorder hot path: 5 scalars per step with the default backends (TensorBoard + scalars.csv),
// flushes included. Target: ≤ 2 µs per scalar (≤ 1 % of a 1 ms training step).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Recorder } from "../../src/recording/index.js";

const TAGS = ["train/loss", "train/acc", "lr", "grad/norm", "time/step"];
const STEPS = Number(process.env.BENCH_RECORDER_STEPS ?? 100_000);

function run(options: { tensorboard: boolean; file: boolean }): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-bench-recorder-"));
  try {
    const recorder = new Recorder(dir, options);
    recorder.scalar("warmup", 0); // opens the files outside the timing
    let best = Infinity;
    for (let round = 0; round < 3; round++) {
      const start = process.hrtime.bigint();
      for (let step = 0; step < STEPS; step++) {
        for (let t = 0; t < TAGS.length; t++) recorder.scalar(TAGS[t]!, step * 1e-3 + t);
        recorder.step();
      }
      recorder.flush();
      best = Math.min(best, Number(process.hrtime.bigint() - start) / (STEPS * TAGS.length));
    }
    recorder.close();
    return best;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark; returns the report line and whether the target was met. */
export function benchRecorder(): { line: string; ok: boolean; microsPerScalar: number } {
  const both = run({ tensorboard: true, file: true });
  const tensorboard = run({ tensorboard: true, file: false });
  const ok = both <= 2000;
  const line =
    `recorder: ${(both / 1000).toFixed(2)} µs per scalar (5 scalars/step, TensorBoard + scalars.csv, flushes included; ` +
    `TensorBoard alone ${(tensorboard / 1000).toFixed(2)} µs); target ≤ 2 µs: ${ok ? "met" : "NOT met"}`;
  return { line, ok, microsPerScalar: both / 1000 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { line, ok } = benchRecorder();
  console.log(line);
  if (!ok) process.exitCode = 1;
}
