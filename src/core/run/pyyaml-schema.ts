// PyYAML's implicit resolvers and SafeConstructor, exactly (yaml/resolver.py, yaml/constructor.py):
// params files move between Python pystematic and this port, so a plain scalar must mean here what
// `yaml.safe_load` makes of it. YAML 1.1's `y`/`n` are strings to PyYAML, `1e5` is a string (its
// floats need a dot and a signed exponent), `017` is octal and `1:30` is 90.
import type { ScalarTag } from "yaml";

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** base-60 digits `a:b:c` as PyYAML sums them. */
function sexagesimal(digits: string, parse: (part: string) => number): number {
  return digits.split(":").reduce((sum, part) => sum * 60 + parse(part), 0);
}

/** PyYAML's construct_yaml_int: a number, or a bigint beyond 2^53 (Python ints have no limit). */
function constructInt(text: string): number | bigint {
  let value = text.replace(/_/g, "");
  let sign = 1;
  if (value[0] === "-" || value[0] === "+") {
    if (value[0] === "-") sign = -1;
    value = value.slice(1);
  }
  if (value === "0") return 0;
  let big: bigint;
  if (value.startsWith("0b")) big = BigInt(value);
  else if (value.startsWith("0x")) big = BigInt(value);
  else if (value.startsWith("0")) big = BigInt(`0o${value.slice(1)}`);
  else if (value.includes(":")) return sign * sexagesimal(value, Number);
  else big = BigInt(value);
  const signed = sign < 0 ? -big : big;
  const n = Number(signed);
  return Number.isSafeInteger(n) ? n : signed;
}

/** PyYAML's construct_yaml_float. */
function constructFloat(text: string): number {
  let value = text.replace(/_/g, "").toLowerCase();
  let sign = 1;
  if (value[0] === "-" || value[0] === "+") {
    if (value[0] === "-") sign = -1;
    value = value.slice(1);
  }
  if (value === ".inf") return sign * Infinity;
  if (value === ".nan") return NaN;
  if (value.includes(":")) return sign * sexagesimal(value, Number);
  return sign * Number(value);
}

const pyNull: ScalarTag = {
  tag: "tag:yaml.org,2002:null",
  default: true,
  test: NULL,
  identify: (value) => value === null || value === undefined,
  resolve: () => null,
  stringify: () => "null",
};

const pyBool: ScalarTag = {
  tag: "tag:yaml.org,2002:bool",
  default: true,
  test: BOOL,
  identify: (value) => typeof value === "boolean",
  resolve: (text) => ["yes", "true", "on"].includes(text.toLowerCase()),
  stringify: ({ value }) => (value ? "true" : "false"),
};

const pyInt: ScalarTag = {
  tag: "tag:yaml.org,2002:int",
  default: true,
  test: INT,
  identify: (value) => typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value) && !Object.is(value, -0)),
  resolve: (text) => constructInt(text),
  stringify: ({ value }) => String(value),
};

/** Writes floats so PyYAML reads floats back: a dot in the mantissa and a signed exponent. */
function formatFloat(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  const text = String(value);
  if (!/e/i.test(text)) return text.includes(".") ? text : `${text}.0`;
  const [mantissa = "", exponent = ""] = value.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}e${exponent.startsWith("-") ? exponent : `+${exponent.replace("+", "")}`}`;
}

const pyFloat: ScalarTag = {
  tag: "tag:yaml.org,2002:float",
  default: true,
  test: FLOAT,
  identify: (value) => typeof value === "number",
  resolve: (text) => constructFloat(text),
  stringify: ({ value }) => formatFloat(Number(value)),
};

// PyYAML builds datetime objects; a parameter reads them as their text (its str() differs only
// in spacing for full timestamps).
const pyTimestamp: ScalarTag = {
  tag: "tag:yaml.org,2002:timestamp",
  default: true,
  test: TIMESTAMP,
  resolve: (text) => text,
};

// PyYAML resolves a plain `=` to the value tag, which safe_load cannot construct.
const pyValue: ScalarTag = {
  tag: "tag:yaml.org,2002:value",
  default: true,
  test: /^=$/,
  resolve: (_text, onError) => {
    onError("a plain '=' is YAML 1.1's value type, which PyYAML's safe_load cannot read (quote it)");
    return "=";
  },
};

/** The scalar tags of PyYAML's safe_load, in its resolver's order; maps, sequences and strings stay the library's. */
export const pyyamlScalarTags: readonly ScalarTag[] = [pyNull, pyBool, pyInt, pyFloat, pyTimestamp, pyValue];

const KEPT = new Set(["map", "seq", "str", "binary", "merge", "omap", "pairs", "set"].map((name) => `tag:yaml.org,2002:${name}`));

/** The `customTags` option for the yaml library: its collections and strings, PyYAML's scalars. */
export function pyyamlTags<T>(tags: T[]): (T | ScalarTag)[] {
  const kept = tags.filter((tag) => KEPT.has(typeof tag === "string" ? `tag:yaml.org,2002:${tag}` : String((tag as { tag?: string }).tag)));
  return [...kept, ...pyyamlScalarTags];
}
