// Defining experiments, groups, parameter groups and inheritance (pystematic's test_core.py, 6.1).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  experiment,
  group,
  parameter,
  paramGroup,
  ExperimentDefinition,
  ExperimentError,
  PystematicError,
  UsageError,
  runExperiment,
} from "../src/core/index.js";

class CustomError extends Error {}

test("an experiment is named after main in kebab case, or verbatim when named", () => {
  const exp = experiment(function exp() {});
  assert.ok(exp instanceof ExperimentDefinition);
  assert.equal(exp.name, "exp");
  assert.equal(experiment({ name: "override" }, function exp() {}).name, "override");
  assert.equal(experiment({ name: "Custom_Name" }, () => {}).name, "Custom_Name");
  assert.equal(experiment({}, function myExpName() {}).name, "my-exp-name");
  assert.equal(experiment({}, function my_exp_name() {}).name, "my-exp-name");
  assert.throws(() => experiment({}, () => {}), /needs a name/);
});

test("main's exception propagates from run() and cli()", async () => {
  const exp = experiment({ name: "fails" }, () => {
    throw new CustomError("from main");
  });
  await assert.rejects(exp.run({}), CustomError);
  await assert.rejects(exp.cli([], { exitOnError: false }), CustomError);
  await assert.rejects(runExperiment(exp, {}), CustomError);
});

test("an async main is awaited", async () => {
  let finished = false;
  const exp = experiment({ name: "slow" }, async () => {
    await new Promise((r) => setTimeout(r, 10));
    finished = true;
  });
  await exp.run();
  assert.equal(finished, true);
});

test("parameters are registered and delivered with their types by run() and cli()", async () => {
  let got: unknown = null;
  const exp = experiment(
    { name: "params", params: { testParam: parameter({}), intParam: parameter({ type: "int" }) } },
    (params) => {
      got = { testParam: params.testParam, intParam: params.intParam };
    },
  );
  assert.deepEqual(exp.getParameters().map((p) => p.name), ["testParam", "intParam"]);
  await exp.cli(["--test-param", "test", "--int-param", "3"], { exitOnError: false });
  assert.deepEqual(got, { testParam: "test", intParam: 3 });
  got = null;
  await exp.run({ testParam: "test", intParam: 3 });
  assert.deepEqual(got, { testParam: "test", intParam: 3 });
});

test("addParameter adds to an existing experiment; a duplicate name names both places", () => {
  const exp = experiment({ name: "dup", params: { param1: parameter({}) } }, () => {});
  exp.addParameter(parameter({ name: "param2", type: "int", default: 1 }));
  assert.deepEqual(exp.getParameters().map((p) => p.name), ["param1", "param2"]);
  assert.throws(
    () => exp.addParameter(parameter({ name: "param1" })),
    (e: Error) => e instanceof PystematicError && /'param1'/.test(e.message) && /experiment 'dup'/.test(e.message),
  );
  assert.throws(() => exp.addParameter(parameter({})), /needs a name/);
});

test("names that convert to the same flag or file key clash", () => {
  assert.throws(
    () => experiment({ name: "clash", params: { useGpu: parameter({}), useGPU: parameter({}) } }, () => {}),
    /same flag --use-gpu/,
  );
  assert.throws(() => experiment({ name: "clash2", params: { help: parameter({}) } }, () => {}), /the flag --help is reserved/);
  assert.throws(
    () => experiment({ name: "clash3", params: { verbose: parameter({ isFlag: true }), noVerbose: parameter({}) } }, () => {}),
    /negated flag of parameter 'verbose'/,
  );
});

test("bad declarations fail at definition", () => {
  assert.throws(() => experiment({ name: "f1", params: { "bad-name": parameter({}) } }, () => {}), /Invalid parameter name 'bad-name'/);
  assert.throws(
    () => experiment({ name: "f2", params: { f: parameter({ isFlag: true, multiple: true } as never) } }, () => {}),
    /'isFlag' is incompatible with 'multiple'/,
  );
  assert.throws(
    () => experiment({ name: "f3", params: { f: parameter({ isFlag: true, allowedValues: ["a"] } as never) } }, () => {}),
    /'isFlag' is incompatible with 'allowedValues'/,
  );
  assert.throws(() => experiment({ name: "f4", params: { f: parameter({ envvar: 3 } as never) } }, () => {}), /invalid envvar/);
  assert.throws(() => experiment({ name: "f5", params: { f: parameter({ type: "double" } as never) } }, () => {}), /unknown type 'double'/);
  assert.throws(() => experiment({ name: "f6", params: { a: parameter({}) }, defaults: { b: 1 } as never }, () => {}), /'b' is not a parameter/);
});

