// torch.set_printoptions (torch/_tensor_str.py's PRINT_OPTS): how tensors print. print.ts reads
// these options each time it formats a tensor.
import { bindArgs } from "../binding/index.js";

/** The printing options, as Python's PRINT_OPTS holds them (`sciMode` null: chosen per tensor). */
export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sciMode: boolean | null;
}

/** @internal The live options (print.ts). */
export const PRINT_OPTS: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };

const PROFILES: Record<string, Omit<PrintOptions, "sciMode">> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

function count(name: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !(Number.isInteger(value) || value === Infinity) || value < 0) {
    throw new TypeError(`setPrintoptions(): argument '${name}' must be a non-negative integer, not ${String(value)}`);
  }
  return value;
}

/**
 * Sets how tensors print, as torch.set_printoptions: `precision` (digits after the point, 4),
 * `threshold` (elements past which a tensor is summarised, 1000), `edgeitems` (items kept at each
 * end when summarising, 3), `linewidth` (80), `profile` (`"default"`, `"short"`, `"full"`: sets
 * the four), `sciMode` (true/false forces scientific notation on or off; null, the default, lets
 * each tensor choose). As in Python, `sciMode` is reset by every call that does not give it.
 *
 * @example
 * torch.setPrintoptions({ precision: 2 });
 * String(torch.tensor([1.23456])); // "tensor([1.23])"
 */
export function setPrintoptions(...args: unknown[]): void {
  const a = bindArgs<{ precision: unknown; threshold: unknown; edgeitems: unknown; linewidth: unknown; profile: unknown; sciMode: unknown }>(
    "torch.set_printoptions",
    args,
  );
  const next: PrintOptions = { ...PRINT_OPTS };
  if (a.profile !== null) {
    const profile = typeof a.profile === "string" ? PROFILES[a.profile] : undefined;
    if (profile === undefined) throw new TypeError(`setPrintoptions(): profile must be "default", "short" or "full", not ${String(a.profile)}`);
    Object.assign(next, profile);
  }
  next.precision = count("precision", a.precision) ?? next.precision;
  if (next.precision > 100) throw new RangeError("setPrintoptions(): precision must be at most 100");
  next.threshold = count("threshold", a.threshold) ?? next.threshold;
  next.edgeitems = count("edgeitems", a.edgeitems) ?? next.edgeitems;
  next.linewidth = count("linewidth", a.linewidth) ?? next.linewidth;
  if (a.sciMode !== null && typeof a.sciMode !== "boolean") {
    throw new TypeError(`setPrintoptions(): argument 'sci_mode' must be a boolean or null, not ${String(a.sciMode)}`);
  }
  next.sciMode = a.sciMode;
  Object.assign(PRINT_OPTS, next);
}

/** The current printing options (torch._tensor_str.get_printoptions, public in 2.x). */
export function getPrintoptions(): PrintOptions {
  return { ...PRINT_OPTS };
}
