import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { parse } from "yaml";
import { formatParametersYaml } from "../src/core/run/parameters-yaml.js";

// Strings YAML 1.1 would read as something else, numbers PyYAML is picky about, nesting.
const values = {
  output_dir: "./output",
  debug: false,
  params_file: null,
  random_seed: 1366639998,
  subprocess: null,
  local_rank: 0,
  yes_word: "yes",
  on_word: "on",
  off_upper: "Off",
  y_word: "y",
  null_word: "null",
  tilde: "~",
  empty: "",
  sexagesimal: "1:20",
  octal_like: "012",
  underscored: "1_000",
  date_like: "2001-12-14",
  inf_word: ".inf",
  value_key: "=",
  merge_key: "<<",
  hash: "# not a comment",
  colon: "a: b",
  quote: "'q'",
  multiline: "two\nlines",
  unicode: "é ünïcode",
  tiny: 1e-7,
  huge: 1e21,
  negative_exp: -2.5e-300,
  plain_float: 0.1,
  negative_int: -4,
  sizes: [1, 2, 3],
  nested: { z: 1, a: { depth: -1, name: null, flag: "no" } },
};

test("parameters.yaml: keys sorted, block style, top-level example as in the original", () => {
  const text = formatParametersYaml({ output_dir: "./output", random_seed: 1366639998, debug: false, subprocess: null, local_rank: 0, params_file: null });
  assert.equal(text, "debug: false\nlocal_rank: 0\noutput_dir: ./output\nparams_file: null\nrandom_seed: 1366639998\nsubprocess: null\n");
});

test("parameters.yaml: read back with the same values by our YAML reader", () => {
  assert.deepEqual(parse(formatParametersYaml(values), { version: "1.1" }), values);
  assert.deepEqual(parse(formatParametersYaml(values)), values);
});

const python = "/usr/bin/python3";
test("parameters.yaml: PyYAML (YAML 1.1) reads back the same values", { skip: existsSync(python) ? false : `${python} not found` }, () => {
  const script = "import sys, yaml, json; print(json.dumps(yaml.load(sys.stdin, Loader=yaml.FullLoader)))";
  const output = execFileSync(python, ["-c", script], { input: formatParametersYaml(values), encoding: "utf8" });
  assert.deepEqual(JSON.parse(output), values);
  const safe = execFileSync(python, ["-c", script.replace("yaml.load(sys.stdin, Loader=yaml.FullLoader)", "yaml.safe_load(sys.stdin)")], {
    input: formatParametersYaml(values),
    encoding: "utf8",
  });
  assert.deepEqual(JSON.parse(safe), values);
});
