// Plugins: how the standard plugin (run directory, logging, seeds, default parameters) and
// pystematic/torch hook into every experiment (spec section 4).
//
// Contract for plugin authors:
// - `registerPlugin(plugin)` adds a plugin once (a second plugin with the same name replaces
//   nothing and throws). Hooks run in ascending `priority` (default 50; the standard plugin uses
//   10), registration order breaking ties.
// - `onExperimentCreated(exp)` runs for every experiment when it is defined, right after it is
//   created and before its group's, inherited and own parameters are added, and ALSO for every
//   experiment defined before the plugin was registered. Add parameters with
//   `exp.addParameter(parameter({ name: "outputDir", ... }))`: parameters added from this hook are
//   plugin parameters, listed before the user's in `--help` and shared silently when experiments
//   inherit from each other. A clash with a user parameter of the same name throws.
// - `onBeforeExperiment(run)` runs, in priority order, when an experiment starts: `run.params`
//   holds the resolved values (camelCase keys; plugins may still adjust them) and `run.ctx` is a
//   plain object to which plugins add entries (`run.ctx.outputDir = ...`). After the last before
//   hook, `ctx` is frozen (adding a property throws) and `main(params, ctx)` is called, unless a
//   hook called `run.replaceMain(fn)` (the distributed launcher), which runs `fn` instead.
// - `onAfterExperiment(run, error)` runs when main returns or throws (`error` is what it threw,
//   undefined on success), in REVERSE priority order: teardown mirrors setup, so the standard
//   plugin (priority 10) runs its after hook last. It also runs for a plugin whose before hook
//   threw, and for every plugin whose before hook had started. An error from a hook is thrown to
//   the caller of run()/cli() (the first one wins); the process can always run another
//   experiment afterwards.
// - Hooks may be async; they are awaited one by one.
// - Types: augment `PluginParams` (the params a plugin adds) and `PluginContext` (the ctx
//   entries it adds) with `declare module` on this file, so they reach `main(params, ctx)`.

import type { ExperimentDefinition } from "./experiment.js";
import { allExperiments } from "./registry.js";

/**
 * Parameters every experiment gets from plugins, keyed by camelCase name. Plugins augment it from
 * their own file: `declare module "../core/plugins.js" { interface PluginParams { cuda: boolean } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PluginParams {}

/** Entries plugins add to `ctx` (outputDir, paramsFile, logger, localRank, context, ...). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PluginContext {}

/** The run being started, as plugins see it. */
export interface ExperimentRun {
  readonly experiment: ExperimentDefinition;
  /** The resolved parameter values (camelCase keys). Plugins may adjust them before main. */
  readonly params: Record<string, unknown>;
  /** Entries for `main`'s `ctx`; writable until the before hooks are done, then frozen. */
  readonly ctx: Partial<PluginContext> & Record<string, unknown>;
  /**
   * Runs `fn` instead of the experiment's main (the distributed launcher does this: the process
   * the user started supervises the ranks and trains nothing itself). After hooks still run.
   */
  replaceMain(fn: () => unknown): void;
}

export interface ExperimentPlugin {
  /** Shown in definition errors ("declared by plugin 'standard'"). */
  readonly name: string;
  /** Lower runs first (after hooks: last). Default 50. */
  readonly priority?: number;
  onExperimentCreated?(experiment: ExperimentDefinition): void;
  onBeforeExperiment?(run: ExperimentRun): void | Promise<void>;
  onAfterExperiment?(run: ExperimentRun, error: unknown): void | Promise<void>;
}

const plugins: ExperimentPlugin[] = [];

/** Registered plugins in hook order (ascending priority, stable). */
export function getPlugins(): readonly ExperimentPlugin[] {
  return plugins;
}

/**
 * Registers a plugin, and applies its `onExperimentCreated` to every experiment defined so far
 * (an experiment defined before `pystematic/torch` loaded still gets the torch parameters).
 */
export function registerPlugin(plugin: ExperimentPlugin): void {
  if (typeof plugin !== "object" || plugin === null || typeof plugin.name !== "string") {
    throw new TypeError("registerPlugin() expects an object with a 'name'.");
  }
  if (plugins.some((p) => p.name === plugin.name)) {
    throw new Error(`A plugin named '${plugin.name}' is already registered.`);
  }
  plugins.push(plugin);
  // Array.prototype.sort is stable: registration order breaks ties.
  plugins.sort((a, b) => (a.priority ?? 50) - (b.priority ?? 50));
  if (plugin.onExperimentCreated) {
    for (const exp of allExperiments()) applyCreatedHook(plugin, exp);
  }
}

/** Runs one plugin's created hook, marking the parameters it adds as plugin parameters. */
export function applyCreatedHook(plugin: ExperimentPlugin, exp: ExperimentDefinition): void {
  exp.parameterSet.beginPlugin(plugin.name);
  try {
    plugin.onExperimentCreated?.(exp);
  } finally {
    exp.parameterSet.endPlugin();
  }
}

/** Runs every plugin's created hook on a new experiment. */
export function applyCreatedHooks(exp: ExperimentDefinition): void {
  for (const plugin of plugins) applyCreatedHook(plugin, exp);
}
