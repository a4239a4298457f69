// The shared argument binder of the hand-written layer (nn, functional, optim, data, distributions, ...).
export { bind, bindArgs, type BoundArgs } from "./bind-args.js";
export { signatureOf, signatureNames, camelCase, type CallableSignature, type ParamSpec } from "./signature-table.js";
export { registerTypeCheck, isPlainObject, typeCheck, type TypeCheck } from "./type-checks.js";
export type { Param, PyArgs, Bound, OptionsOf, ArgsOf, BoundOf } from "./py-args.js";
export type { PySignatures } from "./signatures.types.generated.js";
