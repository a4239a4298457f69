// Entry points in process: globalEntrypoint(), lookups by path, and the switch that turns a
// script's own entry points off while the bin or a child process imports it.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  experiment,
  findExperiment,
  globalEntrypoint,
  group,
  parameter,
  runExperiment,
  setEntrypointsSuppressed,
  UsageError,
} from "../src/core/index.js";

const ran: string[] = [];
const top = experiment({ name: "top", params: { x: parameter({ type: "int", default: 1 }) } }, (p) => void ran.push(`top:${p.x}`));
const tools = group({ name: "tools" });
const inner = tools.group({ name: "inner" });
inner.experiment({ name: "deep" }, () => void ran.push("deep"));
experiment({ name: "boom" }, () => {
  throw new RangeError("boom");
});

test("globalEntrypoint runs experiments and group members by name", async () => {
  ran.length = 0;
  await globalEntrypoint(["top", "--x", "2"], { exitOnError: false });
  await globalEntrypoint(["tools", "inner", "deep"], { exitOnError: false });
  await runExperiment(top, { x: 3 });
  assert.deepEqual(ran, ["top:2", "deep", "top:3"]);
  await assert.rejects(globalEntrypoint([], { exitOnError: false }), (e: Error) => e instanceof UsageError && /No experiment given. Choose one of: top, tools, boom/.test(e.message));
  await assert.rejects(globalEntrypoint(["tools", "innr"], { exitOnError: false }), /Unknown experiment 'innr' in group 'tools'. Did you mean 'inner'\?/);
  await assert.rejects(globalEntrypoint(["boom"], { exitOnError: false }), RangeError);
});

test("experiments are found by path; a redefinition replaces the earlier one", () => {
  assert.equal(findExperiment("top"), top);
  assert.equal(findExperiment("tools/inner/deep")?.name, "deep");
  assert.equal(findExperiment("deep"), undefined);
  const again = experiment({ name: "top" }, () => {});
  assert.equal(findExperiment("top"), again);
});

test("suppressed entry points do nothing; runUnsuppressed still runs", async () => {
  ran.length = 0;
  setEntrypointsSuppressed(true);
  try {
    await globalEntrypoint(["tools", "inner", "deep"]);
    await tools.cli(["inner", "deep"]);
    await top.cli(["--x", "5"]);
    await top.run({ x: 5 });
    assert.deepEqual(ran, []);
    await top.runUnsuppressed({ x: 6 });
  } finally {
    setEntrypointsSuppressed(false);
  }
  assert.deepEqual(ran, ["top:6"]);
});
