// Help text: an experiment's parameters (grouped by parameter group, 80 columns) and the listing
// of experiments and groups. Colour only on a TTY, never with NO_COLOR.

import type { ExperimentDefinition } from "./experiment.js";
import type { ExperimentGroup } from "./group.js";
import type { ParameterInfo } from "./parameter-set.js";
import { toKebabCase } from "../util/naming.js";

const WIDTH = 80;
const MAX_LEFT = 30;

export interface Style {
  heading(s: string): string;
  flag(s: string): string;
  metavar(s: string): string;
  strong(s: string): string;
  error(s: string): string;
}

const plain: Style = { heading: (s) => s, flag: (s) => s, metavar: (s) => s, strong: (s) => s, error: (s) => s };
const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const colour: Style = {
  heading: sgr(1, 22),
  flag: sgr(36, 39),
  metavar: sgr(32, 39),
  strong: sgr(1, 22),
  error: (s) => `\x1b[1;31m${s}\x1b[0m`,
};

/** Colour when the stream is a TTY and NO_COLOR is unset (FORCE_COLOR forces it). */
export function styleFor(stream: NodeJS.WriteStream): Style {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return plain;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return colour;
  return stream.isTTY ? colour : plain;
}

/** Wraps `text` to `width` columns (words longer than a line stay whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

function metavar(info: ParameterInfo): string {
  const o = info.options;
  if (o.isFlag) return "";
  let name: string;
  if (o.allowedValues) {
    const joined = o.allowedValues.map(String).join("|");
    name = joined.length <= 24 ? joined : "choice";
  } else if (typeof o.type === "function" || o.type === undefined || o.type === "string") name = "value";
  else if (o.type === "boolean") name = "bool";
  else name = o.type;
  return `<${name}${o.multiple ? "..." : ""}>`;
}

function showDefault(value: unknown): string | null {
  if (value === undefined || value === null || typeof value === "function") return null;
  if (typeof value === "string") return value === "" ? '""' : value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v) ?? String(v)).join(", ")}]`;
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

interface Row {
  flags: string;
  flagsStyled: string;
  help: string;
  helpStyled: string;
}

function parameterRow(exp: ExperimentDefinition, info: ParameterInfo, style: Style): Row {
  const o = info.options;
  const flags = o.isFlag ? [info.flag, `--no-${toKebabCase(info.name)}`] : [info.flag];
  const mv = metavar(info);
  const flagsText = flags.join(", ") + (mv ? ` ${mv}` : "");
  const flagsStyled = flags.map(style.flag).join(", ") + (mv ? ` ${style.metavar(mv)}` : "");
  const parts: string[] = [];
  const partsStyled: string[] = [];
  if (o.help) {
    parts.push(o.help);
    partsStyled.push(o.help);
  }
  if (o.allowedValues && mv === "<choice>") {
    const s = `One of: ${o.allowedValues.map(String).join(", ")}.`;
    parts.push(s);
    partsStyled.push(s);
  }
  const d = o.defaultHelp ?? showDefault(Object.hasOwn(exp.defaults, info.name) ? exp.defaults[info.name] : (o.default ?? (o.isFlag ? false : undefined)));
  if (d !== null) {
    parts.push(`Default: ${d}.`);
    partsStyled.push(`${style.strong("Default:")} ${d}.`);
  }
  if (o.required) {
    parts.push("Required.");
    partsStyled.push(style.strong("Required."));
  }
  return { flags: flagsText, flagsStyled, help: parts.join(" "), helpStyled: partsStyled.join(" ") };
}

/** Lays out rows as two columns: flags, then help wrapped to the line width. */
function table(rows: readonly Row[], indent: string, left = columnWidth(rows)): string[] {
  const helpCol = indent.length + left + 2;
  const out: string[] = [];
  for (const r of rows) {
    // Styled help is wrapped by its plain words, then the styled words are substituted back.
    const lines = wrapStyled(r.help, r.helpStyled, WIDTH - helpCol);
    if (r.flags.length > left) {
      out.push(indent + r.flagsStyled);
      for (const l of lines) out.push(" ".repeat(helpCol) + l);
    } else {
      const pad = " ".repeat(left - r.flags.length + 2);
      out.push(indent + r.flagsStyled + (lines.length ? pad + lines[0] : ""));
      for (const l of lines.slice(1)) out.push(" ".repeat(helpCol) + l);
    }
  }
  return out;
}

