// `pystematic` core: experiments, parameters, groups, the CLI and the plugin API.
export { experiment, ExperimentDefinition } from "./experiment.js";
export type {
  CliOptions,
  Defaults,
  DeclaredParams,
  ExperimentOptions,
  FullParams,
  InheritParams,
  InheritSource,
  MainFunction,
  RunContext,
  RunParams,
} from "./experiment.js";
export { group, ExperimentGroup } from "./group.js";
export type { GroupOptions, MemberOptions } from "./group.js";
export { parameter, Parameter } from "./parameter.js";
export type {
  AllowedValue,
  DefaultValue,
  FlagParameterOptions,
  ParameterOptions,
  ParameterType,
  ParseFunction,
  TypeSpec,
  ValueParameterOptions,
} from "./parameter.js";
export { paramGroup, ParamGroup } from "./param-group.js";
export type { ParamSpec, ValuesOf } from "./param-group.js";
export type { ParameterInfo, ParamGroupInfo } from "./parameter-set.js";
export { registerPlugin, getPlugins } from "./plugins.js";
export type { ExperimentPlugin, ExperimentRun, PluginContext, PluginParams } from "./plugins.js";
export { activeRun } from "./lifecycle.js";
export { PystematicError, ExperimentError, UsageError } from "./errors.js";
export { InterruptError, type InterruptSignal } from "./run/interrupt.js";
export { toSnakeCase, toKebabCase, toCamelCase } from "../util/naming.js";
export { toFlag, toEnvVar } from "./naming.js";
export { allExperiments, findExperiment, topLevelEntries } from "./registry.js";
export { setEntrypointsSuppressed, entrypointsSuppressed } from "./entry-state.js";
export { readParamsFile } from "./resolve.js";
export { globalEntrypoint, runExperiment, setProgramName } from "./entrypoint.js";
export * from "./providers.js";
export * from "./current-run.js";
