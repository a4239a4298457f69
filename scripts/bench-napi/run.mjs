// Times an empty export and a one-integer-argument export written in raw N-API and in
// node-addon-api (binding/exports.h): the figure behind which exports stay raw
// (docs/architecture.md, "The binding"). Builds overhead.cpp with the system C++ compiler.
// Usage: node scripts/bench-napi/run.mjs
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);
const out = join(mkdtempSync(join(tmpdir(), "napi-overhead-")), "overhead.node");
const nodeInclude = process.env.PST_NODE_INCLUDE ?? "/usr/include/node";
execFileSync("c++", [
  "-std=c++17", "-O2", "-shared", "-fPIC", "-fvisibility=hidden",
  "-DNAPI_VERSION=8", "-DNAPI_CPP_EXCEPTIONS", "-DNODE_ADDON_API_DISABLE_DEPRECATED",
  `-I${require("node-api-headers").include_dir}`, `-I${join(root, require("node-addon-api").include_dir)}`,
  `-I${join(root, "native")}`, "-idirafter", nodeInclude,
  join(root, "scripts/bench-napi/overhead.cpp"), join(root, "native/binding/exports.cpp"), join(root, "native/binding/napi.cpp"),
  join(root, "native/interrupt.cpp"),
  "-o", out,
], { stdio: "inherit" });
const m = require(out);

// Rounds of every case alternate, so drift in the machine's load reaches each case alike; the best
// round of each is kept.
const cases = [
  ["raw N-API, empty", () => m.rawEmpty()],
  ["node-addon-api, empty", () => m.addonApiEmpty()],
  ["node-addon-api, empty + signal check", () => m.addonApiEmptyOp()],
  ["raw N-API, one int argument", () => m.rawIntArg(7)],
  ["node-addon-api, one int argument", () => m.addonApiIntArg(7)],
  ["raw V8 reads, three numbers", () => m.rawThreeNumbers(1, 2, 3)],
  ["node-addon-api wrappers, three numbers", () => m.addonApiThreeNumbers(1, 2, 3)],
];
const CALLS = 1_000_000;
const ROUNDS = 15;
const best = cases.map(() => Infinity);
for (let round = 0; round < ROUNDS; round++) {
  cases.forEach(([, call], i) => {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < CALLS; k++) call();
    best[i] = Math.min(best[i], Number(process.hrtime.bigint() - t0) / CALLS);
  });
}
cases.forEach(([name], i) => console.log(`${name.padEnd(40)} ${best[i].toFixed(1)} ns/call (best of ${ROUNDS} x 1M)`));
