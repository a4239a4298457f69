// `npm run bench`: runs every benchmark script in this folder, each in its own process (so one's
// heap and threads do not disturb the next), and prints their ratios against Python PyTorch.
// Pass names to run a subset: `npm run bench -- ops recorder`.
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.startsWith("_"))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, "")))
  .sort();
let failed = 0;
for (const file of scripts) {
  console.log(`\n== ${file.replace(/\.ts$/, "")} ==`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", join(here, file)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
if (failed) {
  console.log(`\n${failed} benchmark(s) missed their target or failed`);
  process.exitCode = 1;
}
