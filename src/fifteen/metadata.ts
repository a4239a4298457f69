// Experiment metadata: one YAML file per name in `<dataDir>/metadata/`, written so PyYAML reads the
// same values (the run's parameters.yaml rules), read back optionally through a schema.
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomicSync } from "../core/run/atomic-write.js";
import { formatParametersYaml, yaml } from "../core/run/parameters-yaml.js";

/**
 * Checks and types a metadata value read from YAML:
 * - an object with `parse(value)` (a class with a static `parse`, or a schema library's object);
 * - a class: `new Class(value)` (its constructor checks and copies the fields);
 * - a validator function `(value) => T` that throws on bad input.
 */
export type MetadataSchema<T> =
  | { parse(value: unknown): T }
  | (new (value: never) => T)
  | ((value: unknown) => T);

export const METADATA_FOLDER = "metadata";

export function metadataPath(dataDir: string, name: string): string {
  if (typeof name !== "string" || name.length === 0 || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new Error(`metadata name must be a non-empty file name without path separators, got ${JSON.stringify(name)}`);
  }
  if (name.endsWith(".yaml") || name.endsWith(".yml")) {
    throw new Error(`metadata name '${name}' must not end in .yaml (the extension is added)`);
  }
  return path.join(dataDir, METADATA_FOLDER, `${name}.yaml`);
}

/** Writes `value` as YAML to `file`, atomically; class instances are written as their fields. */
export function writeYaml(file: string, value: unknown): void {
  // formatParametersYaml only builds a YAML document from the value; mappings are its usual input.
  const text = formatParametersYaml(yamlValue(value, "value") as Record<string, unknown>);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, text);
}

function yamlValue(value: unknown, where: string): unknown {
  switch (typeof value) {
    case "undefined":
      return null;
    case "function":
    case "symbol":
      throw new Error(`metadata: ${where} is a ${typeof value}, which YAML cannot hold`);
    case "object":
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (Array.isArray(value) || value instanceof Set) return [...value].map((item, i) => yamlValue(item, `${where}[${i}]`));
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) out[String(key)] = yamlValue(item, `${where}[${String(key)}]`);
    return out;
  }
  if (ArrayBuffer.isView(value)) throw new Error(`metadata: ${where} is binary data, which YAML metadata does not hold`);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = yamlValue(item, `${where}.${key}`);
  return out;
}

export function readYaml(file: string, name: string, schema?: MetadataSchema<unknown>): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`no metadata '${name}': ${file} does not exist`);
    throw e;
  }
  let value: unknown;
  try {
    value = yaml().parse(text, { version: "1.1" });
  } catch (e) {
    throw new Error(`metadata '${name}' (${file}) is not valid YAML: ${(e as Error).message.split("\n")[0]}`, { cause: e });
  }
  if (schema === undefined) return value;
  try {
    return applySchema(schema, value);
  } catch (e) {
    throw new Error(`metadata '${name}' (${file}) does not match its schema: ${(e as Error).message}`, { cause: e });
  }
}

function applySchema<T>(schema: MetadataSchema<T>, value: unknown): T {
  if (typeof (schema as { parse?: unknown }).parse === "function") return (schema as { parse(v: unknown): T }).parse(value);
  if (typeof schema !== "function") throw new Error("a schema is a class, a validator function or an object with parse()");
  if (isClass(schema as (...args: never[]) => unknown)) return new (schema as new (value: unknown) => T)(value);
  return (schema as (value: unknown) => T)(value);
}

function isClass(fn: (...args: never[]) => unknown): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}
