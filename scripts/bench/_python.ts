// Runs a Python snippet with Debian's python3-torch (the same libtorch as ours) and returns
// what it printed as JSON.
import { spawn, spawnSync, type ChildProcessByStdio } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

export const PYTHON = process.env.PYSTEMATIC_PYTHON ?? "/usr/bin/python3";

export function python<T>(code: string): T {
  const r = spawnSync(PYTHON, ["-c", code], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python benchmark failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
}

/**
 * A Python process that times rounds on request, so ours and Python's rounds can alternate: on
 * this shared machine the speed drifts by 10-20 % within a minute, and timing one side after the
 * other measured the drift as much as the code. `setup` defines `ops`, a dict of callables.
 */
export class PythonPeer {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly lines: AsyncIterator<string>;
  private static driver = `
import sys, time
print("ready", flush=True)
for line in sys.stdin:
    name, reps = line.rsplit(" ", 1)
    op, reps = ops[name], int(reps)
    t0 = time.perf_counter_ns()
    for _ in range(reps): op()
    print((time.perf_counter_ns() - t0) / 1000 / reps, flush=True)
`;

  constructor(setup: string) {
    this.child = spawn(PYTHON, ["-u", "-c", `${setup}\n${PythonPeer.driver}`], { stdio: ["pipe", "pipe", "inherit"] });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  private async line(): Promise<string> {
    const r = await this.lines.next();
    if (r.done) throw new Error("python benchmark process ended early");
    return r.value as string;
  }

  async ready(): Promise<void> {
    if ((await this.line()) !== "ready") throw new Error("python benchmark process failed to start");
  }

  /** One round of `reps` calls of `ops[name]`, in microseconds per call. */
  async round(name: string, reps: number): Promise<number> {
    this.child.stdin.write(`${name} ${reps}\n`);
    return Number(await this.line());
  }

  close(): void {
    this.child.stdin.end();
  }
}

/**
 * `rounds` alternating rounds: `fn` (ours, `reps` iterations) then Python's `name`. The times are
 * medians (microseconds per iteration); the ratio is the median of each round's ours / Python,
 * so a drift of the machine's speed cancels within each pair instead of between the medians.
 */
export async function alternate(
  fn: () => void,
  peer: PythonPeer,
  name: string,
  reps: number,
  rounds = 7,
): Promise<{ ours: number; python: number; ratio: number }> {
  const ours: number[] = [];
  const py: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(timeRound(fn, reps));
    // The event loop turns while Python runs (deferred work counts, as in real code).
    py.push(await peer.round(name, reps));
  }
  const ratio = median(ours.map((t, r) => t / py[r]!));
  return { ours: median(ours), python: median(py), ratio };
}

/** One call of `fn` (which runs `reps` iterations), in microseconds per iteration. */
function timeRound(fn: () => void, reps: number): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1000 / reps;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** Median of `rounds` timings of `fn` (which runs `reps` iterations), in microseconds per iteration. */
export function timeMedian(fn: () => void, reps: number, rounds = 7): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) times.push(timeRound(fn, reps));
  return median(times);
}

/** Prints one comparison; `ratio` defaults to ours / py (alternate() gives its paired one). */
export function ratioLine(name: string, ours: number, py: number, target: number, unit = "µs", ratio = ours / py): boolean {
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
