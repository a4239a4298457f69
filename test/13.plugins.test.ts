// The plugin API (spec 4): created hooks (also for experiments defined earlier), before/after
// hooks in priority order, ctx entries, the frozen ctx, and recovery from failing hooks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { experiment, getPlugins, parameter, registerPlugin, activeRun, type ExperimentRun } from "../src/core/index.js";

const log: string[] = [];
let failBefore = false;
let failAfter = false;

const early = experiment({ name: "defined-before-plugins", params: { own: parameter({ default: "o" }) } }, (params, ctx) => {
  log.push(`main ${JSON.stringify(params)} ${String((ctx as Record<string, unknown>).outputDir)}`);
});

registerPlugin({
  name: "torchlike",
  priority: 50,
  onExperimentCreated(exp) {
    exp.addParameter(parameter({ name: "cuda", isFlag: true }));
  },
  onBeforeExperiment(run) {
    log.push(`before torchlike ${String(run.ctx.outputDir)}`);
    (run.ctx as Record<string, unknown>).context = { models: [] };
    if (failBefore) throw new Error("before failed");
  },
  onAfterExperiment(_run, error) {
    log.push(`after torchlike ${error instanceof Error ? error.message : String(error)}`);
  },
});
registerPlugin({
  name: "standardlike",
  priority: 10,
  onExperimentCreated(exp) {
    exp.addParameter(parameter({ name: "outputDir", default: "./output" }));
    exp.addParameter(parameter({ name: "localRank", type: "int", default: 0, hidden: true }));
  },
  async onBeforeExperiment(run: ExperimentRun) {
    await new Promise((r) => setTimeout(r, 1));
    log.push("before standardlike");
    run.ctx.outputDir = `/runs/${run.experiment.name}`;
    run.params.localRank = 5;
  },
  onAfterExperiment(_run, error) {
    log.push(`after standardlike ${error instanceof Error ? error.message : String(error)}`);
    if (failAfter) throw new Error("after failed");
  },
});

test("plugins run in ascending priority; a late plugin reaches experiments defined before it", () => {
  assert.deepEqual(getPlugins().map((p) => p.name), ["standardlike", "torchlike"]);
  // Plugin parameters come first, in plugin order, whenever the plugin was registered.
  assert.deepEqual(early.getParameters().map((p) => p.name), ["cuda", "outputDir", "localRank", "own"]);
  const later = experiment({ name: "defined-after", params: { x: parameter({}) } }, () => {});
  assert.deepEqual(later.getParameters().map((p) => p.name), ["outputDir", "localRank", "cuda", "x"]);
  assert.ok(early.getParameters()[0]!.fromPlugin);
  assert.match(early.getParameters()[0]!.origin, /plugin 'torchlike'/);
  assert.throws(() => registerPlugin({ name: "torchlike" }), /already registered/);
});

test("before hooks fill ctx, main sees it, after hooks run in reverse order", async () => {
  log.length = 0;
  await early.run({ own: "given" });
  assert.deepEqual(log, [
    "before standardlike",
    "before torchlike /runs/defined-before-plugins",
    'main {"cuda":false,"outputDir":"./output","localRank":5,"own":"given"} /runs/defined-before-plugins',
    "after torchlike undefined",
    "after standardlike undefined",
  ]);
  assert.equal(activeRun(), null);
});

test("ctx is frozen: adding a property throws and points to ctx.context", async () => {
  let thrown: unknown = null;
  let seen: unknown = null;
  const exp = experiment({ name: "frozen-ctx" }, (params, ctx) => {
    seen = [(ctx as Record<string, unknown>).context, ctx.params === params, ctx.experiment.name];
    try {
      (ctx as unknown as Record<string, unknown>).model = {};
    } catch (e) {
      thrown = e;
    }
  });
  await exp.run();
  assert.deepEqual(seen, [{ models: [] }, true, "frozen-ctx"]);
  assert.ok(thrown instanceof TypeError);
  assert.match((thrown as Error).message, /ctx is read-only: cannot set 'model'.*ctx\.context/);
});

test("after hooks get main's error, which is rethrown", async () => {
  log.length = 0;
  const exp = experiment({ name: "main-fails" }, () => {
    throw new Error("main failed");
  });
  await assert.rejects(exp.run(), /main failed/);
  assert.deepEqual(log.slice(-2), ["after torchlike main failed", "after standardlike main failed"]);
});

test("a failing before hook skips main, unwinds started plugins, and leaves the process usable", async () => {
  log.length = 0;
  let ran = false;
  const exp = experiment({ name: "hook-fails" }, () => {
    ran = true;
  });
  failBefore = true;
  try {
    await assert.rejects(exp.run(), /before failed/);
  } finally {
    failBefore = false;
  }
  assert.equal(ran, false);
  assert.deepEqual(log, ["before standardlike", "before torchlike /runs/hook-fails", "after torchlike before failed", "after standardlike before failed"]);
  await exp.run();
  assert.equal(ran, true);
});

test("a failing after hook surfaces its error; the next run works", async () => {
  const exp = experiment({ name: "after-fails" }, () => {});
  failAfter = true;
  try {
    await assert.rejects(exp.run(), /after failed/);
  } finally {
    failAfter = false;
  }
  await exp.run();
});

test("plugin parameters are shared silently on inheritance; a user parameter may not take their name", () => {
  const a = experiment({ name: "inh-a", params: { p: parameter({}) } }, () => {});
  const b = experiment({ name: "inh-b", inheritParams: a }, () => {});
  assert.deepEqual(b.getParameters().map((p) => p.name), ["outputDir", "localRank", "cuda", "p"]);
  assert.throws(
    () => experiment({ name: "clash", params: { outputDir: parameter({}) } }, () => {}),
    /'outputDir'.*already declared by plugin 'standardlike'/,
  );
});
