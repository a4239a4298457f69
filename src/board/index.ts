// `pystematic board`: a local web server showing runs, sweeps and their recorded values.
export { startBoard, type Board, type BoardOptions } from "./server.js";
export type { RunStatus } from "./run-status.js";
export type { RunSummary, SweepMarker } from "./board-run.js";
