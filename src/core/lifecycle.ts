// Running one experiment: plugins' before hooks, main with a frozen ctx, after hooks in reverse.
// At most one experiment runs at a time in a process.

import type { ExperimentDefinition } from "./experiment.js";
import { ExperimentError } from "./errors.js";
import { getPlugins, type ExperimentPlugin, type ExperimentRun } from "./plugins.js";

let active: ExperimentRun | null = null;

/** The run in progress (as plugins see it), or null. */
export function activeRun(): ExperimentRun | null {
  return active;
}

/** Runs `exp` with resolved values. Rethrows what main (or a hook) throws. */
export async function executeExperiment(exp: ExperimentDefinition, params: Record<string, unknown>): Promise<void> {
  if (active !== null) {
    throw new ExperimentError("An experiment is already running. At most one experiment can be active at a time.");
  }
  let replacement: (() => unknown) | null = null;
  const run: ExperimentRun = {
    experiment: exp,
    params,
    ctx: {},
    replaceMain(fn) {
      replacement = fn;
    },
  };
  active = run;
  const started: ExperimentPlugin[] = [];
  let failed = false;
  let error: unknown;
  try {
    try {
      for (const plugin of getPlugins()) {
        started.push(plugin);
        await plugin.onBeforeExperiment?.(run);
      }
      const ctx = freezeContext(run);
      if (replacement !== null) await (replacement as () => unknown)();
      else await exp.invokeMain(params, ctx);
    } catch (e) {
      failed = true;
      error = e;
    }
    for (const plugin of started.reverse()) {
      try {
        await plugin.onAfterExperiment?.(run, failed ? error : undefined);
      } catch (e) {
        if (!failed) {
          failed = true;
          error = e;
        }
      }
    }
  } finally {
    active = null;
  }
  if (failed) throw error;
}

/** The ctx main receives: plugin entries plus params and experiment; adding to it throws. */
function freezeContext(run: ExperimentRun): never {
  const target = Object.freeze({ ...run.ctx, params: run.params, experiment: run.experiment });
  const readOnly = (key: string | symbol): never => {
    throw new TypeError(
      `ctx is read-only: cannot set '${String(key)}'. Keep run state in ctx.context (pystematic/torch) or in your own variables.`,
    );
  };
  return new Proxy(target, {
    set: (_t, key) => readOnly(key),
    defineProperty: (_t, key) => readOnly(key),
    deleteProperty: (_t, key) => readOnly(key),
  }) as never;
}
