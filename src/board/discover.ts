// Finding run directories under the board's folders: pystematic run directories (parameters.yaml),
// fifteen Experiment directories (metadata/*.yaml or checkpoint_*.pt beside event files) and any
// folder holding an event file (TensorBoard's rule: a name containing "tfevents"). Symbolic links
// are not followed, so nothing outside the given folders is ever read.
import fs from "node:fs";
import path from "node:path";
import type { RunKind } from "./board-run.js";

export interface FoundRun {
  dir: string;
  kind: RunKind;
}

const MAX_DEPTH = 12;
const SKIPPED = new Set(["node_modules", ".git"]);

export function discoverRuns(roots: readonly string[]): FoundRun[] {
  const found: FoundRun[] = [];
  const seen = new Set<string>();
  for (const root of roots) walk(root, 0, found, seen);
  return found;
}

function walk(dir: string, depth: number, found: FoundRun[], seen: Set<string>): void {
  if (seen.has(dir)) return;
  seen.add(dir);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  const kind = runKind(dir, files, entries);
  if (kind !== null) found.push({ dir, kind });
  if (depth >= MAX_DEPTH) return;
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith(".") || SKIPPED.has(entry.name)) continue;
    walk(path.join(dir, entry.name), depth + 1, found, seen);
  }
}

function runKind(dir: string, files: Set<string>, entries: fs.Dirent[]): RunKind | null {
  if (files.has("parameters.yaml")) return "pystematic";
  const hasEvents = [...files].some((name) => name.includes("tfevents"));
  const hasCheckpoints = [...files].some((name) => name.endsWith(".pt"));
  const hasMetadata = entries.some((e) => e.isDirectory() && e.name === "metadata") && hasYaml(path.join(dir, "metadata"));
  if (hasMetadata && (hasEvents || hasCheckpoints)) return "fifteen";
  if (hasEvents) return "tensorboard";
  return null;
}

function hasYaml(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((name) => name.endsWith(".yaml"));
  } catch {
    return false;
  }
}
