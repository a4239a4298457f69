// DDP scaling efficiency with Gloo, side by side with Python's DistributedDataParallel on the
// same libtorch: efficiency = throughput of 2 ranks / (2 x throughput of 1 rank), 1 thread per
// process. Target: ours ≥ Python's (DECISIONS / issue 6; Python measured here ~0.91, noisy).
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PYTHON } from "./_python.js";
import { freePort } from "../../test/fixtures/ports.js";

const here = join(dirname(fileURLToPath(import.meta.url)), "workers");

function worker(cmd: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) =>
      code === 0 ? resolve((JSON.parse(out.trim().split("\n").pop()!) as { msPerStep: number }).msPerStep) : reject(new Error(`${cmd.join(" ")} exited ${code}`)),
    );
  });
}

async function efficiency(cmd: string[]): Promise<{ single: number; ddp: number; eff: number }> {
  const single = await worker(cmd, {});
  const port = String(await freePort());
  const ranks = await Promise.all(
    [0, 1].map((r) => worker(cmd, { RANK: String(r), WORLD_SIZE: "2", LOCAL_RANK: String(r), MASTER_ADDR: "127.0.0.1", MASTER_PORT: port })),
  );
  const ddp = Math.max(...ranks);
  return { single, ddp, eff: single / ddp };
}

const ours = await efficiency([process.execPath, "--import", "tsx", join(here, "ddp-rank.ts")]);
const py = await efficiency([PYTHON, join(here, "ddp_rank.py")]);
const fmt = (r: typeof ours) => `1 rank ${r.single.toFixed(3)} ms/step, 2 ranks ${r.ddp.toFixed(3)} ms/step, efficiency ${r.eff.toFixed(2)}`;
console.log(`ddp ours:   ${fmt(ours)}`);
console.log(`ddp python: ${fmt(py)}`);
const ok = ours.eff >= py.eff - 0.02;
console.log(`ddp scaling efficiency ours ${ours.eff.toFixed(2)} vs python ${py.eff.toFixed(2)} (target ≥ python's, ±0.02 noise): ${ok ? "ok" : "MISSED"}`);
if (!ok) process.exitCode = 1;
