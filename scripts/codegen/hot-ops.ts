// The generated fast path: for each overload of scripts/codegen/hot-op-list.ts, one unboxed N-API
// export (native/ops/hot-ops.generated.cpp) converting its arguments by their schema types, and
// the hot Tensor methods (src/torch/generated/hot-methods.ts) that call it when a call fits the
// overload exactly and the generated boxed method otherwise. Run by scripts/codegen/generate.ts.
import { camel, parseSchema, type Schema, type SchemaArg } from "./schema.js";
import { HOT_OVERLOADS } from "./hot-op-list.js";

/** A native_functions.yaml entry: what the generator reads of it. */
export interface HotYamlEntry {
  func: string;
  variants?: string;
  /** Kernels by dispatch key (`CPU, CUDA: add_out`). */
  dispatch?: Record<string, string>;
  /** A structured op: its kernel is its `.out` overload's. */
  structured_delegate?: string;
}

const DENSE_KERNEL_KEYS = new Set(["CPU", "CUDA", "CompositeExplicitAutograd", "CompositeExplicitAutogradNonFunctional"]);

/**
 * Has a dense kernel of its own in this version (structured, or a CPU/CUDA/CompositeExplicit
 * kernel), not a CompositeImplicitAutograd decomposition into other ops.
 */
const hasOwnKernel = (e: HotYamlEntry): boolean =>
  e.structured_delegate !== undefined ||
  Object.keys(e.dispatch ?? {}).some((keys) => keys.split(",").some((k) => DENSE_KERNEL_KEYS.has(k.trim())));

interface HotOverload {
  /** `aten::add.Tensor` */
  qualified: string;
  schema: Schema;
  /** Arguments the export takes, `self` first: the schema's arguments without a default. */
  taken: SchemaArg[];
  /** The native export's name: `hot_add_Tensor`. */
  exportName: string;
  /** Returns its (written) self: an in-place method. */
  inPlace: boolean;
  method: string;
  variants: Set<string>;
  /** A kernel of its own in every version (see hasOwnKernel). */
  ownKernel: boolean;
}

export interface HotFiles {
  cpp: string;
  ts: string;
  /** The Tensor method names the hot methods take over. */
  methodNames: Set<string>;
}

const isIntList = (a: SchemaArg): boolean => a.type.list && (a.type.base === "int" || a.type.base === "SymInt");

/** The schema as C++ sees it: SymInt is int64_t in the plain (non-`_symint`) C++ API. */
const cppShape = (text: string): string => text.replace(/\bSymInt\b/g, "int");

function findEntry(entries: readonly HotYamlEntry[], qualified: string): HotYamlEntry | undefined {
  const want = qualified.replace(/^aten::/, "");
  return entries.find((e) => e && typeof e.func === "string" && e.func.startsWith(`${want}(`));
}

/** Each hot overload, checked against every version's schema: their C++ signatures must agree. */
function hotOverloads(yamls: ReadonlyMap<string, readonly HotYamlEntry[]>): HotOverload[] {
  const out: HotOverload[] = [];
  for (const qualified of HOT_OVERLOADS) {
    const perVersion = [...yamls].map(([v, entries]) => [v, findEntry(entries, qualified)] as const);
    const missing = perVersion.filter(([, e]) => e === undefined).map(([v]) => v);
    if (missing.length) throw new Error(`hot-op-list.ts: ${qualified} is not in libtorch ${missing.join(", ")}`);
    const texts = new Set(perVersion.map(([, e]) => cppShape(e!.func)));
    if (texts.size > 1) throw new Error(`hot-op-list.ts: ${qualified}'s C++ signature differs between versions: ${[...texts].join(" | ")}`);
    const newest = perVersion[perVersion.length - 1]![1]!;
    const schema = parseSchema(newest.func);
    const taken = schema.args.filter((a) => a.default === undefined);
    if (taken[0]?.name !== "self" || schema.args.some((a, i) => a.default === undefined && i >= taken.length)) {
      throw new Error(`hot-op-list.ts: ${qualified} needs self first and its required arguments before any default`);
    }
    for (const a of taken) {
      if (a.type.optional || a.type.optionalElements || !cppArg(a)) throw new Error(`hot-op-list.ts: ${qualified}: unsupported argument type of '${a.name}'`);
    }
    if (schema.returns.length !== 1 || schema.returns[0]!.type.base !== "Tensor" || schema.returns[0]!.type.list) {
      throw new Error(`hot-op-list.ts: ${qualified} must return one Tensor`);
    }
    const retAlias = schema.returns[0]!.type.alias;
    const inPlace = retAlias?.endsWith("!") ?? false;
    const writes = schema.args.some((a) => a.type.alias?.endsWith("!"));
    if (writes && !(inPlace && schema.args[0]!.type.alias === retAlias)) throw new Error(`hot-op-list.ts: ${qualified} writes an argument other than its returned self`);
    const variants = new Set((newest.variants ?? "function").split(",").map((v) => v.trim()));
    out.push({
      qualified,
      schema,
      taken,
      exportName: `hot_${schema.name}${schema.overload ? `_${schema.overload}` : ""}`,
      inPlace,
      method: camel(schema.name),
      variants,
      ownKernel: perVersion.every(([, e]) => hasOwnKernel(e!)),
    });
  }
  return out;
}

