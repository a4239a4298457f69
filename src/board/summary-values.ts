// What the board shows of a summary value, in both forms event files hold: TensorBoard 1.x's
// (simple_value, Summary.Image, HistogramProto) as our writer and tensorboardX write, and
// TensorBoard 2.x's tensors tagged by plugin (tensorboard/plugins/{scalar,image,histogram,text}/
// metadata.py and summary_v2.py): scalars a rank-0 tensor, images a string vector [width, height,
// png...], histograms a [k, 3] tensor of (left edge, right edge, count), text a string tensor.
import { hparamsPluginDataType, HPARAMS_STATUS } from "../recording/proto.js";
import { int64ToNumber, type DecodedTensor, type DecodedValue } from "./event-tail.js";

/** A histogram as the board draws it: non-empty buckets as flat (left, right, count) triples. */
export interface HistogramBuckets {
  buckets: number[];
  min: number;
  max: number;
  num: number;
}

export type HParamsStatus = keyof typeof HPARAMS_STATUS;

export type BoardValue =
  | { kind: "scalar"; tag: string; value: number }
  | { kind: "image"; tag: string; png: Uint8Array; width: number; height: number }
  | { kind: "histogram"; tag: string; histogram: HistogramBuckets }
  | { kind: "text"; tag: string; text: string }
  | { kind: "hparams"; hparams: Record<string, number | string | boolean> }
  | { kind: "hparamsEnd"; status: HParamsStatus };

const DT = { float: 1, double: 2, int32: 3, uint8: 4, int16: 5, int8: 6, string: 7, int64: 9, bool: 10 } as const;
const utf8 = new TextDecoder();

/** The board's reading of one summary value, or null for kinds it does not show (graphs, audio...). */
export function boardValue(value: DecodedValue): BoardValue | null {
  const tag = value.tag;
  if (Object.hasOwn(value, "simpleValue")) return { kind: "scalar", tag, value: value.simpleValue! };
  if (Object.hasOwn(value, "image") && value.image) {
    const { encodedImageString: png, width, height } = value.image;
    return { kind: "image", tag, png, width, height };
  }
  if (Object.hasOwn(value, "histo") && value.histo) return { kind: "histogram", tag, histogram: fromHistogramProto(value.histo) };
  const plugin = value.metadata?.pluginData?.pluginName ?? "";
  const tensor = Object.hasOwn(value, "tensor") ? value.tensor : undefined;
  if (plugin === "hparams") return hparamsValue(value.metadata!.pluginData!.content);
  if (tensor === undefined) return null;
  switch (plugin) {
    case "scalars": {
      const numbers = tensorNumbers(tensor);
      return numbers !== null && numbers.length === 1 ? { kind: "scalar", tag, value: numbers[0]! } : null;
    }
    case "text": {
      const strings = tensor.stringVal ?? [];
      return strings.length > 0 ? { kind: "text", tag, text: strings.map((s) => utf8.decode(s)).join("\n") } : null;
    }
    case "images": {
      const strings = tensor.stringVal ?? [];
      if (strings.length < 3) return null;
      const width = Number(utf8.decode(strings[0]!));
      const height = Number(utf8.decode(strings[1]!));
      return { kind: "image", tag, png: strings[2]!, width, height };
    }
    case "histograms": {
      const numbers = tensorNumbers(tensor);
      return numbers === null ? null : { kind: "histogram", tag, histogram: fromEdgeTriples(numbers) };
    }
    default:
      return null;
  }
}

