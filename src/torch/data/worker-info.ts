// What a worker thread knows about itself (torch.utils.data.get_worker_info).

/** Where a worker thread finds the dataset: a module and an export (a class or a factory). */
export interface WorkerSource {
  /** A module path or URL (`import.meta.url` of the dataset's own module works). */
  module: string | URL;
  /** The export to construct (`new`) or call with `args` (default "default"). */
  exportName?: string;
  /** Structured-clonable constructor arguments. */
  args?: unknown[];
}

export interface WorkerInfo {
  /** 0 .. numWorkers − 1. */
  id: number;
  numWorkers: number;
  /** The loader's base seed for this epoch plus the worker id (seed your own RNGs from it). */
  seed: bigint;
  /** This worker's copy of the dataset. */
  dataset: unknown;
}

let info: WorkerInfo | null = null;

/** Inside a DataLoader worker thread: who it is; on the main thread: null. */
export function getWorkerInfo(): WorkerInfo | null {
  return info;
}

/** @internal Set by the worker entry point. */
export function setWorkerInfo(value: WorkerInfo): void {
  info = value;
}