function columnWidth(rows: readonly Row[]): number {
  return Math.min(MAX_LEFT, Math.max(0, ...rows.map((r) => r.flags.length)));
}

/** Wraps by the plain text's word lengths, emitting the styled words. */
function wrapStyled(plainText: string, styled: string, width: number): string[] {
  const plainWords = plainText.split(/\s+/).filter((w) => w !== "");
  const styledWords = styled.split(/ +/).filter((w) => w !== "");
  if (plainWords.length !== styledWords.length) return wrap(plainText, width);
  const lines: string[] = [];
  let len = 0;
  let line: string[] = [];
  plainWords.forEach((w, i) => {
    if (line.length > 0 && len + 1 + w.length > width) {
      lines.push(line.join(" "));
      line = [];
      len = 0;
    }
    len += (line.length ? 1 : 0) + w.length;
    line.push(styledWords[i]!);
  });
  if (line.length) lines.push(line.join(" "));
  return lines;
}

/** `--help` of one experiment. */
export function experimentHelp(exp: ExperimentDefinition, prog: string, style: Style): string {
  const visible = exp.getParameters().filter((p) => !p.options.hidden);
  const helpRow: Row = {
    flags: "-h, --help",
    flagsStyled: `${style.flag("-h")}, ${style.flag("--help")}`,
    help: "Show this help message and exit.",
    helpStyled: "Show this help message and exit.",
  };
  const ungrouped = [helpRow, ...visible.filter((p) => p.group === null).map((p) => parameterRow(exp, p, style))];
  const sections: { title: string; help?: string; rows: Row[] }[] = [{ title: "Parameters:", rows: ungrouped }];
  for (const g of exp.getParamGroups()) {
    const rows = visible.filter((p) => p.group === g.name).map((p) => parameterRow(exp, p, style));
    if (rows.length) sections.push({ title: `${g.name}:`, help: g.help, rows });
  }
  const all = sections.flatMap((s) => s.rows);
  const lines = [`${style.heading("Usage:")} ${prog} [options]`, ""];
  if (exp.help) lines.push(...wrap(exp.help, WIDTH), "");
  // One left column width for every section keeps the help column aligned.
  const left = columnWidth(all);
  for (const s of sections) {
    lines.push(style.heading(s.title));
    if (s.help) lines.push(...wrap(s.help, WIDTH - 2).map((l) => `  ${l}`));
    lines.push(...table(s.rows, "  ", left));
    lines.push("");
  }
  return lines.join("\n");
}

type Entry = ExperimentDefinition | ExperimentGroup;

function isGroup(e: Entry): e is ExperimentGroup {
  return (e as ExperimentGroup).kind === "group";
}

/** Entries by name, the last definition of a name winning (a redefinition replaces). */
export function uniqueEntries(entries: readonly Entry[]): Entry[] {
  const byName = new Map<string, Entry>();
  for (const e of entries) {
    byName.delete(e.name);
    byName.set(e.name, e);
  }
  return [...byName.values()];
}

/** The listing: experiments and groups, nested and indented, one line of help each. */
export function listing(entries: readonly Entry[], prog: string, style: Style): string {
  const rows: Row[] = [];
  const walk = (list: readonly Entry[], depth: number) => {
    for (const e of uniqueEntries(list)) {
      const indent = "  ".repeat(depth);
      const help = isGroup(e) ? `(group)${e.help ? ` ${e.help}` : ""}` : (e.help ?? "");
      rows.push({ flags: indent + e.name, flagsStyled: indent + style.flag(e.name), help, helpStyled: help });
      if (isGroup(e)) walk(e.children, depth + 1);
    }
  };
  walk(entries, 0);
  const lines = [`${style.heading("Usage:")} ${prog} [group ...] <experiment> [options]`, ""];
  if (rows.length === 0) {
    lines.push("No experiments defined yet.", "");
    return lines.join("\n");
  }
  lines.push(style.heading("Experiments:"), ...table(rows, "  "), "");
  lines.push(`Run '${prog} <experiment> --help' to see an experiment's parameters.`, "");
  return lines.join("\n");
}