test("experiment groups run their members; no experiment name is an error", async () => {
  const ran: string[] = [];
  const g = group({ name: "group" });
  g.experiment({ name: "exp1", params: { param1: parameter({}) } }, (p) => void ran.push(`exp1:${p.param1}`));
  g.experiment({ name: "exp2", params: { param2: parameter({}) } }, (p) => void ran.push(`exp2:${p.param2}`));
  await assert.rejects(g.cli([], { exitOnError: false }), UsageError);
  await g.cli(["exp1", "--param1", "value"], { exitOnError: false });
  await g.cli(["exp2", "--param2", "value"], { exitOnError: false });
  assert.deepEqual(ran, ["exp1:value", "exp2:value"]);
  await assert.rejects(g.cli(["exp3"], { exitOnError: false }), /Unknown experiment 'exp3' in group 'group'. Did you mean/);
  assert.equal(g.children.length, 2);
});

test("groups nest; parameters flow from group to nested group to experiment", async () => {
  let got: unknown = null;
  const group1 = group({ name: "group1", params: { param1: parameter({}) } });
  const group2 = group1.group({ name: "group2", params: { param2: parameter({}) } });
  const exp = group2.experiment({ name: "exp", params: { param3: parameter({}) } }, (p) => {
    got = [p.param1, p.param2, p.param3];
  });
  assert.equal(exp.path, "group1/group2/exp");
  assert.deepEqual(exp.getParameters().map((p) => p.name), ["param1", "param2", "param3"]);
  await group1.cli(["group2", "exp", "--param1", "a", "--param2", "b", "--param3", "c"], { exitOnError: false });
  assert.deepEqual(got, ["a", "b", "c"]);
  // Group parameters come after the experiment name only.
  await assert.rejects(group1.cli(["--param1", "a", "group2", "exp"], { exitOnError: false }), /Unknown option '--param1'/);
  const loose = group1.experiment({ name: "loose", inheritParamsFromGroup: false }, () => {});
  assert.deepEqual(loose.getParameters().map((p) => p.name), []);
});

test("a nested run throws ExperimentError out of the outer run, and the process stays usable", async () => {
  const exp2 = experiment({ name: "exp2-nested" }, () => {});
  const exp1 = experiment({ name: "exp1-nested" }, async () => {
    await exp2.run({});
  });
  await assert.rejects(exp1.run({}), (e: Error) => e instanceof ExperimentError && /already running/.test(e.message));
  await exp2.run({});
});

test("inheritance errors: a redeclared group or experiment parameter names both places", () => {
  const group1 = group({ name: "g-inh", params: { param1: parameter({}) } });
  assert.throws(
    () => group1.experiment({ name: "e", params: { param1: parameter({}) } }, () => {}),
    (e: Error) => e instanceof PystematicError && /'param1'/.test(e.message) && /group 'g-inh'/.test(e.message) && /experiment 'e'/.test(e.message),
  );
  assert.throws(() => group1.group({ name: "nested", params: { param1: parameter({}) } }), /group 'g-inh'/);
  const base = experiment({ name: "base", params: { param1: parameter({}) } }, () => {});
  assert.throws(() => experiment({ name: "child", inheritParams: base, params: { param1: parameter({}) } }, () => {}), /experiment 'base'/);
  assert.throws(() => experiment({ name: "bad-src", inheritParams: 42 as never }, () => {}), /unknown value passed to 'inheritParams': 42/);
});

test("inheriting the same declaration twice is silent; different ones with one name clash", () => {
  const lr = parameter({ type: "float", default: 0.1 });
  const a = experiment({ name: "a-src", params: { lr } }, () => {});
  const b = experiment({ name: "b-src", params: { lr, momentum: parameter({ type: "float", default: 0.9 }) } }, () => {});
  const c = experiment({ name: "c", inheritParams: [a, b] }, () => {});
  assert.deepEqual(c.getParameters().map((p) => p.name), ["lr", "momentum"]);
  const d = experiment({ name: "d-src", params: { lr: parameter({ type: "float", default: 0.2 }) } }, () => {});
  assert.throws(() => experiment({ name: "e", inheritParams: [a, d] }, () => {}), /'lr'.*experiment 'a-src'/);
});

test("inheritParams takes plain parameter lists, experiments, groups and param groups", async () => {
  let got: unknown = null;
  const list = { p1: parameter({ default: "one" }) };
  const g = group({ name: "src-group", params: { p2: parameter({ default: "two" }) } });
  const pg = paramGroup("section", { p3: parameter({ default: "three" }) });
  const exp = experiment({ name: "multi", inheritParams: [list, g, pg] }, (p) => {
    got = [p.p1, p.p2, p.p3];
  });
  await exp.run();
  assert.deepEqual(got, ["one", "two", "three"]);
  assert.deepEqual(exp.getParamGroups().map((x) => x.name), ["section"]);
});

