// The one argument binder of the hand-written layer: Python's parameters positionally in Python's
// order, or by camelCase name in one trailing options object, or both, with Python's defaults.
// Too many positional arguments, an unknown option, a missing required argument or a value of the
// wrong type is a TypeError naming the callable and the parameter.
import { describe } from "../tensor/tensor.js";
import { signatureOf, type CallableSignature, type ParamSpec } from "./signature-table.js";
import { isPlainObject } from "./type-checks.js";
import type { BoundOf } from "./py-args.js";
import type { PySignatures } from "./signatures.types.generated.js";

/** Arguments bound to parameter names: every parameter is present, defaults filled in. */
export type BoundArgs = Record<string, unknown>;

function fail(sig: CallableSignature, message: string): never {
  throw new TypeError(`${sig.displayName}(): ${message}`);
}

/** Whether a trailing plain object is an argument itself: the parameter it would fill takes a dict. */
function isDictArgument(sig: CallableSignature, index: number): boolean {
  const param = index < sig.positional.length ? sig.positional[index] : sig.varargs;
  return param !== undefined && param.type.split("|").includes("dict");
}

function checkValue(sig: CallableSignature, param: ParamSpec, value: unknown): void {
  if (!param.check(value)) {
    fail(sig, `argument '${param.name}' must be ${param.check.expected}, not ${describe(value)}`);
  }
  if (param.unsupported !== undefined && !sameAsDefault(value, param.defaultValue)) {
    fail(sig, `argument '${param.name}' other than its default (${describe(param.defaultValue)}) is not supported: ${param.unsupported}`);
  }
}

function sameAsDefault(value: unknown, defaultValue: unknown): boolean {
  return value === defaultValue || (value === null && defaultValue === undefined) || (value === undefined && defaultValue === null);
}

/**
 * Binds `args` (as the callable received them) to `qualname`'s Python signature.
 *
 * @example
 * constructor(...args: PyArgs<Conv2dParams>) {
 *   const a = bindArgs<Bound<Conv2dParams>>("torch.nn.Conv2d", args); // a.inChannels, a.stride (1), ...
 * }
 */
export function bindArgs<B extends object = BoundArgs>(qualname: string, args: ArrayLike<unknown>): B {
  const sig = signatureOf(qualname);
  let count = args.length;
  while (count > 0 && args[count - 1] === undefined) count--; // trailing undefined = not given
  let options: Record<string, unknown> | undefined;
  if (count > 0 && isPlainObject(args[count - 1]) && !isDictArgument(sig, count - 1)) {
    options = args[count - 1] as Record<string, unknown>;
    count--;
  }
  const bound: BoundArgs = {};
  const positional = sig.positional;
  if (count > positional.length && sig.varargs === undefined) {
    const most = positional.length;
    const least = positional.filter((p) => !p.hasDefault).length;
    const range = least === most ? `${most}` : `from ${least} to ${most}`;
    fail(sig, `takes ${range} positional argument${most === 1 ? "" : "s"} but ${count} were given`);
  }
  const given = new Set<string>();
  for (let i = 0; i < count && i < positional.length; i++) {
    const param = positional[i];
    const value = args[i];
    if (value === undefined) continue;
    checkValue(sig, param, value);
    bound[param.name] = value;
    given.add(param.name);
  }
  if (sig.varargs !== undefined) {
    const rest: unknown[] = [];
    for (let i = positional.length; i < count; i++) rest.push(args[i]);
    // Sizes as varargs or one array: zeros(2, 3) and zeros([2, 3]).
    const flattened = rest.length === 1 && Array.isArray(rest[0]) && sig.varargs.type.startsWith("int") ? (rest[0] as unknown[]) : rest;
    for (const value of flattened) checkValue(sig, sig.varargs, value);
    bound[sig.varargs.name] = flattened;
  }
  if (options !== undefined) {
    let extra: Record<string, unknown> | undefined;
    for (const key of Object.keys(options)) {
      const value = options[key];
      const param = sig.byName.get(key);
      if (param === undefined) {
        if (sig.varkw !== undefined) {
          (extra ??= {})[key] = value;
          continue;
        }
        const names = [...sig.byName.keys()].join(", ");
        fail(sig, `unknown option '${key}' (its parameters are ${names})`);
      }
      if (given.has(key)) fail(sig, `got multiple values for argument '${key}' (positionally and in the options)`);
      if (value === undefined) continue;
      checkValue(sig, param, value);
      bound[key] = value;
      given.add(key);
    }
    if (sig.varkw !== undefined) bound[sig.varkw.name] = extra ?? {};
  } else if (sig.varkw !== undefined) {
    bound[sig.varkw.name] = {};
  }
  for (const param of sig.params) {
    if (param.kind === "v" || param.kind === "w" || given.has(param.name)) continue;
    if (!param.hasDefault) fail(sig, `missing required argument '${param.name}'`);
    bound[param.name] = param.defaultValue;
  }
  return bound as B;
}

/**
 * `bindArgs` typed by the generated signatures: the result has each parameter of `qualname` by
 * camelCase name, typed as Python annotates it.
 *
 * @example
 * export function dropout(...args: ArgsOf<"torch.nn.functional.dropout">): Tensor {
 *   const { input, p, training, inplace } = bind("torch.nn.functional.dropout", args);
 * }
 */
export function bind<Q extends keyof PySignatures>(qualname: Q, args: ArrayLike<unknown>): BoundOf<Q> {
  return bindArgs<BoundOf<Q>>(qualname, args);
}
