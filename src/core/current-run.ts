// The run in progress, if any: set by the run lifecycle, read by module-level accessors
// (`outputDir()`, `params()`), the Recorder (its default directory) and the torch plugin.

export interface CurrentRun {
  /** Absolute path of the run directory. */
  readonly outputDir: string;
  /** The resolved parameters (camelCase keys). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The params file given with --params-file, or null. */
  readonly paramsFile: string | null;
  readonly experimentName: string;
  readonly localRank: number;
}

let current: CurrentRun | null = null;

export function setCurrentRun(run: CurrentRun | null): void {
  current = run;
}

/** The run in progress, or null outside a run. */
export function getCurrentRun(): CurrentRun | null {
  return current;
}
