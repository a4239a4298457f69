// Value resolution (spec 1.4 and 3.4): order of sources, types, env vars, defaults, params files.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { experiment, parameter, UsageError, type ExperimentDefinition } from "../src/core/index.js";

const dir = mkdtempSync(join(tmpdir(), "pystematic-resolve-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `exp` through run() or cli() and returns what main received. */
let last: Record<string, unknown> | null = null;
const capture = (params: object) => {
  last = { ...params };
};
async function viaRun(exp: ExperimentDefinition, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  last = null;
  await exp.run(params as never);
  return last!;
}
async function viaCli(exp: ExperimentDefinition, argv: string[]): Promise<Record<string, unknown>> {
  last = null;
  await exp.cli(argv, { exitOnError: false });
  return last!;
}
function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const old = { ...process.env };
  Object.assign(process.env, vars);
  return fn().finally(() => {
    for (const k of Object.keys(vars)) if (old[k] === undefined) delete process.env[k];
    else process.env[k] = old[k];
  });
}

const typed = experiment(
  {
    name: "typed",
    params: {
      s: parameter({}),
      i: parameter({ type: "int" }),
      f: parameter({ type: "float" }),
      b: parameter({ type: "boolean" }),
      p: parameter({ type: "path" }),
      j: parameter({ type: "json" }),
      c: parameter({ type: (t: string) => t.split("x").map(Number) }),
      choice: parameter({ allowedValues: ["a", "b", 3] }),
      m: parameter({ type: "int", multiple: true }),
      flag: parameter({ isFlag: true }),
    },
  },
  capture,
);

test("each type parses text from the command line", async () => {
  const v = await viaCli(typed, [
    "--s", "text", "--i", "-3", "--f", "-2.5e-3", "--b", "yes", "--p", "a/b", "--j", '{"k":[1,null]}',
    "--c", "2x3", "--choice", "B", "--m", "1", "-2", "3", "--flag",
  ]);
  assert.deepEqual(v, { s: "text", i: -3, f: -0.0025, b: true, p: "a/b", j: { k: [1, null] }, c: [2, 3], choice: "b", m: [1, -2, 3], flag: true });
  assert.equal((await viaCli(typed, ["--choice", "3"])).choice, 3);
  assert.equal((await viaCli(typed, ["--f", "inf"])).f, Infinity);
  assert.equal((await viaCli(typed, ["--flag", "--no-flag"])).flag, false);
  assert.equal((await viaCli(typed, ["--no-flag", "--flag"])).flag, true);
  assert.equal((await viaCli(typed, ["--i=7"])).i, 7);
  // Each occurrence of an option sets it: the last one wins, lists included.
  assert.deepEqual((await viaCli(typed, ["--m", "1", "2", "--i", "1", "--m", "3", "--i", "2"])).m, [3]);
  assert.deepEqual((await viaCli(typed, ["--m", "1", "--m=4"])).m, [4]);
  assert.equal((await viaCli(typed, ["--i", "1", "--i", "2"])).i, 2);
  for (const [word, value] of [["TRUE", true], ["t", true], ["1", true], ["No", false], ["f", false], ["0", false]] as const) {
    assert.equal((await viaCli(typed, ["--b", word])).b, value, word);
  }
});

test("unset parameters are null, flags false", async () => {
  const v = await viaRun(typed);
  assert.deepEqual(v, { s: null, i: null, f: null, b: null, p: null, j: null, c: null, choice: null, m: null, flag: false });
});

test("bad values are usage errors naming the flag or key", async () => {
  const bad: [string[], RegExp][] = [
    [["--i", "3.5"], /Invalid value for --i: Expected an integer, got '3.5'/],
    [["--i", "abc"], /Expected an integer/],
    [["--f", "abc"], /Invalid value for --f: Expected a number, got 'abc'/],
    [["--b", "maybe"], /Expected a boolean/],
    [["--j", "{bad"], /Expected JSON/],
    [["--choice", "z"], /Expected one of 'a', 'b', 3, got 'z'/],
    [["--m", "1", "x"], /Invalid value for --m: Expected an integer, got 'x'/],
  ];
  for (const [argv, re] of bad) await assert.rejects(viaCli(typed, argv), (e: Error) => e instanceof UsageError && re.test(e.message), argv.join(" "));
  await assert.rejects(viaRun(typed, { i: "x" }), /Invalid value for parameter 'i'/);
  await assert.rejects(viaRun(typed, { i: [1, 2] }), /Expected a single value, got a list of length 2/);
  await assert.rejects(viaRun(typed, { m: 5 }), /Expected a list of values, got 5/);
});

test("run() values go through the type too; strings are parsed", async () => {
  const v = await viaRun(typed, { i: "5", f: 2, b: "no", choice: "A", m: ["1", 2], c: "4x5", j: { raw: true } });
  assert.equal(v.i, 5);
  assert.equal(v.f, 2);
  assert.equal(v.b, false);
  assert.equal(v.choice, "a");
  assert.deepEqual(v.m, [1, 2]);
  assert.deepEqual(v.c, [4, 5]);
  assert.deepEqual(v.j, { raw: true });
});

const withDefaults = experiment(
  {
    name: "defaults",
    params: {
      lr: parameter({ type: "float", default: 0.1 }),
      count: parameter({ type: "int", default: () => 41 + 1 }),
      textInt: parameter({ type: "int", default: "5" as never }),
      over: parameter({ type: "int", default: 1 }),
      list: parameter({ type: "int", multiple: true, default: [] }),
      named: parameter({ envvar: "MY_CUSTOM_VAR", default: "d" }),
      noEnv: parameter({ envvar: false, default: "d" }),
      items: parameter({ multiple: true }),
    },
    defaults: { over: () => 2 },
  },
  capture,
);

test("defaults: values, functions, typed, overridden by the experiment's defaults", async () => {
  const v = await viaRun(withDefaults);
  assert.equal(v.lr, 0.1);
  assert.equal(v.count, 42);
  assert.equal(v.textInt, 5);
  assert.equal(v.over, 2);
  assert.deepEqual(v.list, []);
  const bad = experiment({ name: "bad-default", params: { x: parameter({ type: "int", default: "abc" as never }) } }, capture);
  await assert.rejects(viaRun(bad), /Invalid default value for parameter 'x'/);
});

test("null and empty lists count as unset: env and default still apply", async () => {
  await withEnv({ PYSTEMATIC_LR: "0.5" }, async () => {
    const v = await viaRun(withDefaults, { lr: null, count: null, list: [] });
    assert.equal(v.lr, 0.5);
    assert.equal(v.count, 42);
    assert.deepEqual(v.list, []);
  });
});

test("env vars: implicit PYSTEMATIC_ names, custom names, off, lists split on ':' and ','", async () => {
  await withEnv(
    { PYSTEMATIC_LR: "0.25", PYSTEMATIC_COUNT: "7", MY_CUSTOM_VAR: "custom", PYSTEMATIC_NO_ENV: "ignored", PYSTEMATIC_NAMED: "ignored", PYSTEMATIC_ITEMS: "a:b,,c", PYSTEMATIC_LIST: "1,2" },
    async () => {
      const v = await viaRun(withDefaults);
      assert.equal(v.lr, 0.25);
      assert.equal(v.count, 7);
      assert.equal(v.named, "custom");
      assert.equal(v.noEnv, "d");
      assert.deepEqual(v.items, ["a", "b", "c"]);
      assert.deepEqual(v.list, [1, 2]);
      // Given values win over the environment.
      assert.equal((await viaRun(withDefaults, { lr: 1 })).lr, 1);
      assert.equal((await viaCli(withDefaults, ["--lr", "2"])).lr, 2);
    },
  );
  await withEnv({ PYSTEMATIC_LR: "fast" }, async () => {
    await assert.rejects(viaRun(withDefaults), /Invalid value for --lr in environment variable PYSTEMATIC_LR: Expected a number/);
  });
  // A single value is taken whole: paths and URLs hold ':'.
  const url = experiment({ name: "url", params: { endpoint: parameter({}) } }, capture);
  await withEnv({ PYSTEMATIC_ENDPOINT: "http://host:80/a,b" }, async () => {
    assert.equal((await viaRun(url)).endpoint, "http://host:80/a,b");
  });
});

const fileExp = experiment(
  {
    name: "file-exp",
    params: {
      outputDir: parameter({ default: "./output" }),
      debug: parameter({ isFlag: true }),
      paramsFile: parameter({ type: "path", isParamsFile: true, allowFromFile: false }),
      randomSeed: parameter({ type: "int" }),
      localRank: parameter({ type: "int", default: 0, allowFromFile: false }),
      param1: parameter({}),
      param2: parameter({ type: "int" }),
    },
  },
  capture,
);
const params1 = file("params1.yaml", 'param1: "hello"\nparam2: 10\n');

test("a params file is applied when its parameter is set", async () => {
  const v = await viaRun(fileExp, { paramsFile: params1 });
  assert.equal(v.param1, "hello");
  assert.equal(v.param2, 10);
  assert.equal(v.paramsFile, params1);
  // A nested params_file key is ignored; the first file stays the params file.
  const params2 = file("params2.yaml", `param1: "world"\nparam2: 20\nparams_file: ${JSON.stringify(params1)}\n`);
  const w = await viaRun(fileExp, { paramsFile: params2 });
  assert.deepEqual([w.param1, w.param2, w.paramsFile], ["world", 20, params2]);
});

test("command-line options before --params-file lose to it, options after it win", async () => {
  const before = await viaCli(fileExp, ["--param1", "cli", "--param2", "1", "--params-file", params1]);
  assert.deepEqual([before.param1, before.param2], ["hello", 10]);
  const afterIt = await viaCli(fileExp, ["--params-file", params1, "--param1", "cli"]);
  assert.deepEqual([afterIt.param1, afterIt.param2], ["cli", 10]);
  // run() applies its values in parameter order: those declared before paramsFile lose to the file.
  const f = file("dir.yaml", "output_dir: from-file\nparam1: from-file\n");
  const r = await viaRun(fileExp, { outputDir: "given", param1: "given", paramsFile: f });
  assert.deepEqual([r.outputDir, r.param1], ["from-file", "given"]);
  // Env and defaults only fill what is still unset.
  await withEnv({ PYSTEMATIC_PARAM2: "99" }, async () => {
    assert.equal((await viaRun(fileExp, { paramsFile: params1 })).param2, 10);
  });
});

test("a file written by Python pystematic loads: snake_case keys, YAML 1.1, internal keys ignored", async () => {
  const py = file(
    "parameters.yaml",
    "debug: yes\nlocal_rank: 3\noutput_dir: ./output\nparams_file: null\nparam1: 'yes'\nparam2: '5'\nrandom_seed: 1366639998\n",
  );
  const v = await viaRun(fileExp, { paramsFile: py });
  assert.equal(v.debug, true);
  assert.equal(v.localRank, 0);
  assert.equal(v.outputDir, "./output");
  assert.equal(v.param1, "yes");
  assert.equal(v.param2, 5);
  assert.equal(v.randomSeed, 1366639998);
  // camelCase keys are accepted too.
  assert.equal((await viaRun(fileExp, { paramsFile: file("camel.yaml", "randomSeed: 4\n") })).randomSeed, 4);
});

test("params file errors: missing, malformed, not a mapping, unknown key, bad value", async () => {
  const missing = join(dir, "nope.yaml");
  await assert.rejects(viaRun(fileExp, { paramsFile: missing }), (e: Error) => e instanceof UsageError && e.message === `Params file '${missing}' does not exist.`);
  const bad = file("bad.yaml", "param1: [unclosed\n");
  await assert.rejects(viaCli(fileExp, ["--params-file", bad]), /Params file '.*bad.yaml' is not valid YAML/);
  const list = file("list.yaml", "- 1\n- 2\n");
  await assert.rejects(viaRun(fileExp, { paramsFile: list }), /must hold a mapping/);
  const unknown = file("unknown.yaml", "param1: x\nparam3: y\n");
  await assert.rejects(viaRun(fileExp, { paramsFile: unknown }), (e: Error) => e instanceof UsageError && /Unknown parameter 'param3' in params file '.*unknown.yaml'/.test(e.message));
  const badValue = file("badvalue.yaml", "param2: many\n");
  await assert.rejects(viaRun(fileExp, { paramsFile: badValue }), /Invalid value for 'param2' in params file '.*badvalue.yaml': Expected an integer/);
  assert.equal((await viaRun(fileExp, { paramsFile: file("empty.yaml", "") })).param1, null);
});

// Params files written by Python pystematic (PyYAML) read as PyYAML reads them.
const pyExp = experiment(
  {
    name: "pyyaml-interop",
    params: {
      n: parameter({ type: "string" }),
      s: parameter({ type: "string" }),
      count: parameter({ type: "int", default: 1 }),
      cfg: parameter({ type: "json", default: null }),
      paramsFile: parameter({ type: "path", isParamsFile: true, allowFromFile: false }),
    },
  },
  capture,
);

test("a params file's `n` and `y` are strings, as PyYAML reads them: a parameter named n is found", async () => {
  const v = await viaRun(pyExp, { paramsFile: file("py-n.yaml", "n: y\ns: n\n") });
  assert.equal(v.n, "y");
  assert.equal(v.s, "n");
});

test("an int from a params file is refused where the CLI refuses it (PyYAML reads 1.23e29 as a string)", async () => {
  await assert.rejects(viaRun(pyExp, { paramsFile: file("py-big.yaml", "n: a\ns: b\ncount: 1.23e29\n") }), /count.*expected an integer/is);
  await assert.rejects(viaRun(pyExp, { paramsFile: file("py-huge.yaml", "n: a\ns: b\ncount: 123456789012345678901\n") }), /within ±2\^53/);
  await assert.rejects(viaCli(pyExp, ["--n", "a", "--s", "b", "--count", "1.23e29"]), /expected an integer/i);
  const v = await viaRun(pyExp, { paramsFile: file("py-octal.yaml", "n: a\ns: b\ncount: 017\n") });
  assert.equal(v.count, 15, "PyYAML's octal");
});

test("a json value nested deeper than PyYAML can read back is a usage error while resolving (before a run directory)", async () => {
  const deep = "[".repeat(2000) + "]".repeat(2000);
  await assert.rejects(viaCli(pyExp, ["--n", "a", "--s", "b", "--cfg", deep]), (e: Error) => {
    assert.ok(e instanceof UsageError, `${e.constructor.name}: ${e.message}`);
    assert.match(e.message, /nested at most 300 levels/);
    return true;
  });
  const ok = "[".repeat(300) + "]".repeat(300);
  assert.equal((await viaCli(pyExp, ["--n", "a", "--s", "b", "--cfg", ok])).n, "a");
});
