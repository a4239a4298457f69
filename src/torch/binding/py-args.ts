// TypeScript's view of a Python signature: the argument lists a callable accepts, derived from one
// tuple of its parameters, so a hand-written callable declares its parameters once.
import type { PySignatures } from "./signatures.types.generated.js";

/** One parameter: its camelCase name, its type, and whether Python gives it a default. */
export interface Param<Name extends string = string, T = unknown, Optional extends boolean = boolean> {
  readonly name: Name;
  readonly type: T;
  readonly optional: Optional;
}

type ParamType<X> = X extends Param<string, infer T, boolean> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The options object for the parameters `Ps`: required ones required, the rest optional. */
export type OptionsOf<Ps extends readonly Param[]> = Simplify<
  { [X in Ps[number] as X extends Param<infer N, unknown, false> ? N : never]: ParamType<X> } & {
    [X in Ps[number] as X extends Param<infer N, unknown, true> ? N : never]?: ParamType<X>;
  }
>;

type HasRequired<Ps extends readonly Param[]> = Extract<Ps[number], Param<string, unknown, false>> extends never ? false : true;

/** The options slot after the positional prefix: required while a required parameter is left. */
type OptionsSlot<Rest extends readonly Param[], KeywordOnly extends readonly Param[]> =
  HasRequired<[...Rest, ...KeywordOnly]> extends true
    ? [options: OptionsOf<[...Rest, ...KeywordOnly]>]
    : [options?: OptionsOf<[...Rest, ...KeywordOnly]>];

type Prefixes<Ps extends readonly Param[], KeywordOnly extends readonly Param[], Done extends unknown[]> =
  Ps extends readonly [infer H, ...infer R extends readonly Param[]]
    ? [...Done, ...OptionsSlot<Ps, KeywordOnly>] | Prefixes<R, KeywordOnly, [...Done, ParamType<H>]>
    : [...Done, ...OptionsSlot<[], KeywordOnly>];

/**
 * The argument lists of a callable with positional-or-keyword parameters `Ps` and keyword-only
 * parameters `KeywordOnly`: any prefix of `Ps` positionally, the rest in one trailing options object.
 *
 * @example
 * type LinearParams = [Param<"inFeatures", number, false>, Param<"outFeatures", number, false>, Param<"bias", boolean, true>];
 * // new Linear(2, 3), new Linear(2, 3, false), new Linear(2, 3, { bias: false }), new Linear({ inFeatures: 2, outFeatures: 3 })
 * constructor(...args: PyArgs<LinearParams>) {}
 */
export type PyArgs<Ps extends readonly Param[], KeywordOnly extends readonly Param[] = []> = Prefixes<Ps, KeywordOnly, []>;

/** The bound arguments of `Ps` and `KeywordOnly`: every name present (defaults filled in). */
export type Bound<Ps extends readonly Param[], KeywordOnly extends readonly Param[] = []> = Simplify<{
  [X in [...Ps, ...KeywordOnly][number] as X extends Param<infer N, unknown, boolean> ? N : never]: ParamType<X>;
}>;

/** The call forms of the Python callable `Q` (`"torch.nn.Conv2d"`), from the generated signatures. */
export type ArgsOf<Q extends keyof PySignatures> = PyArgs<PySignatures[Q]["p"], PySignatures[Q]["k"]>;

/** The bound arguments of the Python callable `Q`: every parameter by camelCase name. */
export type BoundOf<Q extends keyof PySignatures> = Bound<PySignatures[Q]["p"], PySignatures[Q]["k"]>;
