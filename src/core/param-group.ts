// `paramGroup(name, help?, params)`: a titled section of `--help`. Its parameters appear flat in
// `params`.

import type { Parameter } from "./parameter.js";

/** Parameters keyed by their camelCase name, as given to `experiment({ params })`. */
export type ParamSpec = { readonly [name: string]: Parameter<unknown> };

/** The values a `ParamSpec` produces. */
export type ValuesOf<S> = { [K in keyof S]: S[K] extends Parameter<infer V> ? V : never };

export class ParamGroup<P = object> {
  /** Type-only: the values of its parameters. */
  declare readonly paramsType?: P;

  constructor(
    readonly name: string,
    readonly help: string | undefined,
    readonly params: ParamSpec,
  ) {}
}

/** A group of parameters shown under its own heading in `--help`. */
export function paramGroup<S extends ParamSpec>(name: string, params: S): ParamGroup<ValuesOf<S>>;
export function paramGroup<S extends ParamSpec>(name: string, help: string, params: S): ParamGroup<ValuesOf<S>>;
export function paramGroup(name: string, helpOrParams: string | ParamSpec, maybeParams?: ParamSpec): ParamGroup {
  if (typeof name !== "string" || name === "") throw new TypeError("paramGroup() needs a name.");
  const help = typeof helpOrParams === "string" ? helpOrParams : undefined;
  const params = typeof helpOrParams === "string" ? maybeParams : helpOrParams;
  if (typeof params !== "object" || params === null) {
    throw new TypeError(`paramGroup('${name}') expects its parameters as an object: paramGroup(name, help?, { lr: parameter(...) }).`);
  }
  return new ParamGroup(name, help, { ...params });
}
