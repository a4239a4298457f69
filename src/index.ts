// Public entry point `pystematic`: experiments, runs, recording. Never loads libtorch.
export * from "./core/index.js";
export * from "./core/run/index.js";
export * from "./recording/index.js";
