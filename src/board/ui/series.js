// @ts-check
// Turning a run's points into what a chart draws: the x values of the chosen axis, TensorBoard's
// debiased exponential moving average, and a decimation that keeps a million points responsive
// (each pixel column of the visible range keeps its minimum and maximum).

/**
 * TensorBoard's smoothing (tensorboard/webapp/widgets/line_chart_v2/lib/data_transformer.ts): an
 * EMA whose early values are divided by (1 - weight^n) so the curve does not start at zero;
 * non-finite values pass through; a constant series is left as is.
 * @param {Float64Array} values @param {number} weight in [0, 1)
 * @returns {Float64Array}
 */
export function debiasedEma(values, weight) {
  const out = new Float64Array(values.length);
  if (weight <= 0 || values.length === 0) {
    out.set(values);
    return out;
  }
  let constant = true;
  for (let i = 1; i < values.length && constant; i++) if (values[i] !== values[0]) constant = false;
  if (constant) {
    out.set(values);
    return out;
  }
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    count++;
    const debias = weight === 1 ? 1 : 1 - Math.pow(weight, count);
    out[i] = last / debias;
  }
  return out;
}

/**
 * The x values for an axis mode: "step", "relative" (seconds since the run's first point) or
 * "wall" (seconds since the epoch). Points are ordered by step; for time axes they are reordered
 * by time if a restart made time go back.
 * @param {{steps: Float64Array, wallTimes: Float64Array}} points @param {string} mode
 * @returns {{x: Float64Array, order: Uint32Array | null}}
 */
export function xValues(points, mode) {
  if (mode === "step") return { x: points.steps, order: null };
  const n = points.wallTimes.length;
  const origin = mode === "relative" && n > 0 ? minOf(points.wallTimes) : 0;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (points.wallTimes[i] < points.wallTimes[i - 1]) sorted = false;
  /** @type {Uint32Array | null} */
  let order = null;
  if (!sorted) {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => points.wallTimes[a] - points.wallTimes[b]);
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = points.wallTimes[order ? order[i] : i] - origin;
  return { x, order };
}

/** @param {Float64Array} a */
function minOf(a) {
  let m = Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] < m) m = a[i];
  return m;
}

/** First index with a[i] >= v. @param {Float64Array} a @param {number} v */
export function lowerBound(a, v) {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with a[i] > v. @param {Float64Array} a @param {number} v */
export function upperBound(a, v) {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const EXACT_LIMIT = 6000;

/**
 * uPlot's data ([x, y1, y2, ...]) for the series over [xmin, xmax]: every point when they are
 * few; otherwise a shared grid of `columns` buckets, each holding the min and max of each series
 * in that bucket in the order they occur, so spikes survive at any zoom.
 * @param {{x: Float64Array, y: Float64Array}[]} series each sorted by x
 * @param {number} xmin @param {number} xmax @param {number} columns
 * @param {boolean} logScale values <= 0 are left out
 * @returns {(number | null)[][] | any[]}
 */
export function chartData(series, xmin, xmax, columns, logScale) {
  const ranges = series.map((s) => [lowerBound(s.x, xmin), upperBound(s.x, xmax)]);
  const total = ranges.reduce((n, [lo, hi]) => n + (hi - lo), 0);
  const keep = (/** @type {number} */ v) => (Number.isFinite(v) && (!logScale || v > 0) ? v : null);
  if (total <= EXACT_LIMIT || !(xmax > xmin)) {
    const xs = [...new Set(series.flatMap((s, k) => Array.from(s.x.subarray(ranges[k][0], ranges[k][1]))))].sort((a, b) => a - b);
    const at = new Map(xs.map((x, i) => [x, i]));
    const ys = series.map((s, k) => {
      const y = new Array(xs.length).fill(null);
      for (let i = ranges[k][0]; i < ranges[k][1]; i++) y[/** @type {number} */ (at.get(s.x[i]))] = keep(s.y[i]);
      return y;
    });
    return [xs, ...ys];
  }
  const buckets = Math.max(16, Math.floor(columns));
  const width = (xmax - xmin) / buckets;
  const xs = new Array(2 * buckets);
  for (let j = 0; j < buckets; j++) {
    xs[2 * j] = xmin + (j + 0.25) * width;
    xs[2 * j + 1] = xmin + (j + 0.75) * width;
  }
  const ys = series.map((s, k) => {
    const y = new Array(2 * buckets).fill(null);
    let j = -1, minV = 0, maxV = 0, minI = 0, maxI = 0;
    const flush = () => {
      if (j < 0) return;
      if (minI === maxI) y[2 * j] = keep(minV);
      else if (minI < maxI) {
        y[2 * j] = keep(minV);
        y[2 * j + 1] = keep(maxV);
      } else {
        y[2 * j] = keep(maxV);
        y[2 * j + 1] = keep(minV);
      }
    };
    for (let i = ranges[k][0]; i < ranges[k][1]; i++) {
      const v = s.y[i];
      if (logScale ? !(v > 0) : !Number.isFinite(v)) continue;
      const b = Math.min(buckets - 1, Math.floor((s.x[i] - xmin) / width));
      if (b !== j) {
        flush();
        j = b;
        minV = maxV = v;
        minI = maxI = i;
      } else if (v < minV) {
        minV = v;
        minI = i;
      } else if (v > maxV) {
        maxV = v;
        maxI = i;
      }
    }
    flush();
    return y;
  });
  return [xs, ...ys];
}
