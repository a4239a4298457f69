// The entry point of a DataLoader worker thread. It builds its own copy of the dataset from a
// WorkerSource, then for each task `{ id, indices, seed }` fetches the samples, collates them
// without libtorch (ArrayTensors of TypedArrays), and posts the batch on its result port with
// the buffers transferred. It then bumps a shared counter and wakes the main thread, which may be
// blocked in Atomics.wait inside a synchronous `for...of`.
import { workerData, type MessagePort } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { plainCollate, transferList } from "./collate.js";
import { setWorkerInfo, type WorkerSource } from "./worker-info.js";

interface Init {
  source: WorkerSource;
  collate?: WorkerSource;
  id: number;
  numWorkers: number;
  port: MessagePort;
  /** Where the main thread posts tasks. */
  tasks: MessagePort;
  signal: SharedArrayBuffer;
}
interface Task {
  id: number;
  indices: number[] | null;
  /** No automatic batching: the one sample as it is. */
  single?: boolean;
  seed?: bigint;
}

const init = workerData as Init;
const signal = new Int32Array(init.signal);

function isClass(f: unknown): boolean {
  return typeof f === "function" && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

async function load(source: WorkerSource): Promise<unknown> {
  const spec = String(source.module);
  const url = /^[a-z]+:/i.test(spec) ? spec : pathToFileURL(spec).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const name = source.exportName ?? "default";
  const f = mod[name];
  if (typeof f !== "function") throw new TypeError(`DataLoader worker: ${spec} has no function or class export "${name}"`);
  const args = source.args ?? [];
  return isClass(f) ? new (f as new (...a: unknown[]) => unknown)(...args) : (f as (...a: unknown[]) => unknown)(...args);
}

function post(message: unknown, transfer: ArrayBuffer[] = []): void {
  init.port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

const ready = (async () => {
  const dataset = (await load(init.source)) as { getItem(i: number): unknown };
  const collate = init.collate ? ((await load(init.collate)) as (samples: unknown[]) => unknown) : null;
  if (typeof dataset?.getItem !== "function") throw new TypeError("DataLoader worker: the dataset has no getItem(index)");
  setWorkerInfo({ id: init.id, numWorkers: init.numWorkers, seed: 0n, dataset });
  return { dataset, collate };
})();

init.tasks.on("message", (task: Task) => {
  ready
    .then(({ dataset, collate }) => {
      if (task.seed !== undefined) setWorkerInfo({ id: init.id, numWorkers: init.numWorkers, seed: task.seed + BigInt(init.id), dataset });
      const samples = task.indices!.map((i) => dataset.getItem(i));
      const batch = task.single ? samples[0] : collate ? collate(samples) : plainCollate(samples);
      post({ id: task.id, batch }, transferList(batch));
    })
    .catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      post({ id: task.id, error: err.message, stack: err.stack });
    });
});
