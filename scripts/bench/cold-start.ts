// Cold start of the CLI (whole process, median of 10): the listing and `--help` of a compiled
// script that imports pystematic/torch. Goal ≤ 150 ms here (issue 11; DECISIONS: libtorch and
// the generated op surface must not load for these). A .ts script through the bin is reported
// beside it (tsx compiles on the fly).
import { spawnSync } from "node:child_process";
import { writeFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const script = join(root, "scripts/bench/fixtures/cold-start.mjs");

function median(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return (times[4]! + times[5]!) / 2;
}

const bare = median(["-e", "0"]);
const listing = median([script]);
const help = median([script, "train", "--help"]);
const dir = mkdtempSync(join(tmpdir(), "pst-cold-"));
const tsScript = join(dir, "cold.ts");
writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
writeFileSync(tsScript, `import { experiment, globalEntrypoint } from "${join(root, "dist/index.js")}";\nimport "${join(root, "dist/torch-plugin/index.js")}";\nexport const train = experiment({ name: "train" }, () => {});\nglobalEntrypoint();\n`);
const tsHelp = median([join(root, "dist/bin.js"), tsScript, "train", "--help"]);
rmSync(dir, { recursive: true, force: true });
const ok = listing <= 150 && help <= 150;
console.log(`cold start (median of 10): bare node ${bare.toFixed(0)} ms; listing ${listing.toFixed(0)} ms; --help ${help.toFixed(0)} ms (goal ≤ 150 ms: ${ok ? "met" : "NOT met"}); .ts through the bin --help ${tsHelp.toFixed(0)} ms`);
if (!ok) process.exitCode = 1;
