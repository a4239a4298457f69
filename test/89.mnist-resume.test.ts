// The MNIST example as a pystematic experiment, through the bin: killed (SIGKILL) mid-run and
// re-run with --checkpoint (under another --random-seed), it finishes with the same final loss
// as an uninterrupted run.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const ARGS = ["mnist", "--max-steps", "24", "--checkpoint-every", "4", "--log-every", "4", "--batch-size", "32", "--no-cuda"];

interface Run {
  out: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs the example; `killWhen` sees the output so far and says when to SIGKILL it. */
function runExample(args: string[], killWhen?: (out: string) => boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/bin.ts", "examples/mnist-experiment.ts", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (d: Buffer) => {
      out += d;
      if (killWhen?.(out)) child.kill("SIGKILL");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code, signal) => resolve({ out, code, signal }));
  });
}

const finalLoss = (out: string) => /final loss (\S+) after (\d+) steps/.exec(out)?.slice(1, 3);

test("MNIST experiment: killed mid-run and resumed with --checkpoint ends with the uninterrupted run's final loss", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "pst-89-"));
  try {
    const full = await runExample([...ARGS, "--random-seed", "5", "--output-dir", join(dir, "full")]);
    assert.equal(full.code, 0, full.out);
    const expected = finalLoss(full.out);
    assert.ok(expected && expected[1] === "24", full.out);

    const killed = await runExample([...ARGS, "--random-seed", "5", "--output-dir", join(dir, "killed")], (out) => /step 12: loss/.test(out));
    assert.equal(killed.signal, "SIGKILL", killed.out);
    assert.equal(finalLoss(killed.out), undefined);
    const saved = [...killed.out.matchAll(/Saving checkpoint '([^']+)'/g)].map((m) => m[1]!);
    assert.ok(saved.length >= 2, killed.out);

    const resumed = await runExample([...ARGS, "--random-seed", "77", "--output-dir", join(dir, "resumed"), "--checkpoint", saved[0]!]);
    assert.equal(resumed.code, 0, resumed.out);
    assert.match(resumed.out, /Loading checkpoint '.*last\.pt'\./);
    assert.deepEqual(finalLoss(resumed.out), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
