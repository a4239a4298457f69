// Typing of the nn.utils functions that take a module first and return it (weightNorm,
// registerParametrization, ...): called with a module, they return the same module's type.
import type { ArgsOf, PySignatures } from "../../binding/index.js";
import type { Module } from "../module.js";

/** The arguments after the module, in each positional form of `Q`'s signature. */
export type AfterModule<Q extends keyof PySignatures> =
  ArgsOf<Q> extends infer A ? (A extends readonly [Module, ...infer Rest] ? Rest : never) : never;
