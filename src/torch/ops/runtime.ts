// The call path of the generated op surface (src/torch/generated): JS values in, the boxed op
// engine of native/ops/engine.cpp, Tensors out.
//
// Each generated function is a one-line stub `call(op, args)`; `op` indexes the generated op
// table, resolved against the dispatcher on first use, so importing the surface costs nothing
// and never loads libtorch.
import { native, shadowedMethods, Tensor } from "../tensor/tensor.js";
import { dtypeFromCode } from "../tensor/dtype.js";
import { returnHandle, takeHandle } from "../tensor/scope.js";
import type { Handle } from "../native.js";

/**
 * `aten::` name, overload names (comma separated; `#i;j` marks Dimname args, `@v+w` the libtorch
 * versions that have the overload when not all do), display name, named returns, flags.
 */
export type OpEntry = readonly [aten: string, overloads: string, display: string, returnNames?: string, flags?: string];

export type MemoryFormat = "contiguous_format" | "channels_last" | "channels_last_3d" | "preserve_format";
export type Layout = "strided" | "sparse_coo" | "sparse_csr";

// The table stays one string until the first op call: importing the surface costs one string.
let tableText = "";
let table: OpEntry[] | undefined;
let tableVersions: readonly string[] = [];
// Native ids of resolved ops (-1: not yet). A typed array: a sparse JS array of a few resolved
// ops among ~2000 turns into a hash table, and every call looked its id up by hashing.
let ids = new Int32Array(0);

/**
 * Called once by the generated table module: one op per line, fields separated by `|`;
 * `versions`: the libtorch versions (major.minor, comma separated) whose schemas it was made from.
 */
export function registerOpTable(text: string, versions: string): void {
  tableText = text;
  tableVersions = versions.split(",");
  table = undefined;
  ids = new Int32Array(0);
}

// Arguments some versions of an overload lack (error messages only; parsed on first use).
let argumentText = "";

/** Called once by the generated table module: `aten.overload|camelName@v+w;...` per line. */
export function registerArgumentVersions(text: string): void {
  argumentText = text;
}

/** The versions of each argument of `aten.overload` that not every version of it takes. */
function argumentVersionsOf(atenOverload: string): [name: string, versions: string[]][] {
  for (const line of argumentText.split("\n")) {
    const bar = line.indexOf("|");
    if (line.slice(0, bar) !== atenOverload) continue;
    return line
      .slice(bar + 1)
      .split(";")
      .map((item) => {
        const [name, versions] = item.split("@") as [string, string];
        return [name, versions.split("+")];
      });
  }
  return [];
}

/** The libtorch versions (major.minor) the generated surface was made from, oldest first. */
export function surfaceVersions(): readonly string[] {
  return tableVersions;
}

/** The versions that have overload `token` of a table entry (undefined: every surface version). */
export function overloadVersions(token: string): readonly string[] | undefined {
  return parseOverload(token).versions;
}

/** The op table (tests enumerate it). */
export function opTable(): readonly OpEntry[] {
  return (table ??= tableText.split("\n").map((line) => line.split("|") as unknown as OpEntry));
}

/** An overload token of the table: its name (with any `#` Dimname marker) and its versions (undefined: all). */
function parseOverload(token: string): { overload: string; versions: string[] | undefined } {
  const at = token.indexOf("@");
  return at < 0 ? { overload: token, versions: undefined } : { overload: token.slice(0, at), versions: token.slice(at + 1).split("+") };
}

/** The running libtorch's `major.minor`. */
function runningVersion(): string {
  return native().torchVersion.split(".").slice(0, 2).join(".");
}

/**
 * The versions of the generated surface that have entry `e`'s overloads, when the running
 * libtorch is not among them (undefined otherwise).
 */
function versionsLacking(overloads: readonly string[]): string[] | undefined {
  const running = runningVersion();
  const have = new Set<string>();
  for (const token of overloads) {
    const { versions } = parseOverload(token);
    if (versions === undefined) return undefined;
    if (versions.includes(running)) return undefined;
    for (const v of versions) have.add(v);
  }
  return [...have];
}

