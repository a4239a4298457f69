// Every experiment and group defined in this process: the listing of `globalEntrypoint()`,
// lookups by path (`tools/train`) for child processes, and plugins registered late.

import type { ExperimentDefinition } from "./experiment.js";
import type { ExperimentGroup } from "./group.js";

export type ListedEntry = ExperimentDefinition | ExperimentGroup;

const experiments: ExperimentDefinition[] = [];
const topLevel: ListedEntry[] = [];

export function registerExperiment(exp: ExperimentDefinition, isTopLevel: boolean): void {
  experiments.push(exp);
  if (isTopLevel) topLevel.push(exp);
}

export function registerGroup(group: ExperimentGroup, isTopLevel: boolean): void {
  if (isTopLevel) topLevel.push(group);
}

/** Every experiment, nested ones included, in definition order. */
export function allExperiments(): readonly ExperimentDefinition[] {
  return experiments;
}

/** Experiments and groups not inside a group, in definition order. */
export function topLevelEntries(): readonly ListedEntry[] {
  return topLevel;
}

/** The experiment at `path` (`train`, `tools/train`), or undefined; a redefinition replaces. */
export function findExperiment(path: string): ExperimentDefinition | undefined {
  return experiments.findLast((e) => e.path === path);
}
