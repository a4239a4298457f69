// The board's runs: discovered under its folders (again at most every `rescanMs`, so new runs
// appear), each refreshed from disk when asked for.
import path from "node:path";
import { BoardRun, type RunSummary } from "./board-run.js";
import { discoverRuns } from "./discover.js";

export class BoardState {
  readonly roots: readonly string[];
  readonly #rescanMs: number;
  #runs = new Map<string, BoardRun>();
  #byId = new Map<string, BoardRun>();
  #lastScan = -Infinity;
  #lastRefresh = -Infinity;
  #nextId = 1;

  constructor(roots: readonly string[], options: { rescanMs?: number } = {}) {
    this.roots = roots.map((root) => path.resolve(root));
    this.#rescanMs = options.rescanMs ?? 1000;
  }

  /** Every run, refreshed from disk (at most once per `rescanMs`), in discovery order. */
  runs(): BoardRun[] {
    const now = Date.now();
    if (now - this.#lastScan >= this.#rescanMs) {
      this.#lastScan = now;
      for (const { dir, kind } of discoverRuns(this.roots)) {
        if (this.#runs.has(dir)) continue;
        const run = new BoardRun(`r${this.#nextId++}`, dir, this.#displayName(dir), kind);
        this.#runs.set(dir, run);
        this.#byId.set(run.id, run);
      }
    }
    if (now - this.#lastRefresh >= Math.min(this.#rescanMs, 500)) {
      this.#lastRefresh = now;
      for (const run of this.#runs.values()) run.refresh();
    }
    return [...this.#runs.values()];
  }

  summaries(): RunSummary[] {
    const now = Date.now();
    return this.runs().map((run) => run.summary(now));
  }

  /** The run with this id (refreshed), or undefined. */
  run(id: string): BoardRun | undefined {
    const run = this.#byId.get(id);
    run?.refresh();
    return run;
  }

  #displayName(dir: string): string {
    const root = this.roots.find((r) => dir === r || dir.startsWith(r + path.sep)) ?? this.roots[0]!;
    const relative = path.relative(root, dir) || path.basename(dir);
    return this.roots.length > 1 ? `${path.basename(root)}/${relative}` : relative;
  }
}
