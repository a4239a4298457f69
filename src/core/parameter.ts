// `parameter(...)`: one declared experiment parameter. Its options are those of Python
// pystematic's `parameter` (spec 1.3) in camelCase; its value type is inferred from them and flows
// into `main(params)`.

/** Built-in value types. `path` is a string kept as given; `json` parses text as JSON. */
export type ParameterType = "string" | "int" | "float" | "boolean" | "path" | "json";

/**
 * A custom parser: called on text from the command line and environment, and on string values from
 * `run()` and params files. Other values from `run()` and files are taken as already parsed.
 */
export type ParseFunction<T = unknown> = (value: string) => T;

export type TypeSpec = ParameterType | ParseFunction;

/** Scalars that `allowedValues` may list. */
export type AllowedValue = string | number | boolean;

/** The value type a `type` option produces. */
export type ValueOfType<T> = T extends "int" | "float"
  ? number
  : T extends "boolean"
    ? boolean
    : T extends "string" | "path"
      ? string
      : T extends "json"
        ? unknown
        : T extends (value: string) => infer R
          ? R
          : never;

/** One element: a choice of `allowedValues` when given, else the parsed type. */
export type ElementValue<T, A> = A extends readonly (infer E)[] ? E : ValueOfType<T>;

/** The parsed value: an array for `multiple`. */
export type ParameterValue<T, A, M> = M extends true ? ElementValue<T, A>[] : ElementValue<T, A>;

/** A value or a zero-argument function computing it each time values are resolved. */
export type DefaultValue<V> = V | (() => V);

/** Options shared by every parameter. */
export interface CommonParameterOptions {
  /** The key in `params`; only needed when the parameter is not given as a key of `params`. */
  name?: string;
  /** Help text shown by `--help`. */
  help?: string;
  /** Shown in `--help` instead of the default value. */
  defaultHelp?: string;
  /** Left out of `--help`; still parsed. */
  hidden?: boolean;
  /** When false, the key is ignored in params files. Default true. */
  allowFromFile?: boolean;
  /**
   * The environment variable to read when no other value is given. Default: the implicit
   * `PYSTEMATIC_<SNAKE_NAME>` (`PYSTEMATIC_LR`); `false` reads none.
   */
  envvar?: string | false;
  /**
   * For plugins: this parameter names a params file. When it gets a value, the file is read and
   * its keys applied at that moment (options after it on the command line win).
   */
  isParamsFile?: boolean;
}

export interface ValueParameterOptions<T extends TypeSpec, A, M extends boolean> extends CommonParameterOptions {
  /** How values are parsed. Default `"string"`. */
  type?: T;
  /**
   * The accepted values (case-insensitive match; the matching element is returned). Replaces
   * `type` for parsing.
   */
  allowedValues?: A;
  /** Zero or more values after one flag (`--m 1 2 3`); the value is an array. */
  multiple?: M;
  /** Error when no value is given anywhere (a default satisfies it). */
  required?: boolean;
  isFlag?: false;
  default?: DefaultValue<ParameterValue<T, A, M>> | null;
}

export interface FlagParameterOptions extends CommonParameterOptions {
  /** A boolean flag: `--x` sets true, `--no-x` false; the default is false. */
  isFlag: true;
  type?: "boolean";
  default?: DefaultValue<boolean>;
  required?: boolean;
}

/** The runtime form of any parameter's options. */
export interface ParameterOptions extends CommonParameterOptions {
  type?: TypeSpec;
  allowedValues?: readonly AllowedValue[];
  multiple?: boolean;
  required?: boolean;
  isFlag?: boolean;
  default?: unknown;
}

/** A declared parameter; `V` is the type of its value in `params`. */
export class Parameter<V = unknown> {
  /** Type-only: the value type. Never set at run time. */
  declare readonly valueType?: V;
  readonly options: Readonly<ParameterOptions>;

  constructor(options: ParameterOptions) {
    this.options = Object.freeze({ ...options });
  }
}

/** Declares a boolean flag (`--x` / `--no-x`). */
export function parameter(options: FlagParameterOptions): Parameter<boolean>;
/** Declares a parameter that always has a value (it has a default or is required). */
export function parameter<
  const T extends TypeSpec = "string",
  const A extends readonly AllowedValue[] | undefined = undefined,
  M extends boolean = false,
>(
  options: ValueParameterOptions<T, A, M> &
    ({ default: DefaultValue<ParameterValue<T, A, M>> } | { required: true }),
): Parameter<ParameterValue<T, A, M>>;
/** Declares an optional parameter: its value is null when none is given. */
export function parameter<
  const T extends TypeSpec = "string",
  const A extends readonly AllowedValue[] | undefined = undefined,
  M extends boolean = false,
>(options: ValueParameterOptions<T, A, M>): Parameter<ParameterValue<T, A, M> | null>;
export function parameter(options: ParameterOptions): Parameter {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("parameter() expects an options object, e.g. parameter({ type: \"float\", default: 0.1 }).");
  }
  return new Parameter(options);
}

/** Runtime validation of one parameter's options, once its name is known. */
export function checkParameterOptions(name: string, options: ParameterOptions): void {
  const where = `Error in parameter declaration for '${name}'`;
  if (options.isFlag) {
    if (options.allowedValues !== undefined) throw new Error(`${where}: 'isFlag' is incompatible with 'allowedValues'.`);
    if (options.multiple) throw new Error(`${where}: 'isFlag' is incompatible with 'multiple'.`);
    if (options.type !== undefined && options.type !== "boolean") {
      throw new Error(`${where}: a flag has type "boolean".`);
    }
  }
  const t = options.type;
  if (t !== undefined && typeof t !== "function" && !["string", "int", "float", "boolean", "path", "json"].includes(t)) {
    throw new Error(`${where}: unknown type '${String(t)}' (expected "string", "int", "float", "boolean", "path", "json" or a parse function).`);
  }
  if (options.envvar !== undefined && options.envvar !== false && typeof options.envvar !== "string") {
    throw new Error(`${where}: invalid envvar: expected a string or false.`);
  }
  if (options.allowedValues !== undefined && (!Array.isArray(options.allowedValues) || options.allowedValues.length === 0)) {
    throw new Error(`${where}: 'allowedValues' must be a non-empty array.`);
  }
}
