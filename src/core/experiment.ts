// `experiment(options, main)`: defines an experiment, its parameters (with types inferred into
// `main`) and how it runs from code (`run`) or the command line (`cli`).

import type { Parameter } from "./parameter.js";
import { ParamGroup, type ParamSpec, type ValuesOf } from "./param-group.js";
import { ParameterSet, type ParameterInfo, type ParamGroupInfo } from "./parameter-set.js";
import { applyCreatedHooks, type PluginContext, type PluginParams } from "./plugins.js";
import { registerExperiment } from "./registry.js";
import { toKebabCase } from "../util/naming.js";
import { PystematicError } from "./errors.js";
import type { ExperimentGroup } from "./group.js";
import { executeExperiment } from "./lifecycle.js";
import { resolveFromObject } from "./resolve.js";
import { entrypointsSuppressed } from "./entry-state.js";

/** Flattens an intersection for readable hover types. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Where `inheritParams` may take parameters from. */
export type InheritSource = ExperimentDefinition<object> | ExperimentGroup<object> | ParamGroup<object> | ParamSpec;

/** One source or a list of them. */
export type InheritParams = InheritSource | readonly InheritSource[];

type ParamsOfSource<X> =
  X extends ExperimentDefinition<infer P>
    ? P
    : X extends ExperimentGroup<infer P>
      ? P
      : X extends ParamGroup<infer P>
        ? P
        : X extends ParamSpec
          ? ValuesOf<X>
          : never;

/** The params an `inheritParams` value brings. */
export type InheritedParams<I> = I extends readonly (infer E)[]
  ? UnionToIntersection<ParamsOfSource<E>>
  : UnionToIntersection<ParamsOfSource<I>>;

/** The params a list of param groups brings. */
export type GroupsParams<G> = G extends readonly (infer E)[] ? UnionToIntersection<E extends ParamGroup<infer P> ? P : never> : unknown;

/** The params declared by one experiment or group definition (plugin params not included). */
export type DeclaredParams<S, G, I> = Simplify<ValuesOf<S> & GroupsParams<G> & InheritedParams<I>>;

/** What `main` receives as `params`: the declared ones and those every plugin adds. */
export type FullParams<P> = Simplify<P & PluginParams>;

/** Per-experiment default overrides: a value or a function computing it. */
export type Defaults<P> = { [K in keyof P]?: P[K] | (() => P[K]) };

/** The second argument of `main`: the frozen run object. */
export type RunContext<P = Record<string, unknown>> = Readonly<PluginContext> & {
  readonly params: FullParams<P>;
  readonly experiment: ExperimentDefinition;
};

export type MainFunction<P> = (params: FullParams<P>, ctx: RunContext<P>) => unknown;

/** The values `run()` accepts: any subset of the parameters, null meaning "not given". */
export type RunParams<P> = { [K in keyof FullParams<P>]?: FullParams<P>[K] | null };

export interface ExperimentOptions<S extends ParamSpec, G extends readonly ParamGroup<object>[], I extends InheritParams | undefined> {
  /** Default: main's function name in kebab case (`myExp` -> `my-exp`). Kept verbatim when given. */
  name?: string;
  /** One line for the listing and the top of `--help`. */
  help?: string;
  params?: S;
  paramGroups?: G;
  inheritParams?: I;
  /** Override (inherited) defaults. Not shown in `--help`. */
  defaults?: Defaults<FullParams<DeclaredParams<S, G, I>>>;
}

export interface CliOptions {
  /**
   * On bad input print `Error: ...` and exit 2, and exit 0 after `--help` (default). When false,
   * throw a UsageError instead, and return after printing help.
   */
  exitOnError?: boolean;
  /** The program name in usage lines. Default: the script's file name and the group path. */
  prog?: string;
}

/** Internal: how an experiment is being created (groups pass themselves). */
export interface CreationContext {
  parent?: ExperimentGroup;
  inheritFromGroup?: boolean;
}