/** The C++ expression reading argument `i` of schema type `a`, or undefined when not supported. */
function cppArg(a: SchemaArg, i = 0): string | undefined {
  const name = JSON.stringify(a.name);
  if (isIntList(a)) return `int_list_arg(env, args[${i}], ${name})`;
  if (a.type.list) return undefined;
  switch (a.type.base) {
    case "Tensor": return `tensor_arg(env, args[${i}], ${name})`;
    case "Scalar": return `scalar_arg(env, args[${i}], ${name})`;
    case "int": case "SymInt": return `int_arg(env, args[${i}], ${name})`;
    case "float": return `number_arg(env, args[${i}], ${name})`;
    case "bool": return `bool_arg(env, args[${i}], ${name})`;
    default: return undefined;
  }
}

function cppExport(o: HotOverload): string {
  const lines: string[] = [];
  lines.push(`// ${o.qualified}: ${o.schema.text}`);
  lines.push(`napi_value ${o.exportName}(napi_env env, napi_callback_info info) {`);
  lines.push("  PST_TRY");
  lines.push("  check_interrupt(env);");
  lines.push("  Args args(env, info);");
  const vars = o.taken.map((a, i) => {
    const v = `a${i}`;
    const read = cppArg(a, i)!;
    lines.push(`  ${a.type.base === "Tensor" && !a.type.list ? "const at::Tensor&" : "const auto"} ${v} = ${read};`);
    return v;
  });
  const tensors = o.taken.map((a, i) => (a.type.base === "Tensor" && !a.type.list ? `&a${i}` : "")).filter(Boolean);
  const into = `args[${o.taken.length}]`;
  const rest = vars.slice(1).join(", ");
  const viaMethod = o.inPlace || !o.variants.has("function");
  const call = viaMethod ? `a0.${o.schema.name}(${rest})` : `at::${o.schema.name}(${vars.join(", ")})`;
  // As the boxed engine (native/ops/engine.cpp, plain_entry): an op with its own kernel whose
  // return has no alias annotation returns a new tensor, so ADInplaceOrView has nothing to record;
  // a CompositeImplicitAutograd op's inner ops may return a view, so it keeps ADInplaceOrView.
  const functional = !o.inPlace && o.schema.returns[0]!.type.alias === undefined && o.ownKernel;
  const guard = functional ? "at::AutoDispatchBelowADInplaceOrView" : "at::AutoDispatchBelowAutograd";
  lines.push(`  BelowIfPlain<${guard}> below({${tensors.join(", ")}});`);
  if (o.inPlace) {
    lines.push(`  ${call};`);
    lines.push("  return make_undefined(env);  // the method returns `this`, as PyTorch returns self");
  } else {
    lines.push(`  return wrap_into(env, ${into}, ${call});`);
  }
  lines.push("  PST_CATCH(env)");
  lines.push("}");
  return lines.join("\n");
}