function resolve(op: number): number {
  const e = opTable()[op];
  if (e === undefined) throw new Error(`internal: unknown generated op ${op}`);
  const tokens = e[1].split(",");
  // Overloads the running libtorch lacks are skipped by opResolve (the dispatcher decides).
  let id: number;
  try {
    id = native().opResolve(`aten::${e[0]}`, tokens.map((t) => parseOverload(t).overload), e[2]);
  } catch (err) {
    const others = versionsLacking(tokens);
    if (others === undefined) throw err;
    throw new Error(`${e[2]} is not in libtorch ${native().torchVersion}; it is in ${others.join(" and ")}`);
  }
  if (ids.length === 0) ids = new Int32Array(opTable().length).fill(-1);
  ids[op] = id;
  return id;
}

function isOptions(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function unwrap(v: unknown): unknown {
  if (v instanceof Tensor) return v._h;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (v[i] instanceof Tensor) return v.map((x) => (x instanceof Tensor ? x._h : x));
    }
  }
  return v;
}

function unwrapOptions(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) out[k] = unwrap(o[k]);
  return out;
}

/** The given Tensor whose handle came back (in-place and out= results), or a new Tensor. */
function tensorFor(h: Handle, self: Tensor | undefined, args: unknown[], options: Record<string, unknown> | undefined): Tensor {
  if (self !== undefined && self._h === h) return self;
  for (const a of args) {
    if (a instanceof Tensor && a._h === h) return a;
  }
  if (options !== undefined) {
    for (const k in options) {
      const v = options[k];
      if (v instanceof Tensor && v._h === h) return v;
      if (Array.isArray(v)) for (const x of v) if (x instanceof Tensor && x._h === h) return x;
    }
  }
  return new Tensor(h);
}

function wrap(r: unknown, self: Tensor | undefined, args: unknown[], options: Record<string, unknown> | undefined): unknown {
  if (typeof r !== "object" || r === null) return r;
  if (Array.isArray(r)) {
    for (let i = 0; i < r.length; i++) r[i] = wrap(r[i], self, args, options);
    return r;
  }
  return tensorFor(r as Handle, self, args, options);
}

function finish(op: number, r: unknown, self: Tensor | undefined, args: unknown[], options: Record<string, unknown> | undefined): unknown {
  const out = wrap(r, self, args, options);
  const e = table![op]!;
  if (e[4] === "dtype") return dtypeFromCode(out as number);
  if (e[3] && Array.isArray(out)) {
    // Named returns (`values`, `indices`) as properties of the returned array, like Python's
    // named tuples: `const { values } = torch.max(x, 1)` and `const [v, i] = ...` both work.
    const names = e[3].split(",");
    if (names.length === out.length)
      for (let i = 0; i < names.length; i++) Object.defineProperty(out, names[i]!, { value: out[i], enumerable: false });
  }
  return out;
}

/** A generated function: `export const add: typeof T.add = op(3)`. */
export function op(id: number): (...args: unknown[]) => never {
  return (...args: unknown[]) => call(id, args) as never;
}

/** Calls generated op `op` as a function: `args` positional, a trailing plain object the options. */
export function call(op: number, args: unknown[]): unknown {
  return invoke(op, undefined, args);
}

/** Calls generated op `op` as a method of `self`. */
export function callMethod(op: number, self: Tensor, args: unknown[]): unknown {
  return invoke(op, self, args);
}

function invoke(op: number, self: Tensor | undefined, args: unknown[]): unknown {
  let id = op < ids.length ? ids[op]! : -1;
  if (id < 0) id = resolve(op);
  let n = args.length;
  let options: Record<string, unknown> | undefined;
  if (n !== 0 && isOptions(args[n - 1])) {
    options = args[n - 1] as Record<string, unknown>;
    n--;
  }
  const kwargs = options === undefined ? undefined : unwrapOptions(options);
  const h = self?._h;
  const into = takeHandle<Handle>();
  const N = native();
  // Positional values go as call arguments (the addon reads no array); the common arities
  // without building one here either.
  let r: unknown;
  try {
    if (n === 0) r = N.opCall(id, kwargs, h, into);
    else if (n === 1) r = N.opCall(id, kwargs, h, into, unwrap(args[0]));
    else if (n === 2) r = N.opCall(id, kwargs, h, into, unwrap(args[0]), unwrap(args[1]));
    else if (n === 3) r = N.opCall(id, kwargs, h, into, unwrap(args[0]), unwrap(args[1]), unwrap(args[2]));
    else {
      const unwrapped = new Array<unknown>(n);
      for (let i = 0; i < n; i++) unwrapped[i] = unwrap(args[i]);
      r = N.opCall(id, kwargs, h, into, ...unwrapped);
    }
  } catch (err) {
    throw withVersionNote(op, err);
  }
  if (into !== undefined && r !== into) returnHandle(into);
  return finish(op, r, self, args, options);
}

