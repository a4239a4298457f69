// TensorFlow's histogram summary (what TensorBoard's histogram tab shows for `histo` values): the
// default bucket limits grow by 10% from 1e-12 to 1e20, mirrored for negatives, with 0 and
// ±DBL_MAX at the ends; runs of empty buckets are collapsed into one when encoding
// (tensorflow/core/lib/histogram/histogram.cc, EncodeToProto without preserve_zero_buckets).

export interface HistogramData {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

export const DEFAULT_BUCKET_LIMITS: Float64Array = buildDefaultLimits();

function buildDefaultLimits(): Float64Array {
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  positive.push(Number.MAX_VALUE);
  const negative = positive.map((v) => -v).reverse();
  return Float64Array.from([...negative, 0, ...positive]);
}

export function histogramOf(values: ArrayLike<number>, what = "Histogram"): HistogramData {
  const limits = DEFAULT_BUCKET_LIMITS;
  const counts = new Float64Array(limits.length);
  let min = Number.MAX_VALUE, max = -Number.MAX_VALUE, sum = 0, sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new Error(`${what}: values must be finite, got ${v}`);
    counts[upperBound(limits, v)]! += 1;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = 0; i < counts.length; ) {
    let end = limits[i]!;
    let count = counts[i]!;
    i++;
    if (count <= 0) {
      while (i < counts.length && counts[i]! <= 0) {
        end = limits[i]!;
        count = counts[i]!;
        i++;
      }
    }
    bucketLimit.push(end);
    bucket.push(count);
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}

/** Index of the first limit greater than v (std::upper_bound), clamped to the last bucket. */
function upperBound(limits: Float64Array, v: number): number {
  let lo = 0, hi = limits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (limits[mid]! > v) hi = mid;
    else lo = mid + 1;
  }
  return Math.min(lo, limits.length - 1);
}