/**
 * An experiment: a main function with typed, declared parameters, made by `experiment()` (or a
 * group's `.experiment()`), run from the command line by `npx pystematic script.ts <name>` or
 * from code by `.run(params)` or `.cli(argv)`, in parallel by `launchSubprocess` or `runParameterSweep`.
 * Each run gets its own output directory, seed, parameters file and log.
 *
 * Args (of `experiment()`):
 *   options.params: the parameters, `{ name: parameter({ type, default, help, ... }) }`; camelCase
 *     names become kebab-case flags (`--learning-rate`) and snake_case keys in parameters.yaml.
 *   options.name: default the main function's name in kebab-case. options.help, options.defaults,
 *     options.paramGroups, options.inheritParams: as in pystematic.
 *   main: `(params, ctx) => ...`, `params` typed from the declarations.
 *
 * @example
 * export const train = experiment(
 *   { params: { lr: parameter({ type: "float", default: 0.1 }) } },
 *   function train(params, ctx) { console.log(params.lr, ctx.outputDir); },
 * );
 * await train.run({ lr: 0.05 });
 */
export class ExperimentDefinition<P = object> {
  /** Type-only: the declared params. */
  declare readonly paramsType?: P;
  readonly name: string;
  readonly help: string | undefined;
  /** The group it belongs to, or null. */
  readonly parent: ExperimentGroup | null;
  /** Per-experiment default overrides. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** @internal the parameters in help order. */
  readonly parameterSet: ParameterSet;
  readonly #main: (params: Record<string, unknown>, ctx: RunContext) => unknown;

  constructor(options: ExperimentOptions<ParamSpec, readonly ParamGroup<object>[], InheritParams | undefined>, main: MainFunction<P>, creation: CreationContext = {}) {
    if (typeof main !== "function") throw new TypeError("experiment() needs a main function: experiment({ params }, (params, ctx) => { ... }).");
    const name = options.name ?? (main.name ? toKebabCase(main.name) : "");
    if (name === "") {
      throw new PystematicError("An experiment needs a name: give `name` or a named main function.");
    }
    this.name = name;
    this.help = options.help;
    this.parent = creation.parent ?? null;
    this.#main = main as unknown as (params: Record<string, unknown>, ctx: RunContext) => unknown;
    this.parameterSet = new ParameterSet(`experiment '${name}'`);
    const origin = `experiment '${name}'`;
    // Order fixes help order: plugins, group, inherited, own params, own param groups.
    applyCreatedHooks(this as unknown as ExperimentDefinition);
    if (this.parent && creation.inheritFromGroup !== false) this.parameterSet.inheritFrom(this.parent.parameterSet);
    if (options.inheritParams !== undefined) inheritInto(this.parameterSet, options.inheritParams, origin);
    for (const [key, p] of Object.entries(options.params ?? {})) this.parameterSet.add(key, p, origin);
    for (const g of options.paramGroups ?? []) this.parameterSet.addGroup(g, origin);
    const defaults: Record<string, unknown> = { ...(options.defaults ?? {}) };
    for (const key of Object.keys(defaults)) {
      if (!this.parameterSet.get(key)) {
        throw new PystematicError(`Error in 'defaults' of experiment '${name}': '${key}' is not a parameter of this experiment.`);
      }
    }
    this.defaults = defaults;
    registerExperiment(this as unknown as ExperimentDefinition, this.parent === null);
  }

  /** `train`, or `tools/train` inside group `tools`. */
  get path(): string {
    return this.parent ? `${this.parent.path}/${this.name}` : this.name;
  }

  /** @internal Calls main (the lifecycle does, with the frozen ctx). */
  invokeMain(params: Record<string, unknown>, ctx: RunContext): unknown {
    return this.#main(params, ctx);
  }

