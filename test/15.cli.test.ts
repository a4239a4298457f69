// The command line as a user meets it: listing, --help, every usage error (exit 2, one Error:
// line, a pointer to --help, no stack), main's exception (exit 1 with its stack), `| head`.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./fixtures/core/cli-script.ts", import.meta.url));
const many = fileURLToPath(new URL("./fixtures/core/many.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "pystematic-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  delete clean.FORCE_COLOR;
  delete clean.NO_COLOR;
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8", env: { ...clean, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function result(stdout: string): Record<string, unknown> {
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
  assert.ok(line, `no result in ${stdout}`);
  return JSON.parse(line.slice(line.indexOf("{")));
}

test("no arguments list every experiment and group, nested and indented", () => {
  const r = cli([]);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, "");
  assert.equal(
    r.stdout,
    [
      "Usage: cli-script.ts [group ...] <experiment> [options]",
      "",
      "Experiments:",
      "  train      Train a model on the training set and write checkpoints to the",
      "             output directory.",
      "  tools      (group) Utilities.",
      "    eval     Evaluate a checkpoint.",
      "    deep     (group)",
      "      probe",
      "  crash",
      "",
      "Run 'cli-script.ts <experiment> --help' to see an experiment's parameters.",
      "",
    ].join("\n"),
  );
  assert.equal(cli(["--help"]).stdout, r.stdout);
});

test("--help of a representative experiment: flags, placeholders, defaults, required, sections, no hidden", () => {
  const r = cli(["train", "--help"]);
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    [
      "Usage: cli-script.ts train [options]",
      "",
      "Train a model on the training set and write checkpoints to the output directory.",
      "",
      "Parameters:",
      "  -h, --help               Show this help message and exit.",
      "  --lr <float>             Learning rate. Default: 0.1.",
      "  --epochs <int>           Number of passes over the data. Default: 10.",
      "  --optimizer <sgd|adam>   Optimizer. Default: sgd.",
      "  --layers <int...>        Hidden layer sizes.",
      "  --verbose, --no-verbose  Print more. Default: false.",
      "  --name <value>           Name of the run. Required.",
      "  --config <json>          Extra settings as JSON.",
      "  --seed-text <value>      A value computed when the run starts. Default:",
      "                           <computed>.",
      "  --params-file <path>     Read parameters from a YAML file.",
      "",
      "Data:",
      "  Where the data comes from.",
      "  --data-dir <path>        Directory with the dataset. Default: ./data.",
      "  --batch-size <int>       Samples per batch. Default: 32.",
      "",
    ].join("\n"),
  );
  assert.ok(r.stdout.split("\n").every((l) => l.length <= 80));
  assert.doesNotMatch(r.stdout, /secret/);
  // -h among other options still shows help (after the options parse), exit 0.
  const mixed = cli(["train", "--lr", "1", "-h"]);
  assert.equal(mixed.code, 0);
  assert.equal(mixed.stdout, r.stdout);
});

test("colour only when forced or on a TTY, never with NO_COLOR", () => {
  assert.doesNotMatch(cli(["train", "--help"]).stdout, /\x1b\[/);
  assert.match(cli(["train", "--help"], { FORCE_COLOR: "1" }).stdout, /\x1b\[36m--lr\x1b\[39m/);
  assert.doesNotMatch(cli(["train", "--help"], { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout, /\x1b\[/);
  assert.match(cli(["trian"], { FORCE_COLOR: "1" }).stderr, /^\x1b\[1;31mError:\x1b\[0m /);
});

test("runs an experiment and a nested group member with parsed values", () => {
  const r = cli(["train", "--name", "run1", "--lr", "-0.5", "--layers", "1", "2", "--config", '{"a":1}', "--no-verbose"]);
  assert.equal(r.code, 0, r.stderr);
  const v = result(r.stdout);
  assert.deepEqual([v.name, v.lr, v.layers, v.config, v.verbose, v.secret], ["run1", -0.5, [1, 2], { a: 1 }, false, 1]);
  const e = cli(["tools", "deep", "probe", "--device", "cuda"]);
  assert.equal(e.code, 0, e.stderr);
  assert.deepEqual(result(e.stdout), { device: "cuda" });
});

test("every kind of bad input: one Error: line, a pointer to --help, exit 2, no stack", () => {
  const badYaml = join(dir, "bad.yaml");
  writeFileSync(badYaml, "name: [oops\n");
  const unknownKey = join(dir, "unknown.yaml");
  writeFileSync(unknownKey, "name: x\nnmae: y\n");
  const cases: [string[], string, string][] = [
    [["trian"], "Unknown experiment 'trian'. Did you mean 'train'?", "Run 'cli-script.ts --help' to list the experiments."],
    [["tools", "evl"], "Unknown experiment 'evl' in group 'tools'. Did you mean 'eval'?", "Run 'cli-script.ts tools --help' to list the experiments."],
    [["--lr", "1"], "Unknown option '--lr': give the experiment name first (cli-script.ts <experiment> [options]).", "Run 'cli-script.ts --help' to list the experiments."],
    [["train", "--name", "x", "--lrr", "1"], "Unknown option '--lrr'. Did you mean --lr?", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--name", "x", "--lr", "fast"], "Invalid value for --lr: Expected a number, got 'fast'.", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--name", "x", "--epochs", "2.5"], "Invalid value for --epochs: Expected an integer, got '2.5'.", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--name", "x", "--optimizer", "rmsprop"], "Invalid value for --optimizer: Expected one of 'sgd', 'adam', got 'rmsprop'.", "Run 'cli-script.ts train --help' for usage."],
    [["train"], "Missing required parameter --name.", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--name"], "Option --name needs a value.", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--name", "--verbose"], "Option --name needs a value.", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--name", "x", "stray"], "Unexpected argument 'stray' (options are given as --name value).", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--name", "x", "--", "--lr", "1"], "Unexpected argument '--lr' (options are given as --name value).", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--verbose=yes"], "Option --verbose takes no value (use --verbose or --no-verbose).", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--params-file", join(dir, "missing.yaml")], `Params file '${join(dir, "missing.yaml")}' does not exist.`, "Run 'cli-script.ts train --help' for usage."],
    [["train", "--params-file", badYaml], "", "Run 'cli-script.ts train --help' for usage."],
    [["train", "--params-file", unknownKey], `Unknown parameter 'nmae' in params file '${unknownKey}'. Did you mean 'name'?`, "Run 'cli-script.ts train --help' for usage."],
  ];
  for (const [args, message, pointer] of cases) {
    const r = cli(args);
    const label = args.join(" ");
    assert.equal(r.code, 2, label);
    assert.equal(r.stdout, "", label);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, `${label}: ${r.stderr}`);
    if (message) assert.equal(lines[0], `Error: ${message}`, label);
    else assert.match(lines[0]!, /^Error: Params file '.*bad.yaml' is not valid YAML: /, label);
    assert.equal(lines[1], pointer, label);
  }
});

test("an exception from main exits 1 with its stack", () => {
  const r = cli(["crash"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error: boom in main\n\s+at /);
  assert.match(r.stderr, /cli-script\.ts/);
});

test("a closed pipe ends the listing quietly", () => {
  const r = spawnSync("bash", ["-c", `"${process.execPath}" --import tsx "${many}" | head -n 1; echo "status=\${PIPESTATUS[0]}"`], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(r.stdout, "Usage: many.ts [group ...] <experiment> [options]\nstatus=0\n");
  assert.equal(r.stderr, "");
});
