import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { parse } from "yaml";
import { formatParametersYaml } from "../src/core/run/parameters-yaml.js";
import { pyyamlTags } from "../src/core/run/pyyaml-schema.js";

const python = "/usr/bin/python3";

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

test("parameters.yaml: read back with the same values by our YAML reader (PyYAML's resolver) and generic YAML 1.1/1.2 readers", () => {
  assert.deepEqual(parse(formatParametersYaml(values), { version: "1.1", customTags: pyyamlTags }), values);
  assert.deepEqual(parse(formatParametersYaml(values), { version: "1.1" }), values);
  assert.deepEqual(parse(formatParametersYaml(values)), values);
});

// Plain scalars whose meaning differs between YAML 1.1, YAML 1.2 and PyYAML (yaml/resolver.py).
const scalars = [
  "y", "Y", "n", "N", "yes", "No", "ON", "off", "true", "False", "TRUE", "tRue", "~", "null", "Null", "NULL", "",
  "1", "-1", "+1", "0", "00", "017", "08", "0b101", "-0b11", "0o17", "0x1F", "-0x1f", "1_000", "1:30", "-1:30:15", "190:20:30.15",
  "1.5", "1.", ".5", "-.5", "1e5", "1E5", "1.0e5", "1.0e+5", "1.0e-5", "6.8523015e+5", "1.23e29", "1_000.5", ".inf", "-.Inf",
  "+.INF", ".nan", ".NaN", "inf", "nan", "0x", "12e", "1:60", "=x", "<<x", "a b", "123456789012345678901", "-9007199254740993",
];

test("params files: every plain scalar reads as PyYAML's safe_load reads it", { skip: existsSync(python) ? false : `${python} not found` }, () => {
  const text = scalars.map((s, i) => `k${i}: ${s}`).join("\n") + "\nn: 1\ny: 2\n";
  const script = `import sys, yaml, json, math
d = yaml.safe_load(sys.stdin)
def enc(v):
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)): return {"float": repr(v)}
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53: return {"bigint": str(v)}
    return v
print(json.dumps({str(k): enc(v) for k, v in d.items()}))`;
  const expected = JSON.parse(execFileSync(python, ["-c", script], { input: text, encoding: "utf8" })) as Record<string, unknown>;
  const ours = parse(text, { version: "1.1", customTags: pyyamlTags }) as Record<string, unknown>;
  const encoded = Object.fromEntries(
    Object.entries(ours).map(([k, v]) => [
      k,
      typeof v === "bigint" ? { bigint: String(v) } : typeof v === "number" && !Number.isFinite(v) ? { float: Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf" } : v,
    ]),
  );
  for (const [key, value] of Object.entries(expected)) {
    const scalar = key.startsWith("k") ? scalars[Number(key.slice(1))] : key;
    assert.deepEqual(encoded[key], value, `'${scalar}'`);
  }
  assert.deepEqual(Object.keys(encoded).sort(), Object.keys(expected).sort(), "keys n and y stay strings");
});

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
