// Two nodes on one machine: two network namespaces joined by a veth pair act as two hosts,
// each running a launcher with --nnodes 2. Needs CAP_NET_ADMIN (root); skipped otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hosts } from "./fixtures/distributed/hosts.js";

const SCRIPT = fileURLToPath(new URL("fixtures/distributed/train.ts", import.meta.url));
const hosts = new Hosts(String(process.pid % 100000));

test("--nnodes 2 across two network namespaces: one run directory, identical parameters", { timeout: 180_000 }, async (t) => {
  if (!hosts.make()) {
    t.skip("cannot create network namespaces here (needs root / CAP_NET_ADMIN and iproute2)");
    return;
  }
  const out = mkdtempSync(join(tmpdir(), "pst-nodes-"));
  try {
    const args = ["train", "--master-port", "29533", "--output-dir", out, "--random-seed", "9"];
    const [a, b] = await Promise.all([hosts.launcher(0, SCRIPT, args), hosts.launcher(1, SCRIPT, args)]);
    assert.equal(a.code, 0, a.output);
    assert.equal(b.code, 0, b.output);
    const lineA = /\[rank 0\] .*rank 0 of 2 params (\S+)/.exec(a.output);
    const lineB = /\[rank 1\] .*rank 1 of 2 params (\S+)/.exec(b.output);
    assert.ok(lineA && lineB, a.output + b.output);
    assert.equal(lineA![1], lineB![1], "identical parameters on both nodes");
    const runs = readdirSync(join(out, "train"));
    assert.equal(runs.length, 1);
    assert.deepEqual(readdirSync(join(out, "train", runs[0]!)).sort(), [
      "log.launcher.node-0.txt",
      "log.launcher.node-1.txt",
      "log.rank-1.txt",
      "log.txt",
      "parameters.yaml",
    ]);
  } finally {
    hosts.remove();
    rmSync(out, { recursive: true, force: true });
  }
});