function cppFile(hot: HotOverload[], header: string): string {
  return (
    header +
    "// The hot ops' unboxed exports, one per overload of scripts/codegen/hot-op-list.ts: arguments\n" +
    "// converted by their schema types, the op called through its C++ API. Raw N-API on purpose: the\n" +
    "// per-call overhead of a 1-element op is what these exist for (docs/performance.md).\n" +
    '#include "binding/binding.h"\n\n' +
    "namespace pst {\nnamespace {\n\n" +
    "// Each export enters below autograd through BelowIfPlain (binding/convert.h). An op that returns\n" +
    "// a view or writes its input keeps ADInplaceOrView (views and version counters stay true); a\n" +
    "// functional op with a kernel of its own skips it too, as its autograd kernel does, so the views\n" +
    "// its kernel makes inside get no autograd metadata.\n\n" +
    hot.map(cppExport).join("\n\n") +
    "\n\n}  // namespace\n\n" +
    "void register_hot_op_exports(napi_env env, napi_value exports) {\n" +
    "  define_exports(env, exports,\n                 {\n" +
    hot.map((o) => `                     {"${o.exportName}", ${o.exportName}},`).join("\n") +
    "\n                 });\n}\n\n}  // namespace pst\n"
  );
}

/** The JS test that `value` fits schema argument `a` exactly (the boxed engine would bind it there). */
function fits(a: SchemaArg, value: string): string {
  if (a.type.base === "Tensor") return `${value} instanceof Tensor`;
  if (a.type.base === "Scalar") return `isScalar(${value})`;
  if (a.type.base === "int" || a.type.base === "SymInt") return `Number.isInteger(${value})`;
  if (a.type.base === "float") return `typeof ${value} === "number"`;
  if (a.type.base === "bool") return `typeof ${value} === "boolean"`;
  throw new Error(`no fit test for ${a.type.base}`);
}

const jsValue = (a: SchemaArg, value: string): string => (a.type.base === "Tensor" ? `(${value} as Tensor)._h` : `${value} as ${tsType(a)}`);

function tsType(a: SchemaArg): string {
  if (isIntList(a)) return "readonly number[]";
  switch (a.type.base) {
    case "Tensor": return "Handle";
    case "Scalar": return "Scalar";
    case "bool": return "boolean";
    default: return "number";
  }
}

/** The call of overload `o`'s export with JS values `values`, returning what the method returns. */
function tsCall(o: HotOverload, values: string[]): string {
  const native = `N.${o.exportName}(this._h${values.map((v) => `, ${v}`).join("")}${o.inPlace ? "" : ", takeHandle()"})`;
  return o.inPlace ? `{\n    ${native};\n    return this;\n  }` : `return new Tensor(${native});`;
}

/**
 * One hot method. Fixed parameters (`a0`..`aK`, K the largest hot arity) rather than a rest array:
 * measured ~5 % of a 1-element add. A call fits an overload of arity j when it gives at most K+1
 * arguments, `a0`..`a(j-1)` fit its types and the rest are undefined (a trailing undefined is no
 * argument, as for the boxed methods); any other call goes to the boxed method with its arguments.
 */
function tsMethod(method: string, overloads: HotOverload[], op: number): string {
  const intList = overloads.find((o) => o.taken.length === 2 && isIntList(o.taken[1]!));
  if (intList) {
    if (overloads.length > 1) throw new Error(`hot-op-list.ts: Tensor.${method}: an int-list overload must be the method's only hot one`);
    // Python's varargs sizes (`t.reshape(2, 3)`), as the generated types allow.
    return [
      `proto.${method} = function ${method}(this: Tensor, ...args: unknown[]): unknown {`,
      "  let n = args.length;",
      "  while (n > 0 && args[n - 1] === undefined) n--;",
      "  if (n < args.length) args = args.slice(0, n);",
      `  if (n === 1 && Array.isArray(args[0])) ${tsCall(intList, ["args[0] as readonly number[]"])}`,
      `  if (n > 0 && args.every((v) => Number.isInteger(v))) ${tsCall(intList, ["args as number[]"])}`,
      `  return callMethod(${op}, this, args);`,
      "};",
    ].join("\n");
  }
  const k = Math.max(...overloads.map((o) => o.taken.length - 1));
  const params = Array.from({ length: k + 1 }, (_, i) => `a${i}?: unknown`);
  const lines = [`proto.${method} = function ${method}(this: Tensor, ${params.join(", ")}): unknown {`];
  lines.push(`  if (arguments.length <= ${k + 1}) {`);
  for (const o of overloads) {
    const args = o.taken.slice(1);
    const tests = [
      ...args.map((a, i) => fits(a, `a${i}`)),
      ...Array.from({ length: k + 1 - args.length }, (_, i) => `a${args.length + i} === undefined`),
    ];
    const call = tsCall(o, args.map((a, i) => jsValue(a, `a${i}`))).replace(/\n/g, "\n  ");
    lines.push(`    if (${tests.join(" && ")}) ${call}`);
  }
  lines.push("  }");
  lines.push(`  return callMethod(${op}, this, Array.prototype.slice.call(arguments) as unknown[]);`);
  lines.push("};");
  return lines.join("\n");
}

