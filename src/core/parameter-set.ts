// The ordered parameters of one experiment or group, with their parameter groups, and the
// definition-time checks: duplicate names, flags or file keys, and inheritance.

import { checkParameterOptions, Parameter, type ParameterOptions } from "./parameter.js";
import type { ParamGroup } from "./param-group.js";
import { toSnakeCase } from "../util/naming.js";
import { assertParameterName, toEnvVar, toFlag } from "./naming.js";
import { PystematicError } from "./errors.js";

/** A parameter bound to its name on one experiment or group. */
export interface ParameterInfo {
  /** The camelCase key in `params`. */
  readonly name: string;
  /** The CLI flag, `--output-dir`. */
  readonly flag: string;
  /** The key in params files, `output_dir`. */
  readonly fileKey: string;
  /** The environment variable read, or null. */
  readonly envvar: string | null;
  readonly options: Readonly<ParameterOptions>;
  /** The declared parameter (shared by every experiment that inherits it). */
  readonly parameter: Parameter;
  /** Where it was declared, for error messages: `experiment 'train'`, `plugin 'standard'`. */
  readonly origin: string;
  /** The parameter group (help section) it belongs to, or null. */
  readonly group: string | null;
  /** Added by a plugin's onExperimentCreated. */
  readonly fromPlugin: boolean;
}

export interface ParamGroupInfo {
  readonly name: string;
  readonly help: string | undefined;
  readonly origin: string;
  readonly source: ParamGroup;
}

export class ParameterSet {
  readonly params: ParameterInfo[] = [];
  readonly groups: ParamGroupInfo[] = [];
  private plugin: string | null = null;
  private pluginCount = 0;

  constructor(private readonly owner: string) {}

  /** Parameters added until endPlugin() come from this plugin. */
  beginPlugin(name: string): void {
    this.plugin = name;
  }
  endPlugin(): void {
    this.plugin = null;
  }

  get(name: string): ParameterInfo | undefined {
    return this.params.find((p) => p.name === name);
  }

  /** Binds and adds one parameter. Returns false when that very parameter is already there. */
  add(name: string, parameter: Parameter, origin: string, group: string | null = null): boolean {
    if (!(parameter instanceof Parameter)) {
      throw new PystematicError(`Parameter '${name}' of ${origin} is not a parameter(...) declaration.`);
    }
    const fromPlugin = this.plugin !== null;
    const info = bind(name, parameter, fromPlugin ? `plugin '${this.plugin}'` : origin, group, fromPlugin);
    if (!this.check(info)) return false;
    if (fromPlugin) {
      this.params.splice(this.pluginCount, 0, info);
      this.pluginCount++;
    } else {
      this.params.push(info);
    }
    return true;
  }

  /** Adds a parameter group and its parameters. */
  addGroup(group: ParamGroup, origin: string, { inherited = false }: { inherited?: boolean } = {}): void {
    const existing = this.groups.find((g) => g.name === group.name);
    if (existing) {
      // Inheritance skips a group already there (as Python's); adding one twice directly is an error.
      if (existing.source === group && inherited) return;
      throw new PystematicError(
        `Error when adding parameter group '${group.name}' to ${this.owner}: a group with that name was already added by ${existing.origin}.`,
      );
    }
    const where = `parameter group '${group.name}' of ${origin}`;
    for (const [name, p] of Object.entries(group.params)) this.check(bind(name, p, where, group.name, false));
    this.groups.push({ name: group.name, help: group.help, origin, source: group });
    for (const [name, p] of Object.entries(group.params)) this.add(name, p, where, group.name);
  }

  /**
   * Copies another set's groups and parameters. A parameter already here is skipped when it is
   * the same declaration or a plugin parameter; any other clash is an error naming both places.
   */
  inheritFrom(source: ParameterSet): void {
    for (const g of source.groups) {
      const existing = this.groups.find((x) => x.name === g.name);
      if (existing && existing.source !== g.source) {
        throw new PystematicError(
          `Error when inheriting parameter group '${g.name}' from ${source.owner} into ${this.owner}: a group with that name was already added by ${existing.origin}.`,
        );
      }
    }
    for (const g of source.groups) {
      if (!this.groups.some((x) => x.name === g.name)) this.groups.push(g);
    }
    for (const p of source.params) {
      const existing = this.get(p.name);
      if (existing && (existing.parameter === p.parameter || existing.fromPlugin || p.fromPlugin)) continue;
      if (!this.check(p)) continue;
      this.params.push(p);
    }
  }

  /** Throws on a clash with an existing parameter; false when it is the same declaration. */
  private check(info: ParameterInfo): boolean {
    if (info.flag === "--help") {
      throw new PystematicError(`Error when adding parameter '${info.name}' (${info.origin}) to ${this.owner}: the flag --help is reserved.`);
    }
    for (const p of this.params) {
      const negated = (x: ParameterInfo) => (x.options.isFlag ? `--no-${x.flag.slice(2)}` : null);
      if (negated(p) === info.flag || negated(info) === p.flag) {
        throw new PystematicError(
          `Error when adding parameter '${info.name}' (${info.origin}) to ${this.owner}: its flag clashes with the negated flag of parameter '${p.name}' (${p.origin}).`,
        );
      }
      if (p.name === info.name) {
        if (p.parameter === info.parameter && p.group === info.group) return false;
        throw new PystematicError(
          `Error when adding parameter '${info.name}' (${info.origin}) to ${this.owner}: a parameter with the same name is already declared by ${p.origin}.`,
        );
      }
      if (p.flag === info.flag || p.fileKey === info.fileKey) {
        throw new PystematicError(
          `Error when adding parameter '${info.name}' (${info.origin}) to ${this.owner}: it converts to the same flag ${info.flag} / file key '${info.fileKey}' as parameter '${p.name}' (${p.origin}).`,
        );
      }
    }
    return true;
  }
}

function bind(name: string, parameter: Parameter, origin: string, group: string | null, fromPlugin: boolean): ParameterInfo {
  const options = parameter.options;
  if (options.name !== undefined && options.name !== name) {
    throw new PystematicError(`Parameter declared as '${name}' in ${origin} has the different name option '${options.name}'.`);
  }
  try {
    assertParameterName(name);
    checkParameterOptions(name, options);
  } catch (e) {
    throw new PystematicError(`${(e as Error).message} (in ${origin})`);
  }
  return {
    name,
    flag: toFlag(name),
    fileKey: toSnakeCase(name),
    envvar: options.envvar === false ? null : (options.envvar ?? toEnvVar(name)),
    options,
    parameter,
    origin,
    group,
    fromPlugin,
  };
}
