// The Python signatures of the hand-written layer, read from the generated table of the running
// libtorch's version (scripts/signatures/generate.py), parsed on first use.
import { toCamelCase } from "../../util/naming.js";
import { version } from "../version.js";
import { signatureTableJson as table113 } from "./signatures-1.13.generated.js";
import { signatureTableJson as table26 } from "./signatures-2.6.generated.js";
import { typeCheck, type TypeCheck } from "./type-checks.js";
import { unsupportedArguments } from "./deviations.js";

/** How a parameter is passed: p positional-or-keyword, k keyword-only, v *args, w **kwargs. */
export type ParamKind = "p" | "k" | "v" | "w";

/** One parameter of a Python signature. */
export interface ParamSpec {
  /** Python's name (`kernel_size`). */
  readonly python: string;
  /** The TypeScript name: camelCase (`kernelSize`), the key in an options object. */
  readonly name: string;
  readonly kind: ParamKind;
  /** The type token from the table (`int|int[2]`), checked by `check`. */
  readonly type: string;
  readonly check: TypeCheck;
  /** Whether Python gives a default; `defaultValue` is undefined where the callable computes it. */
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  /** Why a value other than the default is refused (deviations.ts), if it is. */
  readonly unsupported?: string;
}

/** A callable's signature: its parameters in Python's order. */
export interface CallableSignature {
  readonly qualname: string;
  /** How errors name it: `nn.Conv2d`, `nn.functional.maxPool2d`. */
  readonly displayName: string;
  readonly params: readonly ParamSpec[];
  /** The positional-or-keyword parameters, in order. */
  readonly positional: readonly ParamSpec[];
  readonly byName: ReadonlyMap<string, ParamSpec>;
  readonly varargs: ParamSpec | undefined;
  readonly varkw: ParamSpec | undefined;
}

type Row = [python: string, kind: ParamKind, type: string, defaultValue?: unknown];

const tables: Record<string, string> = { "1.13": table113, "2.6": table26 };
let parsed: Record<string, Row[]> | undefined;
const cache = new Map<string, CallableSignature>();

/** The table of the running libtorch's version, or the newest older one. */
function rows(): Record<string, Row[]> {
  if (parsed) return parsed;
  const only = Object.keys(tables);
  // With one table there is nothing to choose: binding then never loads libtorch.
  if (only.length === 1) return (parsed = JSON.parse(tables[only[0]]) as Record<string, Row[]>);
  const running = version.major * 1000 + version.minor;
  const versions = Object.keys(tables)
    .map((v) => ({ v, n: Number(v.split(".")[0]) * 1000 + Number(v.split(".")[1]) }))
    .sort((a, b) => b.n - a.n);
  const chosen = versions.find((x) => x.n <= running) ?? versions[versions.length - 1];
  parsed = JSON.parse(tables[chosen.v]) as Record<string, Row[]>;
  return parsed;
}

/** `kernel_size` -> `kernelSize`: the experiment parameters' rule (src/util/naming.ts). */
export const camelCase = toCamelCase;

function displayName(qualname: string): string {
  const parts = qualname.replace(/^torch\./, "").split(".");
  // Python's `t(x)` (`__call__`) is `t.call(x)` here.
  return parts.map((p) => (p === "__call__" ? "call" : /^[a-z_0-9]+$/.test(p) && p.includes("_") ? camelCase(p) : p)).join(".");
}

function decodeDefault(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeDefault);
  if (value !== null && typeof value === "object") {
    const special = value as { $?: string; $dtype?: string; $repr?: string };
    if (special.$ === "inf") return Infinity;
    if (special.$ === "-inf") return -Infinity;
    if (special.$ === "nan") return NaN;
    if (special.$dtype !== undefined) return special.$dtype;
    return undefined; // computed by the callable ($repr: a function or object default)
  }
  return value;
}

/** The signature of `qualname` (`torch.nn.Conv2d`), from the running version's table. */
export function signatureOf(qualname: string): CallableSignature {
  const hit = cache.get(qualname);
  if (hit) return hit;
  const table = rows()[qualname];
  if (table === undefined) throw new Error(`internal: no Python signature for ${qualname} in the signature table`);
  const params = table.map(([python, kind, type, ...rest]): ParamSpec => ({
    python,
    name: camelCase(python),
    kind,
    type,
    check: typeCheck(type),
    hasDefault: rest.length > 0,
    defaultValue: rest.length > 0 ? decodeDefault(rest[0]) : undefined,
    unsupported: unsupportedArguments[qualname]?.[python],
  }));
  const sig: CallableSignature = {
    qualname,
    displayName: displayName(qualname),
    params,
    positional: params.filter((p) => p.kind === "p"),
    byName: new Map(params.filter((p) => p.kind === "p" || p.kind === "k").map((p) => [p.name, p])),
    varargs: params.find((p) => p.kind === "v"),
    varkw: params.find((p) => p.kind === "w"),
  };
  cache.set(qualname, sig);
  return sig;
}

/** Every qualified name in the running version's table (for the parity and coverage tests). */
export function signatureNames(): string[] {
  return Object.keys(rows());
}
