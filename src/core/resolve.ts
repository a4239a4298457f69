// Value resolution (spec 1.4 and 3.4): values from the command line or run() in order, a params
// file at the moment its parameter is set, then environment variables, then defaults. null and
// empty lists count as unset. The parameter's type applies to every source.

import type { ExperimentDefinition } from "./experiment.js";
import type { ParameterInfo } from "./parameter-set.js";
import { UsageError } from "./errors.js";
import { closestNames } from "./naming.js";

/** How a value reached us, for parsing (text is parsed, values are checked) and for messages. */
export type ValueSource =
  | { kind: "cli" }
  | { kind: "run" }
  | { kind: "file"; path: string }
  | { kind: "env"; name: string }
  | { kind: "default" };

const UNSET: unique symbol = Symbol("unset");

const TRUE_WORDS = new Set(["yes", "true", "t", "y", "1", "on"]);
const FALSE_WORDS = new Set(["no", "false", "f", "n", "0", "off"]);

/** A value of any source shown in a message. */
function show(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function describe(info: ParameterInfo, source: ValueSource): string {
  switch (source.kind) {
    case "cli":
      return `Invalid value for ${info.flag}`;
    case "run":
      return `Invalid value for parameter '${info.name}'`;
    case "file":
      return `Invalid value for '${info.fileKey}' in params file '${source.path}'`;
    case "env":
      return `Invalid value for ${info.flag} in environment variable ${source.name}`;
    case "default":
      return `Invalid default value for parameter '${info.name}'`;
  }
}

/** Parses one element. `text` is true for strings typed by a person (command line, environment). */
function parseElement(info: ParameterInfo, value: unknown, text: boolean): unknown {
  const o = info.options;
  if (o.allowedValues) {
    const wanted = String(value).toLowerCase();
    const hit = o.allowedValues.find((a) => String(a).toLowerCase() === wanted);
    if (hit === undefined) {
      throw new Error(`expected one of ${o.allowedValues.map(show).join(", ")}, got ${show(value)}.`);
    }
    return hit;
  }
  const type = o.isFlag ? "boolean" : (o.type ?? "string");
  if (typeof type === "function") {
    if (typeof value !== "string") return value;
    try {
      return type(value);
    } catch (e) {
      throw new Error(e instanceof Error ? e.message : String(e));
    }
  }
  switch (type) {
    case "string":
    case "path":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
      throw new Error(`expected a string, got ${show(value)}.`);
    case "int": {
      if (typeof value === "number" && Number.isSafeInteger(value)) return value;
      if (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))) {
        throw new Error(`expected an integer within ±2^53, got ${String(value)}.`);
      }
      if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) {
        const n = Number(value);
        if (Number.isSafeInteger(n)) return n;
      }
      throw new Error(`expected an integer, got ${show(value)}.`);
    }
    case "float": {
      if (typeof value === "number") return value;
      if (typeof value === "string") {
        const s = value.trim().toLowerCase();
        if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
        if (s === "nan") return NaN;
        const n = Number(s);
        if (s !== "" && !Number.isNaN(n) && !/^[+-]?0[xob]/.test(s)) return n;
      }
      throw new Error(`expected a number, got ${show(value)}.`);
    }
    case "boolean": {
      if (typeof value === "boolean") return value;
      const s = String(value).toLowerCase();
      if ((typeof value === "string" || typeof value === "number") && TRUE_WORDS.has(s)) return true;
      if ((typeof value === "string" || typeof value === "number") && FALSE_WORDS.has(s)) return false;
      throw new Error(`expected a boolean (true/false, yes/no, 1/0), got ${show(value)}.`);
    }
    case "json": {
      let parsed = value;
      if (text && typeof value === "string") {
        try {
          parsed = JSON.parse(value);
        } catch (e) {
          throw new Error(`expected JSON, got ${show(value)} (${(e as Error).message}).`);
        }
      }
      if (nestingDepth(parsed) > MAX_JSON_DEPTH) {
        throw new Error(`expected JSON nested at most ${MAX_JSON_DEPTH} levels deep (parameters.yaml must stay readable by PyYAML).`);
      }
      return parsed;
    }
  }
}

// PyYAML's recursive composer fails past ~400 levels: deeper values would make a parameters.yaml
// that Python pystematic cannot read, and our own writer recurses too.
const MAX_JSON_DEPTH = 300;

/** How deeply arrays and objects nest in `value` (0 for a scalar), counted without recursion. */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Parses a value of any source; UNSET for null, undefined and empty lists. */
function parseValue(info: ParameterInfo, value: unknown, source: ValueSource): unknown {
  if (value === null || value === undefined) return UNSET;
  const text = source.kind === "cli" || source.kind === "env";
  try {
    if (info.options.multiple) {
      if (!Array.isArray(value)) throw new Error(`expected a list of values, got ${show(value)}.`);
      // An empty list given counts as unset; an empty default list is the value.
      if (value.length === 0) return source.kind === "default" ? [] : UNSET;
      return value.map((v: unknown) => parseElement(info, v, text));
    }
    if (Array.isArray(value)) {
      if (value.length === 0) return UNSET;
      throw new Error(`expected a single value, got a list of length ${value.length}.`);
    }
    return parseElement(info, value, text);
  } catch (e) {
    const msg = (e as Error).message;
    throw new UsageError(`${describe(info, source)}: ${msg.charAt(0).toUpperCase()}${msg.slice(1)}`);
  }
}

