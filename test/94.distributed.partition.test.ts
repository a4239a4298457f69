// Faults across two nodes (network namespaces, as test/92): a partition stops both nodes at
// --distributed-timeout, a signal to node 1's launcher stops node 0 too, and --max-restarts
// restarts both nodes' ranks (a count over all nodes). Needs root; skipped otherwise.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hosts } from "./fixtures/distributed/hosts.js";

const SCRIPT = fileURLToPath(new URL("fixtures/distributed/faults.ts", import.meta.url));

function twoNodes(subnet: number, fn: (hosts: Hosts, out: string, t: TestContext) => Promise<void>): (t: TestContext) => Promise<void> {
  return async (t) => {
    const hosts = new Hosts(`${process.pid % 10000}${subnet}`, subnet);
    if (!hosts.make()) {
      t.skip("cannot create network namespaces here (needs root / CAP_NET_ADMIN and iproute2)");
      return;
    }
    const out = mkdtempSync(join(tmpdir(), "pst-partition-"));
    try {
      await fn(hosts, out, t);
    } finally {
      hosts.remove();
      rmSync(out, { recursive: true, force: true });
    }
  };
}

function runDirOf(out: string, experiment: string): string {
  return join(out, experiment, readdirSync(join(out, experiment))[0]!);
}

test("a network partition stops both nodes at --distributed-timeout", { timeout: 180_000 }, twoNodes(21, async (hosts, out, t) => {
  let cutAt = 0;
  const args = ["train", "--distributed-timeout", "5", "--master-port", "29541", "--output-dir", out];
  const [a, b] = await Promise.all([
    hosts.launcher(0, SCRIPT, args, (output) => {
      if (cutAt === 0 && output.includes("[rank 0] ready")) {
        cutAt = Date.now();
        assert.ok(hosts.cut(1));
      }
    }),
    hosts.launcher(1, SCRIPT, args),
  ]);
  const stopped = [a.exitedAt - cutAt, b.exitedAt - cutAt];
  t.diagnostic(`node 0 stopped ${stopped[0]} ms, node 1 ${stopped[1]} ms after the cut`);
  assert.notEqual(a.code, 0, a.output);
  assert.notEqual(b.code, 0, b.output);
  for (const ms of stopped) assert.ok(ms < 40_000, `stopped ${ms} ms after the cut`);
  assert.match(a.output, /\[rank 0\] stopped at \d+/, "rank 0's main ended (its records flushed)");
}));

test("SIGTERM to node 1's launcher stops both nodes", { timeout: 180_000 }, twoNodes(22, async (hosts, out, t) => {
  let sentAt = 0;
  let node1: { kill(signal: NodeJS.Signals): boolean } | null = null;
  const args = ["train", "--master-port", "29542", "--output-dir", out];
  const first = hosts.launcher(0, SCRIPT, args, (output) => {
    if (sentAt === 0 && node1 && output.includes("[rank 0] ready")) {
      sentAt = Date.now();
      node1.kill("SIGTERM");
    }
  });
  const second = hosts.launcher(1, SCRIPT, args, (_output, child) => (node1 = child));
  const [a, b] = await Promise.all([first, second]);
  t.diagnostic(`node 0 stopped ${a.exitedAt - sentAt} ms, node 1 ${b.exitedAt - sentAt} ms after SIGTERM`);
  assert.ok(sentAt > 0, a.output);
  assert.equal(b.code, 143, b.output);
  assert.notEqual(a.code, 0, a.output);
  assert.ok(a.exitedAt - sentAt < 20_000 && b.exitedAt - sentAt < 20_000);
  const runDir = runDirOf(out, "train");
  assert.match(readFileSync(join(runDir, "log.launcher.node-1.txt"), "utf8"), /Received SIGTERM: forwarding it to the ranks of node 1/);
  // Node 0 stops on node 1's abort key, or first on its own rank, which lost its peer.
  assert.match(
    readFileSync(join(runDir, "log.launcher.node-0.txt"), "utf8"),
    /node 1's launcher was interrupted by SIGTERM|Rank 0 \(pid \d+\) exited with code 1\./,
  );
  assert.match(a.output, /\[rank 0\] stopped at \d+/);
}));

test("--max-restarts 1 restarts the ranks of both nodes from the newest checkpoint", { timeout: 180_000 }, twoNodes(23, async (hosts, out) => {
  const args = ["resume", "--max-restarts", "1", "--master-port", "29543", "--output-dir", out];
  const [a, b] = await Promise.all([hosts.launcher(0, SCRIPT, args), hosts.launcher(1, SCRIPT, args)]);
  assert.equal(a.code, 0, a.output);
  assert.equal(b.code, 0, b.output);
  const checkpoint = join(runDirOf(out, "resume"), "checkpoint-5.pt");
  assert.ok(a.output.includes(`[rank 0] resumed from ${checkpoint} at step 5`), a.output);
  assert.ok(b.output.includes(`[rank 1] resumed from ${checkpoint} at step 5`), b.output);
  for (const node of [0, 1]) {
    const log = readFileSync(join(runDirOf(out, "resume"), `log.launcher.node-${node}.txt`), "utf8");
    assert.ok(log.includes(`Restarting every rank (restart 1 of 1) from ${checkpoint}.`), log);
  }
}));
