// Command-line parsing (stub until the CLI lands).
import type { CliOptions, ExperimentDefinition } from "./experiment.js";
import type { ExperimentGroup } from "./group.js";
export async function experimentCli(_exp: ExperimentDefinition, _argv: readonly string[], _options: CliOptions): Promise<void> {
  throw new Error("not yet");
}
export async function entriesCli(_e: readonly (ExperimentDefinition | ExperimentGroup)[], _argv: readonly string[], _options: CliOptions, _g: ExperimentGroup | null): Promise<void> {
  throw new Error("not yet");
}
export function reportCrash(e: unknown): never {
  console.error(e);
  process.exit(1);
}
