// Two nodes on one machine: two network namespaces joined by a veth pair act as two hosts,
// each running a launcher with --nnodes 2. Needs CAP_NET_ADMIN (root); skipped otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const SCRIPT = fileURLToPath(new URL("fixtures/distributed/train.ts", import.meta.url));
const tag = String(process.pid % 100000);
const NS = [`pst${tag}a`, `pst${tag}b`];
const VETH = [`pv${tag}a`, `pv${tag}b`];
const ADDR = ["10.213.7.1", "10.213.7.2"];

function ip(...args: string[]): boolean {
  return spawnSync("ip", args, { stdio: "ignore" }).status === 0;
}

function makeHosts(): boolean {
  if (!ip("netns", "add", NS[0]!)) return false;
  const ok =
    ip("netns", "add", NS[1]!) &&
    ip("link", "add", VETH[0]!, "type", "veth", "peer", "name", VETH[1]!) &&
    [0, 1].every(
      (i) =>
        ip("link", "set", VETH[i]!, "netns", NS[i]!) &&
        ip("-n", NS[i]!, "addr", "add", `${ADDR[i]}/24`, "dev", VETH[i]!) &&
        ip("-n", NS[i]!, "link", "set", VETH[i]!, "up") &&
        ip("-n", NS[i]!, "link", "set", "lo", "up"),
    );
  if (!ok) removeHosts();
  return ok;
}

function removeHosts(): void {
  for (const ns of NS) ip("netns", "del", ns);
}

function launcher(node: number, out: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      "ip",
      ["netns", "exec", NS[node]!, process.execPath, "--import", "tsx", BIN, SCRIPT, "train",
        "--distributed", "--nproc-per-node", "1", "--nnodes", "2", "--node-rank", String(node),
        "--master-addr", ADDR[0]!, "--master-port", "29533", "--output-dir", out, "--random-seed", "9"],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, GLOO_SOCKET_IFNAME: VETH[node]! } },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code: code ?? -1, output }));
  });
}

test("--nnodes 2 across two network namespaces: one run directory, identical parameters", { timeout: 180_000 }, async (t) => {
  if (!makeHosts()) {
    t.skip("cannot create network namespaces here (needs root / CAP_NET_ADMIN and iproute2)");
    return;
  }
  const out = mkdtempSync(join(tmpdir(), "pst-nodes-"));
  try {
    const [a, b] = await Promise.all([launcher(0, out), launcher(1, out)]);
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
    removeHosts();
    rmSync(out, { recursive: true, force: true });
  }
});
