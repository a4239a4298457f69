// `group({ name, params? })`: a named set of experiments (and nested groups) sharing parameters;
// `script tools train --lr 1` runs experiment `train` of group `tools`.

import type { Parameter } from "./parameter.js";
import type { ParamGroup, ParamSpec } from "./param-group.js";
import { ParameterSet, type ParameterInfo, type ParamGroupInfo } from "./parameter-set.js";
import {
  ExperimentDefinition,
  inheritInto,
  type CliOptions,
  type DeclaredParams,
  type ExperimentOptions,
  type InheritParams,
  type MainFunction,
  type Simplify,
} from "./experiment.js";
import { registerGroup } from "./registry.js";
import { PystematicError } from "./errors.js";
import { entrypointsSuppressed } from "./entry-state.js";

export interface GroupOptions<S extends ParamSpec, G extends readonly ParamGroup<object>[], I extends InheritParams | undefined> {
  name: string;
  /** One line for the listing. */
  help?: string;
  /** Parameters every member inherits (members defined after this point). */
  params?: S;
  paramGroups?: G;
  inheritParams?: I;
}

/** Options of `group.experiment(...)` and `group.group(...)`. */
export interface MemberOptions {
  /** Default true: take the group's parameters. */
  inheritParamsFromGroup?: boolean;
}

export class ExperimentGroup<P = object> {
  /** Type-only: the params every member inherits. */
  declare readonly paramsType?: P;
  readonly kind = "group" as const;
  readonly name: string;
  readonly help: string | undefined;
  readonly parent: ExperimentGroup | null;
  /** Members in definition order. */
  readonly children: (ExperimentDefinition | ExperimentGroup)[] = [];
  /** @internal */
  readonly parameterSet: ParameterSet;

  constructor(
    options: GroupOptions<ParamSpec, readonly ParamGroup<object>[], InheritParams | undefined>,
    parent: ExperimentGroup | null = null,
    inheritFromParent = true,
  ) {
    if (typeof options?.name !== "string" || options.name === "") {
      throw new PystematicError("group() needs a name: group({ name: \"tools\", params: { ... } }).");
    }
    this.name = options.name;
    this.help = options.help;
    this.parent = parent;
    const origin = `group '${this.name}'`;
    this.parameterSet = new ParameterSet(origin);
    if (parent && inheritFromParent) this.parameterSet.inheritFrom(parent.parameterSet);
    if (options.inheritParams !== undefined) inheritInto(this.parameterSet, options.inheritParams, origin);
    for (const [key, p] of Object.entries(options.params ?? {})) this.parameterSet.add(key, p, origin);
    for (const g of options.paramGroups ?? []) this.parameterSet.addGroup(g, origin);
    if (parent) parent.children.push(this as unknown as ExperimentGroup);
    registerGroup(this as unknown as ExperimentGroup, parent === null);
  }

  /** `tools`, or `tools/eval` when nested. */
  get path(): string {
    return this.parent ? `${this.parent.path}/${this.name}` : this.name;
  }

  /** Defines an experiment in this group; it inherits the group's parameters. */
  experiment<
    S extends ParamSpec = {},
    const G extends readonly ParamGroup<object>[] = [],
    const I extends InheritParams | undefined = undefined,
  >(
    options: ExperimentOptions<S, G, I> & MemberOptions,
    main: MainFunction<Simplify<P & DeclaredParams<S, G, I>>>,
  ): ExperimentDefinition<Simplify<P & DeclaredParams<S, G, I>>>;
  experiment(main: MainFunction<P>): ExperimentDefinition<P>;
  experiment(optionsOrMain: unknown, main?: unknown): ExperimentDefinition<unknown> {
    type Options = ExperimentOptions<ParamSpec, readonly ParamGroup<object>[], InheritParams | undefined> & MemberOptions;
    const [options, fn] =
      typeof optionsOrMain === "function"
        ? [{} as Options, optionsOrMain as MainFunction<object>]
        : [optionsOrMain as Options, main as MainFunction<object>];
    const exp = new ExperimentDefinition(options, fn, {
      parent: this as unknown as ExperimentGroup,
      inheritFromGroup: options.inheritParamsFromGroup,
    });
    this.children.push(exp);
    return exp;
  }

  /** Defines a nested group; it inherits this group's parameters. */
  group<S extends ParamSpec = {}, const G extends readonly ParamGroup<object>[] = [], const I extends InheritParams | undefined = undefined>(
    options: GroupOptions<S, G, I> & MemberOptions,
  ): ExperimentGroup<Simplify<P & DeclaredParams<S, G, I>>> {
    return new ExperimentGroup(options, this as unknown as ExperimentGroup, options.inheritParamsFromGroup !== false);
  }

  /** Adds a parameter that members defined from now on inherit. */
  addParameter(param: Parameter<unknown>, name?: string): void {
    const key = name ?? param.options.name;
    if (key === undefined) throw new PystematicError(`addParameter() on group '${this.name}' needs a name.`);
    this.parameterSet.add(key, param, `group '${this.name}'`);
  }

  addParamGroup(group: ParamGroup<object>): void {
    this.parameterSet.addGroup(group, `group '${this.name}'`);
  }

  getParameters(): readonly ParameterInfo[] {
    return this.parameterSet.params;
  }

  getParamGroups(): readonly ParamGroupInfo[] {
    return this.parameterSet.groups;
  }

  /** `<script> <experiment> [options]` for this group's members (default: process.argv after the script). */
  async cli(argv?: readonly string[], options: CliOptions = {}): Promise<void> {
    if (entrypointsSuppressed()) return;
    const { entriesCli } = await import("./cli.js");
    await entriesCli(this.children, argv ?? process.argv.slice(2), options, this as unknown as ExperimentGroup);
  }
}

/** Defines a group of experiments: `const tools = group({ name: "tools" }); tools.experiment(...)`. */
export function group<S extends ParamSpec = {}, const G extends readonly ParamGroup<object>[] = [], const I extends InheritParams | undefined = undefined>(
  options: GroupOptions<S, G, I>,
): ExperimentGroup<DeclaredParams<S, G, I>> {
  return new ExperimentGroup(options);
}