/**
 * A "no overload accepts" error of an op some of whose overloads the running libtorch lacks,
 * with those overloads and the versions that have them: the arguments may fit one of those.
 */
function withVersionNote(op: number, err: unknown): unknown {
  if (!(err instanceof Error) || !err.message.includes("no overload accepts")) return err;
  const e = opTable()[op]!;
  const running = runningVersion();
  const notes: string[] = [];
  for (const token of e[1].split(",")) {
    const { overload, versions } = parseOverload(token);
    const bare = overload.split("#")[0]!;
    const name = `aten::${e[0]}${bare ? `.${bare}` : ""}`;
    if (versions === undefined || versions.includes(running)) {
      // The overload is here, but maybe without an argument another version has.
      for (const [arg, argVersions] of argumentVersionsOf(`${e[0]}.${bare}`)) {
        if (argVersions.includes(running)) continue;
        notes.push(`\n  argument '${arg}' of ${name} is not in libtorch ${native().torchVersion}; it is in ${argVersions.join(" and ")}`);
      }
      continue;
    }
    notes.push(`\n  ${name} is not in libtorch ${native().torchVersion}; it is in ${versions.join(" and ")}`);
  }
  if (notes.length === 0) return err;
  const header = `${err.name}: ${err.message}`;
  err.message += notes.join("");
  if (err.stack?.startsWith(header)) err.stack = `${err.name}: ${err.message}${err.stack.slice(header.length)}`;
  return err;
}

/**
 * Installs generated methods one prototype above Tensor.prototype, so hand-written members
 * (on Tensor.prototype itself) win and stay fast; a name a hand-written member already has
 * also goes to `shadowedMethods` (DECISIONS: hand-written members win). Why a separate level:
 * ~500 more properties turn a prototype into a slow dictionary (measured: +25 % per hot op, and
 * GCs late enough to triple RSS growth in loops that never yield).
 */
export function installMethods(methods: string): void {
  const proto = Tensor.prototype as unknown as Record<string, unknown>;
  const generated: Record<string, unknown> = Object.create(Object.getPrototypeOf(proto) as object);
  for (const item of methods.split(",")) {
    const colon = item.indexOf(":");
    const name = item.slice(0, colon);
    const op = Number(item.slice(colon + 1));
    const fn = function (this: Tensor, ...args: unknown[]): unknown {
      return callMethod(op, this, args);
    };
    if (Object.prototype.hasOwnProperty.call(proto, name)) shadowedMethods.set(name, fn);
    generated[name] = fn;
  }
  Object.setPrototypeOf(proto, generated);
}

/**
 * Calls a dispatcher op resolved outside the generated table (`torch.ops.aten._unique2`): the
 * same argument convention as a generated op (positionals, a trailing options object), results
 * wrapped as Tensors.
 */
export function callResolved(id: number, args: unknown[]): unknown {
  let n = args.length;
  let options: Record<string, unknown> | undefined;
  if (n !== 0 && isOptions(args[n - 1])) {
    options = args[n - 1] as Record<string, unknown>;
    n--;
  }
  const unwrapped = new Array<unknown>(n);
  for (let i = 0; i < n; i++) unwrapped[i] = unwrap(args[i]);
  const r = native().opCall(id, options === undefined ? undefined : unwrapOptions(options), undefined, undefined, ...unwrapped);
  return wrap(r, undefined, args, options);
}
