// Run-time checks for the signature table's type tokens (`int|int[2]`, `Tensor|None`, `dtype`).
// Classes the binding layer cannot import (Module, Optimizer, ...) register their own check.
import { Tensor } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { OrderedDict } from "../serialization/records.js";

/** Whether a value fits a parameter's type, and how Python would name that type. */
export interface TypeCheck {
  (value: unknown): boolean;
  readonly expected: string;
}

const DTYPES: ReadonlySet<string> = new Set<DType>([
  "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
  "complex32", "complex64", "complex128", "bool", "bfloat16",
]);

// What Python's torch.device accepts from a string.
const DEVICE = /^(cpu|cuda|meta|mps|xpu|hip)(:\d+)?$/;

const isInt = (v: unknown): boolean => (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint";

const simple: Record<string, (v: unknown) => boolean> = {
  any: () => true,
  None: (v) => v === null,
  Tensor: (v) => v instanceof Tensor,
  int: isInt,
  float: (v) => typeof v === "number" || typeof v === "bigint",
  bool: (v) => typeof v === "boolean",
  str: (v) => typeof v === "string",
  dtype: (v) => typeof v === "string" && DTYPES.has(v),
  device: (v) => typeof v === "string" && DEVICE.test(v),
  callable: (v) => typeof v === "function",
  // torch.load gives a Python dict as a Map and an OrderedDict (a state dict) as an OrderedDict.
  dict: (v) => v instanceof Map || isPlainObject(v) || v instanceof OrderedDict,
};

const registered = new Map<string, (v: unknown) => boolean>();

/** Lets a class the binding cannot import (`Module`) be checked by its table token. */
export function registerTypeCheck(token: string, check: (value: unknown) => boolean): void {
  registered.set(token, check);
}

/** A plain `{...}` object: what the options object and dict arguments are. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function single(token: string): (v: unknown) => boolean {
  const list = /^(\w+)\[(\d*)\]$/.exec(token);
  if (list) {
    const element = single(list[1]);
    const length = list[2] === "" ? undefined : Number(list[2]);
    return (v) => Array.isArray(v) && (length === undefined || v.length === length) && v.every(element);
  }
  const known = simple[token];
  if (known) return known;
  // A class token (Module, Optimizer): checked once its module registered it, else accepted.
  return (v) => {
    const check = registered.get(token);
    return check === undefined || check(v);
  };
}

const PYTHON_NAMES: Record<string, string> = { Tensor: "Tensor", None: "None", str: "str", dict: "dict" };

function expectedText(tokens: string[]): string {
  const names = tokens.map((t) => {
    const list = /^(\w+)\[(\d*)\]$/.exec(t);
    if (list) return list[2] ? `a list of ${list[2]} ${list[1]}s` : `a list of ${list[1]}s`;
    return PYTHON_NAMES[t] ?? t;
  });
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

const checks = new Map<string, TypeCheck>();

/** The check for a type token, made once per distinct token. */
export function typeCheck(token: string): TypeCheck {
  const hit = checks.get(token);
  if (hit) return hit;
  const tokens = token.split("|");
  const parts = tokens.map(single);
  const fn = (parts.length === 1 ? parts[0] : (v: unknown) => parts.some((p) => p(v))) as TypeCheck;
  Object.defineProperty(fn, "expected", { value: expectedText(tokens) });
  checks.set(token, fn);
  return fn;
}
