// Coverage of PyTorch's public Python names per area: docs/api/names-<version>.json (made by
// scripts/signatures/names.py from the running version's Python torch, with the names not counted
// and why) mapped by the README's naming rule onto ours. Prints the coverage of each area and
// holds each at least at its recorded floor, so coverage never regresses; the goal is ≥ 95 %.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { version } from "../src/torch/version.js";
import { camelCase } from "../src/torch/binding/index.js";

interface NamesFile {
  torch: string;
  areas: Record<string, { names: string[]; excluded: Record<string, string> }>;
}

const file = new URL(`../docs/api/names-${version.major}.${version.minor}.json`, import.meta.url);

/** How Python's `torch.<area>.<name>` is reached here: the namespace object of each area. */
function namespaceOf(area: string): object | undefined {
  const t = torch as unknown as Record<string, Record<string, unknown> | undefined>;
  const nn = t.nn as Record<string, Record<string, unknown> | undefined> | undefined;
  const roots: Record<string, unknown> = {
    nn: t.nn,
    "nn.functional": nn?.functional,
    "nn.init": nn?.init,
    "nn.utils": nn?.utils,
    "nn.utils.rnn": (nn?.utils as Record<string, unknown> | undefined)?.rnn,
    optim: t.optim,
    "optim.lr_scheduler": (t.optim as Record<string, unknown> | undefined)?.lrScheduler,
    "utils.data": t.data,
    distributions: t.distributions,
    torch,
    Tensor: Tensor.prototype,
  };
  const root = roots[area];
  return typeof root === "object" && root !== null ? root : undefined;
}

/** Our name for a Python name: classes as they are, functions and members in camelCase. */
export function ourName(python: string): string {
  return /^[A-Z]/.test(python) ? python : camelCase(python);
}

// The covered count of each area when this floor was last raised (torch 1.13).
const FLOORS: Record<string, number> = {
  nn: 156,
  "nn.functional": 124,
  "nn.init": 26,
  "nn.utils": 13,
  "nn.utils.rnn": 8,
  optim: 14,
  "optim.lr_scheduler": 14,
  "utils.data": 18,
  distributions: 64,
  torch: 59,
  Tensor: 63,
};

test("coverage of Python's public names per area, never below the recorded floor", { skip: !existsSync(file) && `no ${file.pathname}` }, () => {
  const names = JSON.parse(readFileSync(file, "utf8")) as NamesFile;
  const lines: string[] = [];
  const below: string[] = [];
  for (const [area, entry] of Object.entries(names.areas)) {
    const ns = namespaceOf(area);
    const missing = entry.names.filter((n) => ns === undefined || !(ourName(n) in ns));
    const covered = entry.names.length - missing.length;
    const percent = ((100 * covered) / entry.names.length).toFixed(1);
    lines.push(`${area.padEnd(20)} ${String(covered).padStart(4)} / ${String(entry.names.length).padEnd(4)} ${percent.padStart(5)} %` +
      (missing.length > 0 ? `  missing: ${missing.map(ourName).join(", ")}` : ""));
    if (covered < (FLOORS[area] ?? 0)) below.push(`${area}: ${covered} < floor ${FLOORS[area]}`);
  }
  console.log(`coverage of PyTorch ${names.torch}'s public names:\n${lines.join("\n")}`);
  assert.deepEqual(below, [], "an area's coverage fell below its floor");
});

test("the name lists are Python's own: known names present, imports and plumbing excluded", { skip: !existsSync(file) && "no names file" }, () => {
  const names = JSON.parse(readFileSync(file, "utf8")) as NamesFile;
  assert.ok(names.areas["nn.functional"]!.names.includes("conv2d"));
  assert.ok(names.areas.nn!.names.includes("Conv2d"));
  assert.ok(!names.areas["nn.init"]!.names.includes("Tensor"), "nn.init.Tensor is an import, not API");
  assert.ok(!names.areas["nn.functional"]!.names.includes("Optional"), "typing helpers are not API");
  assert.ok("has_torch_function" in names.areas["nn.functional"]!.excluded);
  assert.equal(ourName("xavier_normal_"), "xavierNormal_");
  assert.equal(ourName("Conv2d"), "Conv2d");
});
