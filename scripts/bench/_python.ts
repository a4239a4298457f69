// Runs a Python snippet with Debian's python3-torch (the same libtorch as ours) and returns
// what it printed as JSON.
import { spawnSync } from "node:child_process";

export const PYTHON = process.env.PYSTEMATIC_PYTHON ?? "/usr/bin/python3";

export function python<T>(code: string): T {
  const r = spawnSync(PYTHON, ["-c", code], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python benchmark failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
}

/** Median of `rounds` timings of `fn` (which runs `reps` iterations), in microseconds per iteration. */
export function timeMedian(fn: () => void, reps: number, rounds = 7): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1000 / reps);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function ratioLine(name: string, ours: number, py: number, target: number, unit = "µs"): boolean {
  const ratio = ours / py;
  const ok = ratio <= target;
  console.log(
    `${name.padEnd(34)} ours ${ours.toFixed(3).padStart(8)} ${unit}  python ${py.toFixed(3).padStart(8)} ${unit}  ` +
      `ratio ${ratio.toFixed(2)} (target ≤ ${target}) ${ok ? "ok" : "MISSED"}`,
  );
  return ok;
}

/**
 * Best wall time (seconds) of `rounds` calls. Each result lives until the next call returns, as
 * `x = load()` in a loop: freed memory would otherwise be reused at once and flatter the loads
 * (Python's allocator hands the same pages back; V8 frees buffers later).
 */
export function bestOf(fn: () => unknown, rounds: number): number {
  let t = Infinity;
  let kept: unknown;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    const result = fn();
    t = Math.min(t, Number(process.hrtime.bigint() - start) / 1e9);
    kept = result;
  }
  void kept;
  return t;
}
