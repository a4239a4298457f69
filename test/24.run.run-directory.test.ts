import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  context,
  currentExperiment,
  experiment,
  getCurrentRun,
  isSubprocess,
  launchSubprocess,
  localRank,
  outputDir,
  parameter,
  params,
  paramsFile,
} from "../src/index.js";
import { makeTempDir, removeTempDir, runFixture } from "./fixtures/run/process.js";

interface Report {
  params: Record<string, unknown>;
  ctxKeys: string[];
  ctxOutputDir: string;
  ctxParamsFile: string;
  ctxLocalRank: number;
  accessors: Record<string, unknown>;
  seeds: unknown[];
}

const runDirPattern = /^\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_[0-9a-z]{6}$/;
const timestamp = String.raw`\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\]`;

function onlyRunDir(parent: string): string {
  const entries = readdirSync(parent);
  assert.equal(entries.length, 1, `one run directory in ${parent}: ${entries.join(", ")}`);
  assert.match(entries[0]!, runDirPattern);
  return join(parent, entries[0]!);
}

function readReport(runDir: string): Report {
  return JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")) as Report;
}

test("a run: its directory, parameters.yaml, log.txt, ctx and accessors; re-run from parameters.yaml gives the same params", async () => {
  const dir = makeTempDir();
  try {
    const before = Date.now();
    const first = await runFixture("experiments.ts", ["fx", "basic", "--output-dir", "out", "--random-seed", "7", "--word", "on", "--count", "5", "--debug"], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(readdirSync(dir), ["out"], "nothing is written outside the output dir");
    const runDir = onlyRunDir(join(dir, "out", "basic"));
    // The name is the local start time.
    const [day, time] = runDir.split("/").pop()!.split("_") as [string, string];
    const started = new Date(`${day}T${time.replace(/-/g, ":")}`).getTime();
    assert.ok(started >= Math.floor(before / 1000) * 1000 - 1000 && started <= Date.now(), `${runDir} vs ${new Date(before).toString()}`);
    assert.deepEqual(readdirSync(runDir).sort(), ["log.txt", "parameters.yaml", "report.json"]);

    const yamlText = readFileSync(join(runDir, "parameters.yaml"), "utf8");
    assert.equal(
      yamlText,
      [
        "config:",
        "  depth: -1",
        "  name: null",
        "count: 5",
        "debug: true",
        "fail: false",
        "local_rank: 0",
        "lr: 1.0e-7",
        "output_dir: out",
        "params_file: null",
        "random_seed: 7",
        "sizes:",
        "  - 1",
        "  - 2",
        "subprocess: null",
        'word: "on"',
        "",
      ].join("\n"),
    );

    const report = readReport(runDir);
    assert.deepEqual(report.params, {
      outputDir: "out",
      debug: true,
      paramsFile: null,
      randomSeed: 7,
      subprocess: null,
      localRank: 0,
      lr: 1e-7,
      word: "on",
      count: 5,
      sizes: [1, 2],
      config: { depth: -1, name: null },
      fail: false,
    });
    assert.deepEqual(report.ctxKeys, ["experiment", "localRank", "logger", "outputDir", "params", "paramsFile"]);
    assert.equal(report.ctxOutputDir, runDir);
    assert.equal(report.ctxParamsFile, join(runDir, "parameters.yaml"));
    assert.equal(report.ctxLocalRank, 0);
    assert.deepEqual(report.accessors, {
      outputDir: runDir,
      paramsFile: join(runDir, "parameters.yaml"),
      params: true,
      experiment: "fx/basic",
      isSubprocess: false,
      localRank: 0,
    });

    // Console: no timestamps; the file: the same records with timestamps.
    const consoleLines = first.stdout.trimEnd().split("\n");
    assert.deepEqual(consoleLines, [
      `[DEBUG] [pystematic.standard] Writing parameters file to '${join(runDir, "parameters.yaml")}'.`,
      "[INFO] [basic] main started",
      "[DEBUG] [basic] a debug record",
      "[WARNING] [fixture.run] a warning with 1 args",
      consoleLines[4]!,
    ]);
    assert.match(consoleLines[4]!, /^\[INFO\] \[pystematic.standard\] Experiment ended at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.$/);
    const fileLines = readFileSync(join(runDir, "log.txt"), "utf8").trimEnd().split("\n");
    assert.equal(fileLines.length, consoleLines.length);
    fileLines.forEach((line, i) => assert.match(line, new RegExp(`^${timestamp} ${consoleLines[i]!.replace(/[[\].*+?^${}()|\\]/g, "\\$&")}$`)));

    // Re-run from the params file: every value comes back, seeds included.
    const again = await runFixture("experiments.ts", ["fx", "basic", "--params-file", join(runDir, "parameters.yaml")], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    const second = readdirSync(join(dir, "out", "basic")).map((name) => join(dir, "out", "basic", name)).find((p) => p !== runDir)!;
    const rerun = readReport(second);
    assert.deepEqual({ ...rerun.params, paramsFile: null }, report.params);
    assert.equal(rerun.params.paramsFile, join(runDir, "parameters.yaml"));
    assert.deepEqual(rerun.seeds, report.seeds);
    assert.equal(readFileSync(join(second, "parameters.yaml"), "utf8"), yamlText.replace("params_file: null", `params_file: ${join(runDir, "parameters.yaml")}`));
  } finally {
    removeTempDir(dir);
  }
});

const python = "/usr/bin/python3";
test("parameters.yaml of a run loads in Python with the same values", { skip: existsSync(python) ? false : `${python} not found` }, async () => {
  const dir = makeTempDir();
  try {
    const result = await runFixture("experiments.ts", ["fx", "basic", "--output-dir", dir, "--word", "yes", "--sizes", "3", "-4"]);
    assert.equal(result.code, 0, result.stderr);
    const runDir = onlyRunDir(join(dir, "basic"));
    const report = readReport(runDir);
    const loaded = execFileSync(python, ["-c", "import sys, yaml, json; print(json.dumps(yaml.load(open(sys.argv[1]), Loader=yaml.FullLoader)))", join(runDir, "parameters.yaml")], {
      encoding: "utf8",
    });
    const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    assert.deepEqual(JSON.parse(loaded), Object.fromEntries(Object.entries(report.params).map(([k, v]) => [snake(k), v])));
    assert.deepEqual(report.params.sizes, [3, -4]);
    assert.ok(Number.isInteger(report.params.randomSeed) && (report.params.randomSeed as number) >= 0 && (report.params.randomSeed as number) < 2 ** 32);
  } finally {
    removeTempDir(dir);
  }
});

test("default output dir is ./output; without --debug no debug records", async () => {
  const dir = makeTempDir();
  try {
    const result = await runFixture("experiments.ts", ["fx", "basic"], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const runDir = onlyRunDir(join(dir, "output", "basic"));
    assert.ok(!result.stdout.includes("[DEBUG]"));
    assert.ok(!readFileSync(join(runDir, "log.txt"), "utf8").includes("[DEBUG]"));
    assert.match(result.stdout, /^\[INFO\] \[basic\] main started$/m);
  } finally {
    removeTempDir(dir);
  }
});

test("an error in main: logged as the run's last record, with its stack in the log file only", async () => {
  const dir = makeTempDir();
  try {
    const result = await runFixture("experiments.ts", ["fx", "basic", "--output-dir", dir, "--fail"]);
    assert.equal(result.code, 1);
    const runDir = onlyRunDir(join(dir, "basic"));
    const last = result.stdout.trimEnd().split("\n").pop()!;
    assert.match(last, /^\[ERROR\] \[pystematic.standard\] Experiment ended at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d with an error: boom in main$/);
    assert.ok(!/^\s+at /m.test(result.stdout), "no stack on the console log");
    const log = readFileSync(join(runDir, "log.txt"), "utf8");
    assert.match(log, new RegExp(`${timestamp} \\[ERROR\\] \\[pystematic.standard\\] Experiment ended at .* with an error: boom in main\\nError: boom in main\\n\\s+at `));
    assert.match(result.stderr, /boom in main/);
  } finally {
    removeTempDir(dir);
  }
});

test("module-level accessors: clear errors outside a run, the run's values inside", async () => {
  for (const [name, call] of Object.entries({ outputDir, params, paramsFile, currentExperiment, isSubprocess, localRank, context, launchSubprocess })) {
    assert.throws(() => (call as () => unknown)(), new RegExp(`^Error: ${name}\\(\\) can only be used while an experiment is running\\.$`), name);
  }
  const dir = makeTempDir();
  try {
    let seen: Record<string, unknown> = {};
    const exp = experiment({ name: "in-process", params: { x: parameter({ type: "int", default: 1 }) } }, (p, ctx) => {
      seen = { outputDir: outputDir(), paramsFile: paramsFile(), params: params(), exp: currentExperiment(), current: getCurrentRun(), ctxOutputDir: ctx.outputDir };
      assert.throws(() => context(), /context\(\) needs pystematic\/torch/);
      assert.equal(p.x, 2);
    });
    await exp.run({ x: 2, outputDir: dir });
    const runDir = onlyRunDir(join(dir, "in-process"));
    assert.equal(seen.outputDir, runDir);
    assert.equal(seen.ctxOutputDir, runDir);
    assert.equal(seen.paramsFile, join(runDir, "parameters.yaml"));
    assert.equal((seen.params as Record<string, unknown>).x, 2);
    assert.equal(seen.exp, exp);
    assert.deepEqual(seen.current, { outputDir: runDir, params: seen.params, paramsFile: join(runDir, "parameters.yaml"), experimentName: "in-process", localRank: 0 });
    assert.equal(getCurrentRun(), null);
    assert.throws(() => outputDir(), /can only be used while an experiment is running/);
  } finally {
    removeTempDir(dir);
  }
});

test("a run whose setup fails (output dir is a file) leaves the process able to run again", async () => {
  const dir = makeTempDir();
  try {
    const blocker = join(dir, "not-a-dir");
    writeFileSync(blocker, "");
    let ran = 0;
    const exp = experiment({ name: "setup-fails" }, () => {
      ran++;
    });
    await assert.rejects(exp.run({ outputDir: blocker }), /ENOTDIR|EEXIST/);
    assert.equal(ran, 0);
    assert.throws(() => outputDir(), /can only be used while an experiment is running/);
    await exp.run({ outputDir: join(dir, "ok") });
    assert.equal(ran, 1);
    onlyRunDir(join(dir, "ok", "setup-fails"));
  } finally {
    removeTempDir(dir);
  }
});

test("default parameters: order, help, hidden ones, random seed shown as <randomly generated>", async () => {
  const exp = experiment({ name: "defaults-listed", params: { lr: parameter({ type: "float", default: 0.1 }) } }, () => {});
  const info = exp.getParameters();
  assert.deepEqual(
    info.map((p) => p.name),
    ["outputDir", "debug", "paramsFile", "randomSeed", "subprocess", "localRank", "lr"],
  );
  const byName = Object.fromEntries(info.map((p) => [p.name, p]));
  assert.equal(byName.outputDir!.options.default, "./output");
  assert.equal(byName.outputDir!.options.help, "Parent directory to store all run-logs in. Will be created if it does not exist.");
  assert.equal(byName.randomSeed!.options.defaultHelp, "<randomly generated>");
  assert.equal(byName.randomSeed!.options.help, "The value to seed the master random number generator with.");
  assert.equal(byName.subprocess!.options.hidden, true);
  assert.equal(byName.localRank!.options.hidden, true);
  assert.equal(byName.paramsFile!.options.allowFromFile, false);
  assert.deepEqual(info.filter((p) => p.fromPlugin).map((p) => p.origin), Array(6).fill("plugin 'standard'"));
  const help = await runFixture("experiments.ts", ["fx", "basic", "--help"]);
  assert.equal(help.code, 0, help.stderr);
  for (const flag of ["--output-dir", "--debug", "--params-file", "--random-seed", "<randomly generated>", "Parent directory to store all run-logs in."]) {
    assert.ok(help.stdout.includes(flag), `--help shows ${flag}`);
  }
  assert.ok(!help.stdout.includes("--local-rank") && !help.stdout.includes("--subprocess"), "hidden parameters stay out of --help");
});
