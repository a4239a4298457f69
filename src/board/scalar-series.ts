// One tag's scalar points in one run, in growable typed arrays (a run can hold millions), merged
// across the run's event files: sorted by step, and where a step repeats (a restarted run writing
// steps again) the point with the later wall time wins.

export class PointBuffer {
  steps: Float64Array = new Float64Array(64);
  wallTimes: Float64Array = new Float64Array(64);
  values: Float64Array = new Float64Array(64);
  length = 0;

  push(step: number, wallTime: number, value: number): void {
    if (this.length === this.steps.length) this.#grow();
    this.steps[this.length] = step;
    this.wallTimes[this.length] = wallTime;
    this.values[this.length] = value;
    this.length++;
  }

  #grow(): void {
    const size = this.steps.length * 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.steps = grow(this.steps);
    this.wallTimes = grow(this.wallTimes);
    this.values = grow(this.values);
  }
}

/** A finished series: three arrays of equal length. */
export interface ScalarPoints {
  steps: Float64Array;
  wallTimes: Float64Array;
  values: Float64Array;
}

/** Summary figures of a series for the runs table. */
export interface ScalarSummary {
  count: number;
  lastStep: number;
  last: number;
  min: number;
  max: number;
}

/** Merges the points of one tag from several files (in any order) into one series. */
export function mergePoints(parts: readonly PointBuffer[]): ScalarPoints {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const steps = new Float64Array(total), wallTimes = new Float64Array(total), values = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    steps.set(p.steps.subarray(0, p.length), at);
    wallTimes.set(p.wallTimes.subarray(0, p.length), at);
    values.set(p.values.subarray(0, p.length), at);
    at += p.length;
  }
  let ordered = true;
  for (let i = 1; i < total && ordered; i++) {
    if (steps[i]! < steps[i - 1]! || (steps[i] === steps[i - 1] && wallTimes[i]! < wallTimes[i - 1]!)) ordered = false;
  }
  let order: Uint32Array | null = null;
  if (!ordered) {
    order = new Uint32Array(total);
    for (let i = 0; i < total; i++) order[i] = i;
    order.sort((a, b) => steps[a]! - steps[b]! || wallTimes[a]! - wallTimes[b]! || a - b);
  }
  const outSteps = new Float64Array(total), outWall = new Float64Array(total), outValues = new Float64Array(total);
  let n = 0;
  for (let k = 0; k < total; k++) {
    const i = order === null ? k : order[k]!;
    // Equal steps: the later point (later wall time, sorted last) replaces the earlier.
    if (n > 0 && outSteps[n - 1] === steps[i]) n--;
    outSteps[n] = steps[i]!;
    outWall[n] = wallTimes[i]!;
    outValues[n] = values[i]!;
    n++;
  }
  return { steps: outSteps.subarray(0, n), wallTimes: outWall.subarray(0, n), values: outValues.subarray(0, n) };
}

export function summarize(points: ScalarPoints): ScalarSummary | null {
  const n = points.steps.length;
  if (n === 0) return null;
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = points.values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count: n, lastStep: points.steps[n - 1]!, last: points.values[n - 1]!, min, max };
}
