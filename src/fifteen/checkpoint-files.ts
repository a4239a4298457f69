// Checkpoint files of an experiment: `<dataDir>/<prefix><step>.pt`, and flax's rules for which
// ones a save keeps.
import fs from "node:fs";
import path from "node:path";

export const DEFAULT_PREFIX = "checkpoint_";

export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== "string" || /[/\\\0]/.test(prefix) || prefix.startsWith(".")) {
    throw new Error(`checkpoint prefix must be a file name start without path separators or a leading dot, got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

export function checkStep(step: unknown): number {
  if (typeof step !== "number" || !Number.isSafeInteger(step) || step < 0) {
    throw new Error(`checkpoint step must be an integer >= 0, got ${String(step)}`);
  }
  return step;
}

export function checkpointFile(dataDir: string, prefix: string, step: number): string {
  return path.join(dataDir, `${prefix}${step}.pt`);
}

/** Steps of the checkpoints with `prefix` in `dataDir`, ascending (none when it does not exist). */
export function checkpointSteps(dataDir: string, prefix: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dataDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(0|[1-9][0-9]*)\\.pt$`);
  const steps: number[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (m) steps.push(Number(m[1]));
  }
  return steps.sort((a, b) => a - b);
}

/**
 * The steps a save removes, given every step on disk after it (ascending): all but the newest
 * `keep`, except steps that are multiples of `keepEveryNSteps`.
 */
export function stepsToRemove(steps: readonly number[], keep: number, keepEveryNSteps: number | undefined): number[] {
  const old = steps.slice(0, Math.max(0, steps.length - keep));
  return old.filter((step) => keepEveryNSteps === undefined || step % keepEveryNSteps !== 0);
}