/** A numeric tensor's values in row-major order, or null for strings and unknown dtypes. */
export function tensorNumbers(tensor: DecodedTensor): number[] | null {
  const content = tensor.tensorContent;
  if (content !== undefined && content.length > 0) {
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    const read = contentReader(tensor.dtype);
    if (read === null) return null;
    const out: number[] = new Array(Math.floor(content.byteLength / read.size));
    for (let i = 0; i < out.length; i++) out[i] = read.at(view, i * read.size);
    return out;
  }
  if (tensor.floatVal?.length) return Array.from(tensor.floatVal);
  if (tensor.doubleVal?.length) return Array.from(tensor.doubleVal);
  if (tensor.intVal?.length) return Array.from(tensor.intVal);
  if (tensor.int64Val?.length) return tensor.int64Val.map(int64ToNumber);
  if (tensor.boolVal?.length) return tensor.boolVal.map(Number);
  return tensor.dtype === DT.string ? null : [];
}

function contentReader(dtype: number): { size: number; at: (view: DataView, offset: number) => number } | null {
  switch (dtype) {
    case DT.float: return { size: 4, at: (v, o) => v.getFloat32(o, true) };
    case DT.double: return { size: 8, at: (v, o) => v.getFloat64(o, true) };
    case DT.int32: return { size: 4, at: (v, o) => v.getInt32(o, true) };
    case DT.uint8: return { size: 1, at: (v, o) => v.getUint8(o) };
    case DT.int16: return { size: 2, at: (v, o) => v.getInt16(o, true) };
    case DT.int8: return { size: 1, at: (v, o) => v.getInt8(o) };
    case DT.int64: return { size: 8, at: (v, o) => Number(v.getBigInt64(o, true)) };
    case DT.bool: return { size: 1, at: (v, o) => v.getUint8(o) };
    default: return null;
  }
}

/**
 * HistogramProto's buckets: bucket i spans (bucket_limit[i-1], bucket_limit[i]]; the outer edges
 * (±DBL_MAX) are clipped to the data's min and max, as TensorBoard does.
 */
function fromHistogramProto(h: NonNullable<DecodedValue["histo"]>): HistogramBuckets {
  const limits = h.bucketLimit ?? [];
  const counts = h.bucket ?? [];
  const buckets: number[] = [];
  for (let i = 0; i < limits.length; i++) {
    const count = counts[i] ?? 0;
    if (!(count > 0)) continue;
    const left = Math.max(i === 0 ? h.min : limits[i - 1]!, h.min);
    const right = Math.max(Math.min(limits[i]!, h.max), left);
    buckets.push(left, right, count);
  }
  return { buckets, min: h.min, max: h.max, num: h.num };
}

function fromEdgeTriples(numbers: number[]): HistogramBuckets {
  const buckets: number[] = [];
  let num = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i + 2 < numbers.length; i += 3) {
    const left = numbers[i]!, right = numbers[i + 1]!, count = numbers[i + 2]!;
    if (!(count > 0)) continue;
    buckets.push(left, right, count);
    num += count;
    min = Math.min(min, left);
    max = Math.max(max, right);
  }
  return { buckets, min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0, num };
}

interface DecodedHParams {
  sessionStartInfo?: { hparams?: Record<string, { numberValue?: number; stringValue?: string; boolValue?: boolean }> };
  sessionEndInfo?: { status?: number };
}

function hparamsValue(content: Uint8Array): BoardValue | null {
  let data: DecodedHParams;
  try {
    data = hparamsPluginDataType().toObject(hparamsPluginDataType().decode(content), { oneofs: false }) as DecodedHParams;
  } catch {
    return null;
  }
  if (data.sessionStartInfo) {
    const hparams: Record<string, number | string | boolean> = {};
    for (const [name, v] of Object.entries(data.sessionStartInfo.hparams ?? {})) {
      if (v.numberValue !== undefined) hparams[name] = v.numberValue;
      else if (v.boolValue !== undefined) hparams[name] = v.boolValue;
      else if (v.stringValue !== undefined) hparams[name] = v.stringValue;
    }
    return { kind: "hparams", hparams };
  }
  if (data.sessionEndInfo) {
    const status = (Object.keys(HPARAMS_STATUS) as HParamsStatus[]).find((k) => HPARAMS_STATUS[k] === data.sessionEndInfo!.status);
    return { kind: "hparamsEnd", status: status ?? "unknown" };
  }
  return null;
}
