// Summary values in the shapes TensorBoard's plugins read: scalars as simple_value, images as
// Summary.Image (PNG), histograms as HistogramProto, text as a DT_STRING tensor for the text plugin,
// hparams as the HParams plugin's session start/end info.
import { createHash } from "node:crypto";
import { DT_FLOAT, DT_STRING, hparamsPluginDataType, HPARAMS_STATUS } from "./proto.js";
import type { HistogramData } from "./histogram.js";

export const HPARAMS_SESSION_START_TAG = "_hparams_/session_start_info";
export const HPARAMS_SESSION_END_TAG = "_hparams_/session_end_info";

/** A hyperparameter value as the HParams plugin stores it. */
export type HParamValue = number | string | boolean;
export type HParamStatus = keyof typeof HPARAMS_STATUS;

export function scalarValue(tag: string, value: number): object {
  return { tag, simpleValue: value };
}

export function imageValue(tag: string, png: Uint8Array, width: number, height: number, channels: number): object {
  return { tag, image: { height, width, colorspace: channels, encodedImageString: png } };
}

export function histogramValue(tag: string, histogram: HistogramData): object {
  return { tag, histo: histogram };
}

const TEXT_METADATA = { pluginData: { pluginName: "text", content: new Uint8Array(0) } };

export function textValue(tag: string, text: string): object {
  return {
    tag,
    metadata: TEXT_METADATA,
    tensor: { dtype: DT_STRING, tensorShape: { dim: [{ size: 1 }] }, stringVal: [Buffer.from(text, "utf8")] },
  };
}

// The HParams plugin's summaries carry an empty float tensor (its metadata.NULL_TENSOR).
const NULL_TENSOR = { dtype: DT_FLOAT, tensorShape: { dim: [{ size: 0 }] } };

function hparamsValue(tag: string, data: object): object {
  const content = hparamsPluginDataType().encode({ version: 0, ...data }).finish();
  return { tag, metadata: { pluginData: { pluginName: "hparams", content } }, tensor: NULL_TENSOR };
}

/**
 * The session start info that puts this run in TensorBoard's HPARAMS table; its metrics are the
 * run's own scalar tags. Sessions with equal hparams share a group (named as TensorBoard does:
 * sha256 of the sorted-key JSON).
 */
export function hparamsStartValue(hparams: Record<string, HParamValue>, startTimeSecs: number): object {
  const sorted = Object.fromEntries(Object.keys(hparams).sort().map((k) => [k, hparams[k]]));
  const groupName = createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
  const values: Record<string, object> = {};
  for (const [name, value] of Object.entries(hparams)) {
    values[name] =
      typeof value === "number" ? { numberValue: value }
      : typeof value === "boolean" ? { boolValue: value }
      : { stringValue: value };
  }
  return hparamsValue(HPARAMS_SESSION_START_TAG, {
    sessionStartInfo: { hparams: values, groupName, startTimeSecs },
  });
}

export function hparamsEndValue(status: HParamStatus, endTimeSecs: number): object {
  return hparamsValue(HPARAMS_SESSION_END_TAG, {
    sessionEndInfo: { status: HPARAMS_STATUS[status], endTimeSecs },
  });
}

/**
 * Plain params to hparams values: numbers, strings and booleans as they are, null and undefined
 * left out, anything else (arrays, objects, bigints) as its JSON text.
 */
export function toHParams(params: Readonly<Record<string, unknown>>): Record<string, HParamValue> {
  const out: Record<string, HParamValue> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") out[name] = value;
    else if (typeof value === "bigint") out[name] = Number(value);
    else out[name] = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)) ?? String(value);
  }
  return out;
}
