import { test } from "node:test";
import assert from "node:assert/strict";
import { closestNames, toEnvVar, toFlag } from "../src/core/naming.js";
import { toCamelCase, toKebabCase, toSnakeCase } from "../src/util/naming.js";

test("camelCase keys convert to snake_case file keys and kebab-case flags", () => {
  const cases: [string, string][] = [
    ["outputDir", "output_dir"],
    ["randomSeed", "random_seed"],
    ["nprocPerNode", "nproc_per_node"],
    ["useGPU", "use_gpu"],
    ["useGPUDevice", "use_gpu_device"],
    ["fc1Size", "fc1_size"],
    ["lr", "lr"],
    ["my_exp", "my_exp"],
    ["HTTPServer", "http_server"],
  ];
  for (const [camel, snake] of cases) {
    assert.equal(toSnakeCase(camel), snake, camel);
    assert.equal(toKebabCase(camel), snake.replaceAll("_", "-"), camel);
  }
  assert.equal(toFlag("outputDir"), "--output-dir");
  assert.equal(toEnvVar("outputDir"), "PYSTEMATIC_OUTPUT_DIR");
  assert.equal(toEnvVar("lr"), "PYSTEMATIC_LR");
});

test("experiment names from function names follow the original's rule, in kebab case", () => {
  assert.equal(toKebabCase("myExp"), "my-exp");
  assert.equal(toKebabCase("my_exp_name"), "my-exp-name");
  assert.equal(toKebabCase("Edge_Case"), "edge-case");
  assert.equal(toKebabCase("_sweep_exp"), "-sweep-exp");
});

test("snake_case and kebab-case convert back to camelCase", () => {
  assert.equal(toCamelCase("output_dir"), "outputDir");
  assert.equal(toCamelCase("nproc-per-node"), "nprocPerNode");
  assert.equal(toCamelCase("fc1_size"), "fc1Size");
});

test("closest names are suggested for typos, nearest first", () => {
  assert.deepEqual(closestNames("trian", ["train", "eval", "tools"]), ["train"]);
  assert.deepEqual(closestNames("--lrr", ["--lr", "--epochs", "--layers"]).slice(0, 1), ["--lr"]);
  assert.deepEqual(closestNames("zzzzzz", ["train", "eval"]), []);
});
