// torch.nn: modules, parameters, initialisations, the functional layer and gradient clipping.
export { Module } from "./module.js";
export type { StateDict, ForwardHook, ForwardPreHook, RemovableHandle, IncompatibleKeys, ModuleTarget } from "./module.js";
export { Parameter } from "./parameter.js";
export { Identity, Linear, Bilinear } from "./linear.js";
export type { FactoryOptions } from "./linear.js";
export { Sequential, ModuleList, ModuleDict } from "./container.js";
export * as init from "./init.js";