function tsFile(hot: HotOverload[], methodOps: ReadonlyMap<string, number>, header: string): string {
  const byMethod = new Map<string, HotOverload[]>();
  for (const o of hot) byMethod.set(o.method, [...(byMethod.get(o.method) ?? []), o]);
  const decls = hot.map((o) => {
    const params = o.taken.map((a) => `${camel(a.name)}: ${tsType(a)}`);
    return `  ${o.exportName}(${params.join(", ")}${o.inPlace ? "" : ", into?: Handle"}): ${o.inPlace ? "void" : "Handle"};`;
  });
  const methods = [...byMethod].map(([method, overloads]) => {
    const op = methodOps.get(method);
    if (op === undefined) throw new Error(`hot-op-list.ts: Tensor.${method} is not a generated method`);
    return tsMethod(method, overloads, op);
  });
  const body = methods.join("\n");
  return (
    header +
    "// The hot Tensor methods (scripts/codegen/hot-op-list.ts): a call that fits a hot overload exactly\n" +
    "// goes to its unboxed export (native/ops/hot-ops.generated.cpp), any other to the generated boxed\n" +
    "// method; their types are the generated ones (methods.types.ts). Own properties of\n" +
    "// Tensor.prototype, so they are found before the generated methods one prototype up.\n" +
    'import { onNativeLoad, type Handle } from "../native.js";\n' +
    'import { Tensor, type Scalar } from "../tensor/tensor.js";\n' +
    'import { takeHandle } from "../tensor/scope.js";\n' +
    'import { callMethod } from "../ops/runtime.js";\n' +
    'import "./table.js";\n\n' +
    "/** The addon's hot exports (native/ops/hot-ops.generated.cpp); `into`: see scope.ts. */\n" +
    `export interface HotOpExports {\n${decls.join("\n")}\n}\n\n` +
    "let N: HotOpExports;\n" +
    "onNativeLoad((addon) => {\n  N = addon;\n});\n\n" +
    'const isScalar = (v: unknown): v is Scalar => typeof v === "number" || typeof v === "boolean" || typeof v === "bigint";\n' +
    (body.includes("isScalar(") ? "" : "void isScalar;\n") +
    "const proto = Tensor.prototype as unknown as Record<string, unknown>;\n\n" +
    body +
    "\n\n/** The hot methods' names, and the overloads each tries first. */\n" +
    `export const HOT_METHODS: ReadonlyMap<string, readonly string[]> = new Map([\n${[...byMethod]
      .map(([m, os]) => `  [${JSON.stringify(m)}, [${os.map((o) => JSON.stringify(o.qualified)).join(", ")}]],`)
      .join("\n")}\n]);\n`
  );
}

/**
 * The hot files' texts. `yamls`: each covered version's native_functions.yaml entries;
 * `methodOps`: each generated Tensor method's op-table index (the boxed fallback).
 */
export function generateHotOps(yamls: ReadonlyMap<string, readonly HotYamlEntry[]>, methodOps: ReadonlyMap<string, number>, header: string): HotFiles {
  const hot = hotOverloads(yamls);
  return { cpp: cppFile(hot, header), ts: tsFile(hot, methodOps, header), methodNames: new Set(hot.map((o) => o.method)) };
}

/** The method names the hot list takes over, without generating (the generator needs them first). */
export function hotMethodNames(): Set<string> {
  return new Set(HOT_OVERLOADS.map((q) => camel(q.replace(/^aten::/, "").split(".")[0]!)));
}