/** Collects values for one experiment in the order they are applied. */
export class Resolution {
  private readonly values = new Map<string, unknown>();
  private readonly params: readonly ParameterInfo[];

  constructor(private readonly exp: ExperimentDefinition) {
    this.params = exp.getParameters();
  }

  /** Applies one value; a params-file parameter also applies its file's keys now. */
  async apply(info: ParameterInfo, value: unknown, source: ValueSource): Promise<void> {
    const parsed = parseValue(info, value, source);
    if (parsed === UNSET) {
      this.values.delete(info.name);
      return;
    }
    this.values.set(info.name, parsed);
    if (info.options.isParamsFile) await this.applyFile(String(parsed));
  }

  private async applyFile(path: string): Promise<void> {
    const data = await readParamsFile(path);
    for (const [key, value] of Object.entries(data)) {
      const info = this.params.find((p) => p.fileKey === key) ?? this.params.find((p) => p.name === key);
      if (!info) {
        const near = closestNames(key, this.params.filter((p) => p.options.allowFromFile !== false).map((p) => p.fileKey));
        throw new UsageError(
          `Unknown parameter '${key}' in params file '${path}'.${near.length ? ` Did you mean ${near.map((n) => `'${n}'`).join(" or ")}?` : ""}`,
        );
      }
      // A params file never loads another params file, nor internal values (subprocess, local rank).
      if (info.options.allowFromFile === false || info.options.isParamsFile) continue;
      await this.apply(info, value, { kind: "file", path });
    }
  }

  /** Fills what is still unset from the environment, then from defaults, and checks required ones. */
  async finish(env: NodeJS.ProcessEnv, requiredName: (info: ParameterInfo) => string): Promise<Record<string, unknown>> {
    for (const info of this.params) {
      if (this.values.has(info.name) || info.envvar === null) continue;
      const raw = env[info.envvar];
      if (raw === undefined || raw === "") continue;
      // Lists come split on ':' and ','; a single value is taken whole (paths and URLs hold ':').
      const value = info.options.multiple ? raw.split(/[:,]/).filter((s) => s !== "") : raw;
      await this.apply(info, value, { kind: "env", name: info.envvar });
    }
    for (const info of this.params) {
      if (this.values.has(info.name)) continue;
      let d: unknown = Object.hasOwn(this.exp.defaults, info.name) ? this.exp.defaults[info.name] : info.options.default;
      if (typeof d === "function") d = (d as () => unknown)();
      if ((d === undefined || d === null) && info.options.isFlag) d = false;
      await this.apply(info, d, { kind: "default" });
    }
    const out: Record<string, unknown> = {};
    for (const info of this.params) {
      if (!this.values.has(info.name) && info.options.required) {
        throw new UsageError(`Missing required parameter ${requiredName(info)}.`);
      }
      out[info.name] = this.values.has(info.name) ? this.values.get(info.name) : null;
    }
    return out;
  }
}

/** Reads a params file: a YAML mapping (YAML 1.1, as PyYAML reads it). */
export async function readParamsFile(path: string): Promise<Record<string, unknown>> {
  const { readFile } = await import("node:fs/promises");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`Params file '${path}' does not exist.`);
    throw new UsageError(`Cannot read params file '${path}': ${(e as Error).message}`);
  }
  const { parse } = await import("yaml");
  const { pyyamlTags } = await import("./run/pyyaml-schema.js");
  let data: unknown;
  try {
    data = parse(text, { version: "1.1", customTags: pyyamlTags, maxAliasCount: 1000 });
  } catch (e) {
    const first = (e as Error).message.split("\n")[0];
    throw new UsageError(`Params file '${path}' is not valid YAML: ${first}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new UsageError(`Params file '${path}' must hold a mapping of parameter names to values.`);
  }
  return data as Record<string, unknown>;
}

/** Resolves values given to `run()`: keys must be parameter names; applied in parameter order. */
export async function resolveFromObject(
  exp: ExperimentDefinition,
  given: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, unknown>> {
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new UsageError(`run() expects an object of parameter values, got ${show(given)}.`);
  }
  const params = exp.getParameters();
  const names = params.map((p) => p.name);
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) {
      const near = closestNames(key, names);
      throw new UsageError(
        `'${key}' is not a recognized parameter name of experiment '${exp.name}'.${near.length ? ` Did you mean ${near.map((n) => `'${n}'`).join(" or ")}?` : ""} Valid names: ${names.join(", ")}.`,
      );
    }
  }
  const resolution = new Resolution(exp);
  for (const info of params) {
    if (Object.hasOwn(given, info.name)) await resolution.apply(info, given[info.name], { kind: "run" });
  }
  return resolution.finish(env, (info) => `'${info.name}'`);
}
