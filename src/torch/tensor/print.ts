// PyTorch's tensor printing (torch/_tensor_str.py): the same number formats, line wrapping,
// summarisation and dtype/device/grad suffixes, under torch.setPrintoptions (print-options.ts).
import type { Tensor } from "./tensor.js";
import { PRINT_OPTS } from "./print-options.js";

type Formatter = (v: number | boolean | bigint) => string;

function pyExp(v: number, digits: number): string {
  // JS: 1.0000e+0; Python: 1.0000e+00
  return v.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2");
}

function nonFinite(v: number): string | null {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return null;
}

function floatFormatter(values: number[]): Formatter {
  const precision = PRINT_OPTS.precision;
  const finite = values.filter((v) => Number.isFinite(v));
  const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
  const max = nonzero.length ? Math.max(...nonzero) : 0;
  const min = nonzero.length ? Math.min(...nonzero) : 0;
  const intMode = finite.length > 0 && finite.every((v) => Math.round(v) === v);
  const fixed = intMode ? (v: number) => `${v.toFixed(0)}.` : (v: number) => v.toFixed(precision);
  const sci = (v: number) => pyExp(v, precision);
  let autoSci = false;
  if (finite.length > 0 && nonzero.length > 0) {
    autoSci = intMode ? max / min > 1000 || max > 1e8 : max / min > 1000 || max > 1e8 || min < 1e-4;
  }
  // Python sizes the column by its own choice of notation, then applies sci_mode when set.
  const formatWith = (format: (v: number) => string) => (v: number | boolean | bigint) => {
    const n = Number(v);
    const s = nonFinite(n) ?? format(n);
    return Object.is(n, -0) && !s.startsWith("-") ? `-${s}` : s;
  };
  const auto = formatWith(finite.length === 0 ? (v) => v.toFixed(precision) : autoSci ? sci : fixed);
  const chosen = PRINT_OPTS.sciMode === null || finite.length === 0 ? auto : formatWith(PRINT_OPTS.sciMode ? sci : fixed);
  const width = Math.max(...values.map((v) => auto(v).length), 1);
  return (v) => chosen(v).padStart(width);
}

function plainFormatter(values: (number | boolean | bigint)[], toStr: Formatter): Formatter {
  const width = Math.max(...values.map((v) => toStr(v).length), 1);
  return (v) => toStr(v).padStart(width);
}

function isFloat(dtype: string): boolean {
  return dtype.startsWith("float") || dtype === "bfloat16";
}

/** Elements that will be shown (edge items of each dimension when summarising). */
function shownValues(data: ArrayLike<number | bigint>, shape: number[], summarize: boolean): (number | bigint)[] {
  if (!summarize) return Array.from(data);
  const edgeItems = PRINT_OPTS.edgeitems;
  const out: (number | bigint)[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (d: number, offset: number) => {
    if (d === shape.length) {
      out.push(data[offset]!);
      return;
    }
    const n = shape[d]!;
    const idx = n > 2 * edgeItems ? [...range(0, edgeItems), ...range(n - edgeItems, n)] : range(0, n);
    for (const i of idx) walk(d + 1, offset + i * strides[d]!);
  };
  walk(0, 0);
  return out;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

function formatBody(
  data: ArrayLike<number | bigint>,
  shape: number[],
  fmt: Formatter,
  indent: number,
  summarize: boolean,
  convert: (v: number | bigint) => number | boolean | bigint,
): string {
  const edgeItems = PRINT_OPTS.edgeitems;
  const lineWidth = PRINT_OPTS.linewidth;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (d: number, offset: number, ind: number): string => {
    const n = shape[d]!;
    const cut = summarize && n > 2 * edgeItems;
    const idx: (number | null)[] = cut ? [...range(0, edgeItems), null, ...range(n - edgeItems, n)] : range(0, n);
    if (d === shape.length - 1) {
      // Python writes the elision in a row as " ..." and wraps by the formatter's width.
      const items = idx.map((i) => (i === null ? " ..." : fmt(convert(data[offset + i * strides[d]!]!))));
      const elementWidth = Math.max(...items.filter((s) => s !== " ...").map((s) => s.length)) + 2;
      const perLine = Math.max(1, Math.floor((lineWidth - ind) / elementWidth));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
      return `[${lines.join(",\n" + " ".repeat(ind + 1))}]`;
    }
    const sep = "," + "\n".repeat(shape.length - d - 1) + " ".repeat(ind + 1);
    const parts = idx.map((i) => (i === null ? "..." : walk(d + 1, offset + i * strides[d]!, ind + 1)));
    return `[${parts.join(sep)}]`;
  };
  return walk(0, 0, indent);
}

export function formatTensor(t: Tensor): string {
  const dtype = t.dtype;
  const shape = t.shape;
  const numel = shape.reduce((a, b) => a * b, 1);
  const prefix = "tensor(";
  const suffixes: string[] = [];
  const device = t.device;
  if (device !== "cpu") suffixes.push(`device='${device}'`);

  let body: string;
  const complex = dtype.startsWith("complex");
  if (numel === 0) {
    body = "[]";
    if (!(shape.length === 1 && shape[0] === 0)) suffixes.push(`size=(${shape.join(", ")}${shape.length === 1 ? "," : ""})`);
  } else if (complex) {
    const flat = t.toTypedArray() as Float64Array;
    const re = Array.from(flat.filter((_, i) => i % 2 === 0));
    const im = Array.from(flat.filter((_, i) => i % 2 === 1));
    const fr = floatFormatter(re);
    const fi = floatFormatter(im.map(Math.abs));
    const items = re.map((r, i) => `${fr(r)}${im[i]! < 0 ? "-" : "+"}${fi(Math.abs(im[i]!)).trim()}j`);
    const idx = items.map((_, i) => i);
    const fmt: Formatter = (v) => items[Number(v)]!;
    body = shape.length === 0 ? items[0]! : formatBody(idx, shape, fmt, prefix.length, false, (v) => v);
  } else {
    const flat = t.toTypedArray() as ArrayLike<number | bigint>;
    const summarize = numel > PRINT_OPTS.threshold;
    const shown = shownValues(flat, shape, summarize);
    let fmt: Formatter;
    let convert: (v: number | bigint) => number | boolean | bigint = (v) => v;
    if (dtype === "bool") {
      convert = (v) => v !== 0;
      fmt = plainFormatter(shown.map(convert), (v) => (v ? "True" : "False"));
    } else if (isFloat(dtype)) {
      fmt = floatFormatter(shown.map(Number));
    } else {
      fmt = plainFormatter(shown, (v) => String(v));
    }
    body = shape.length === 0 ? fmt(convert(flat[0]!)).trim() : formatBody(flat, shape, fmt, prefix.length, summarize, convert);
  }

  if (dtype !== "float32" && dtype !== "int64" && dtype !== "bool") suffixes.push(`dtype=torch.${dtype}`);
  else if (numel === 0 && dtype !== "float32") suffixes.push(`dtype=torch.${dtype}`);
  const gradFn = t.gradFn;
  if (gradFn !== null) suffixes.push(`grad_fn=<${gradFn}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");

  let out = prefix + body;
  for (const s of suffixes) {
    const lastLine = out.slice(out.lastIndexOf("\n") + 1);
    out += lastLine.length + s.length + 2 > PRINT_OPTS.linewidth ? ",\n" + " ".repeat(prefix.length) + s : ", " + s;
  }
  return out + ")";
}
