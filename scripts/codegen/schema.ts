// Parsing of native_functions.yaml schemas: `name.overload(Type arg=default, *, ...) -> returns`.

export interface SchemaType {
  /** Tensor, int, SymInt, float, bool, Scalar, ScalarType, Layout, Device, MemoryFormat, str, Dimname, Generator, ... */
  base: string;
  /** `[]` or `[N]`: a list; `size` is N when given. */
  list: boolean;
  size?: number;
  /** `?` on the whole type (`int[]?`). */
  optional: boolean;
  /** `Tensor?[]`: optional elements. */
  optionalElements: boolean;
  /** Alias annotation, e.g. `a!` (written) or `a` (a view). */
  alias?: string;
}

export interface SchemaArg {
  name: string;
  type: SchemaType;
  default?: string;
  kwargOnly: boolean;
}

export interface SchemaReturn {
  name?: string;
  type: SchemaType;
}

export interface Schema {
  name: string;
  overload: string;
  args: SchemaArg[];
  returns: SchemaReturn[];
  text: string;
}

/** Splits at top-level commas (brackets, parentheses and strings nest). */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

export function parseType(text: string): SchemaType {
  const m = /^([A-Za-z]+)(?:\(([^)]*)\))?(\?)?(?:\[(\d*)\])?(\?)?$/.exec(text.trim());
  if (!m) throw new Error(`cannot parse schema type '${text}'`);
  const [, base, alias, elemOpt, size, listOpt] = m;
  const list = m[4] !== undefined;
  return {
    base: base!,
    list,
    ...(size ? { size: Number(size) } : {}),
    optional: list ? listOpt === "?" : elemOpt === "?",
    optionalElements: list && elemOpt === "?",
    ...(alias ? { alias: alias.trim() } : {}),
  };
}

export function parseSchema(text: string): Schema {
  const m = /^([\w.]+)\((.*)\)\s*->\s*(.*)$/.exec(text.trim());
  if (!m) throw new Error(`cannot parse schema '${text}'`);
  const [full, argText, retText] = [m[1]!, m[2]!, m[3]!.trim()];
  const dot = full.indexOf(".");
  const name = dot < 0 ? full : full.slice(0, dot);
  const overload = dot < 0 ? "" : full.slice(dot + 1);
  const args: SchemaArg[] = [];
  let kwargOnly = false;
  for (const part of splitTop(argText)) {
    if (part === "*") {
      kwargOnly = true;
      continue;
    }
    const eq = part.indexOf("=");
    const decl = (eq < 0 ? part : part.slice(0, eq)).trim();
    const sp = decl.lastIndexOf(" ");
    args.push({
      name: decl.slice(sp + 1),
      type: parseType(decl.slice(0, sp)),
      ...(eq < 0 ? {} : { default: part.slice(eq + 1).trim() }),
      kwargOnly,
    });
  }
  const returns: SchemaReturn[] = [];
  const inner = retText.startsWith("(") ? retText.slice(1, -1) : retText;
  for (const part of splitTop(inner)) {
    const sp = part.lastIndexOf(" ");
    // A name follows the type only when the last word is not part of an annotation.
    if (sp > 0 && !part.slice(0, sp).endsWith("(") && /^\w+$/.test(part.slice(sp + 1)) && !part.endsWith(")")) {
      returns.push({ name: part.slice(sp + 1), type: parseType(part.slice(0, sp)) });
    } else returns.push({ type: parseType(part) });
  }
  return { name, overload, args, returns, text: text.trim() };
}

/** An out= overload: its written (`a!`) tensors are keyword-only arguments. */
export function isOutOverload(s: Schema): boolean {
  return s.args.some((a) => a.kwargOnly && a.type.base === "Tensor" && a.type.alias?.endsWith("!"));
}

export function outArgs(s: Schema): SchemaArg[] {
  return s.args.filter((a) => a.kwargOnly && a.type.base === "Tensor" && a.type.alias?.endsWith("!"));
}

/** snake_case -> camelCase, keeping a trailing `_` (in-place) as is. */
export function camel(name: string): string {
  const trailing = name.endsWith("_") ? "_" : "";
  const core = trailing ? name.slice(0, -1) : name;
  return core.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()) + trailing;
}