  /** Adds a parameter (plugins call this from onExperimentCreated). Its name comes from `name` or the parameter's `name` option. */
  addParameter(param: Parameter<unknown>, name?: string): void {
    const key = name ?? param.options.name;
    if (key === undefined) throw new PystematicError(`addParameter() on experiment '${this.name}' needs a name: parameter({ name: "...", ... }).`);
    this.parameterSet.add(key, param, `experiment '${this.name}'`);
  }

  /** Adds a parameter group (a section of `--help`). */
  addParamGroup(group: ParamGroup<object>): void {
    this.parameterSet.addGroup(group, `experiment '${this.name}'`);
  }

  /** Every parameter (grouped and hidden ones included), in help order. */
  getParameters(): readonly ParameterInfo[] {
    return this.parameterSet.params;
  }

  getParamGroups(): readonly ParamGroupInfo[] {
    return this.parameterSet.groups;
  }

  /**
   * Runs the experiment with these values (camelCase keys; unknown keys are an error). Resolves
   * when main has finished; rethrows what main throws.
   */
  async run(params: RunParams<P> = {}): Promise<void> {
    if (entrypointsSuppressed()) return;
    await this.runUnsuppressed(params as Record<string, unknown>);
  }

  /** @internal run() even while top-level entry points are suppressed (child processes). */
  async runUnsuppressed(params: Record<string, unknown>): Promise<void> {
    const values = await resolveFromObject(this as unknown as ExperimentDefinition, params);
    await executeExperiment(this as unknown as ExperimentDefinition, values);
  }

  /** Parses command-line arguments (default: process.argv after the script) and runs. */
  async cli(argv?: readonly string[], options: CliOptions = {}): Promise<void> {
    if (entrypointsSuppressed()) return;
    const { experimentCli } = await import("./cli.js");
    await experimentCli(this as unknown as ExperimentDefinition, argv ?? process.argv.slice(2), options);
  }
}

/** Copies the parameters of each source into `target`; errors name the target. */
export function inheritInto(target: ParameterSet, sources: InheritParams, origin: string): void {
  const list: readonly unknown[] = Array.isArray(sources) ? sources : [sources];
  for (const source of list) {
    if (source instanceof ExperimentDefinition) target.inheritFrom(source.parameterSet);
    else if (source instanceof ParamGroup) target.addGroup(source, origin, { inherited: true });
    else if (isGroup(source)) target.inheritFrom(source.parameterSet);
    else if (typeof source === "object" && source !== null && !Array.isArray(source)) {
      const set = new ParameterSet("inherited parameters");
      for (const [key, p] of Object.entries(source as ParamSpec)) set.add(key, p as Parameter, `inherited parameters of ${origin}`);
      target.inheritFrom(set);
    } else {
      throw new PystematicError(`Error during parameter inheritance for ${origin}: unknown value passed to 'inheritParams': ${String(source)}`);
    }
  }
}

function isGroup(x: unknown): x is ExperimentGroup {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "group";
}

/** Defines an experiment: `experiment({ params: { lr: parameter({ type: "float", default: 0.1 }) } }, (params, ctx) => { ... })`. */
export function experiment<
  S extends ParamSpec = {},
  const G extends readonly ParamGroup<object>[] = [],
  const I extends InheritParams | undefined = undefined,
>(options: ExperimentOptions<S, G, I>, main: MainFunction<DeclaredParams<S, G, I>>): ExperimentDefinition<DeclaredParams<S, G, I>>;
/** Defines an experiment with only the plugins' parameters; its name comes from main. */
export function experiment(main: MainFunction<{}>): ExperimentDefinition<{}>;
export function experiment(
  optionsOrMain: ExperimentOptions<ParamSpec, readonly ParamGroup<object>[], InheritParams | undefined> | MainFunction<object>,
  main?: MainFunction<object>,
): ExperimentDefinition<object> {
  if (typeof optionsOrMain === "function") return new ExperimentDefinition({}, optionsOrMain);
  return new ExperimentDefinition(optionsOrMain, main as MainFunction<object>);
}