test("parameter groups deliver their values flat", async () => {
  let got: unknown = null;
  const exp = experiment(
    { name: "pg", params: { param1: parameter({}) }, paramGroups: [paramGroup("agroup", "help text", { param2: parameter({}), param3: parameter({ type: "int" }) })] },
    (p) => {
      got = [p.param1, p.param2, p.param3];
    },
  );
  await exp.run({ param1: "a", param2: "b", param3: 3 });
  assert.deepEqual(got, ["a", "b", 3]);
  got = null;
  await exp.cli(["--param1", "a", "--param2", "b", "--param3", "3"], { exitOnError: false });
  assert.deepEqual(got, ["a", "b", 3]);
  assert.deepEqual(exp.getParamGroups().map((g) => [g.name, g.help]), [["agroup", "help text"]]);
  assert.equal(exp.getParameters().find((p) => p.name === "param2")?.group, "agroup");
});

test("parameter groups are inherited through nested groups", async () => {
  let got: unknown = null;
  const group1 = group({ name: "pgi1", params: { a1: parameter({}) }, paramGroups: [paramGroup("g1", { a2: parameter({}), a3: parameter({}) })] });
  const group2 = group1.group({ name: "pgi2", params: { b1: parameter({}) }, paramGroups: [paramGroup("g2", { b2: parameter({}), b3: parameter({}) })] });
  group2.experiment({ name: "exp", params: { c1: parameter({}) }, paramGroups: [paramGroup("g3", { c2: parameter({}), c3: parameter({}) })] }, (p) => {
    got = Object.keys(p).length;
  });
  const argv = ["pgi2", "exp", ...["a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3"].flatMap((n) => [`--${n}`, n])];
  await group1.cli(argv, { exitOnError: false });
  assert.equal(got, 9);
  const group3 = group({ name: "pgi3", paramGroups: [paramGroup("g", { param1: parameter({}) })] });
  assert.throws(() => group3.experiment({ name: "x", params: { param1: parameter({}) } }, () => {}), PystematicError);
});

test("inheriting two sources whose different groups hold one name fails", () => {
  const exp1 = experiment({ name: "m1", paramGroups: [paramGroup("group_a", { param1: parameter({}) })] }, () => {});
  const exp2 = experiment({ name: "m2", paramGroups: [paramGroup("group_b", { param1: parameter({}) })] }, () => {});
  assert.throws(() => experiment({ name: "m3", inheritParams: [exp1, exp2] }, () => {}), PystematicError);
  const plain1 = { p1: parameter({}) };
  const plain2 = { p2: parameter({}) };
  experiment({ name: "m4", inheritParams: [plain1, plain2], paramGroups: [paramGroup("empty", {})] }, () => {});
});

test("parameter group duplicates are definition errors", () => {
  const mk = (opts: object) => () => experiment(opts as never, () => {});
  assert.throws(mk({ name: "d1", params: { param1: parameter({}) }, paramGroups: [paramGroup("agroup", { param1: parameter({}) })] }), PystematicError);
  assert.throws(mk({ name: "d3", paramGroups: [paramGroup("agroup", { param1: parameter({}) }), paramGroup("agroup", { param2: parameter({}) })] }), /group 'agroup'/);
  assert.throws(mk({ name: "d4", paramGroups: [paramGroup("agroup", { param1: parameter({}) }), paramGroup("agroup", { param1: parameter({}) })] }), /group 'agroup'/);
  assert.throws(mk({ name: "d5", paramGroups: [paramGroup("agroup", { param1: parameter({}) }), paramGroup("bgroup", { param1: parameter({}) })] }), /'param1'/);
  const exp = experiment({ name: "d6", paramGroups: [paramGroup("agroup", { param1: parameter({}) })] }, () => {});
  assert.throws(() => exp.addParameter(parameter({ name: "param1" })), /parameter group 'agroup'/);
});

test("an unknown run() key is an error listing the valid names", async () => {
  const exp = experiment({ name: "unknown-key", params: { testParam: parameter({}) } }, () => {});
  await assert.rejects(exp.run({ testParam: "test", invalidParam: 3 } as never), (e: Error) =>
    e instanceof UsageError && /'invalidParam' is not a recognized parameter name/.test(e.message) && /Valid names: testParam/.test(e.message),
  );
});

test("a missing required parameter fails before main runs", async () => {
  let ran = false;
  const exp = experiment({ name: "req", params: { testParam: parameter({ required: true }), intParam: parameter({ type: "int" }) } }, () => {
    ran = true;
  });
  await assert.rejects(exp.cli(["--int-param", "3"], { exitOnError: false }), /Missing required parameter --test-param/);
  await assert.rejects(exp.run({ intParam: 3 }), /Missing required parameter 'testParam'/);
  assert.equal(ran, false);
});

test("adding the same parameter group twice is an error, as in Python (inheriting it twice stays silent)", () => {
  const pg = paramGroup("twice", { t1: parameter({}) });
  assert.throws(
    () => experiment({ name: "pg-twice", params: {}, paramGroups: [pg, pg] }, () => {}),
    /Error when adding parameter group 'twice' to experiment 'pg-twice': a group with that name was already added/,
  );
  const exp = experiment({ name: "pg-twice-add", params: {}, paramGroups: [pg] }, () => {});
  assert.throws(() => exp.addParamGroup(pg), /a group with that name was already added/);
});
