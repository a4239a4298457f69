// The DataLoader's worker threads. The main thread may wait for a batch synchronously (inside a
// `for...of`), when its event loop cannot see a worker's `exit` event. So the workers are started
// by a small supervisor thread whose event loop stays free: it reports each worker's exit (a
// `process.exit()` in `getItem`, a heap out of memory, a `terminate()`) on a status port and
// wakes the main thread, which then throws an Error naming the worker and why instead of waiting
// forever. Tasks and results go straight between the main thread and each worker.
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort, type ResourceLimits } from "node:worker_threads";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { WorkerSource } from "./worker-info.js";

const WORKER_URL = new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url).href;
const isTypeScript = (spec: string): boolean => /\.[mc]?ts$/.test(spec);

/**
 * How to start a worker: the compiled entry as a file, or, when the entry or the dataset module is
 * TypeScript (running under tsx), a bootstrap that registers tsx in the worker first: Node 20
 * does not carry the parent's `--import tsx` loader into worker threads.
 */
function workerEntry(source: WorkerSource): { entry: string; eval: boolean } {
  if (!isTypeScript(WORKER_URL) && !isTypeScript(String(source.module))) return { entry: WORKER_URL, eval: false };
  let tsxApi: string;
  try {
    tsxApi = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  } catch {
    throw new Error("DataLoader: worker threads for TypeScript modules need the tsx package (npm install tsx)");
  }
  // a failed start is reported as a fatal result (id -1): the main thread may be blocked waiting
  const code =
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); })` +
    `.catch((e) => { const { workerData: d } = require("node:worker_threads"); d.port.postMessage({ id: -1, error: String(e && e.message || e) });` +
    ` const s = new Int32Array(d.signal); Atomics.add(s, 0, 1); Atomics.notify(s, 0); })`;
  return { entry: code, eval: true };
}

// The supervisor thread (CommonJS, evaluated): starts the workers, reports each one's exit.
const SUPERVISOR = `
const { Worker, parentPort, workerData: d } = require("node:worker_threads");
const workers = d.workers.map((w) => {
  const worker = new Worker(w.eval ? w.entry : new URL(w.entry), {
    eval: w.eval, workerData: w.data, transferList: [w.data.port, w.data.tasks], resourceLimits: d.resourceLimits,
  });
  let error;
  worker.on("error", (e) => { error = e; });
  worker.on("exit", (code) => {
    d.status.postMessage({ worker: w.data.id, code, error: error === undefined ? undefined : String((error && error.message) || error) });
    const s = new Int32Array(w.data.signal);
    Atomics.store(s, 1, 1);
    Atomics.add(s, 0, 1);
    Atomics.notify(s, 0);
  });
  return worker;
});
parentPort.on("message", (m) => { if (typeof m.terminate === "number") workers[m.terminate].terminate(); });
`;

/** A failure of the loader's workers: a worker that died, or a batch that took longer than `timeout`. */
export class DataLoaderWorkerError extends Error {
  override name = "DataLoaderWorkerError";
}

interface Slot {
  tasks: MessagePort;
  results: MessagePort;
  /** [0]: messages posted (and exits), bumped with a notify; [1]: 1 once the worker exited. */
  signal: Int32Array;
  seen: number;
}

/** Worker threads with one task port, one result port and one wake-up counter each; task i goes to worker i mod size. */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly supervisor: Worker;
  private readonly status: MessagePort;
  private readonly exits = new Map<number, string>();
  /** The id the next task gets. */
  nextId = 0;

  constructor(source: WorkerSource, collate: WorkerSource | undefined, readonly size: number, resourceLimits?: ResourceLimits) {
    const plain = (s: WorkerSource): WorkerSource => ({ module: String(s.module), exportName: s.exportName, args: s.args });
    const { entry, eval: isEval } = workerEntry(source);
    const status = new MessageChannel();
    const workers: unknown[] = [];
    const transfer: MessagePort[] = [status.port2];
    for (let id = 0; id < size; id++) {
      const results = new MessageChannel();
      const tasks = new MessageChannel();
      const shared = new SharedArrayBuffer(8);
      workers.push({
        entry,
        eval: isEval,
        data: { source: plain(source), collate: collate ? plain(collate) : undefined, id, numWorkers: size, port: results.port2, tasks: tasks.port2, signal: shared },
      });
      transfer.push(results.port2, tasks.port2);
      // idle workers must not keep the process alive
      results.port1.unref();
      tasks.port1.unref();
      this.slots.push({ tasks: tasks.port1, results: results.port1, signal: new Int32Array(shared), seen: 0 });
    }
    this.supervisor = new Worker(SUPERVISOR, { eval: true, workerData: { workers, status: status.port2, resourceLimits }, transferList: transfer });
    this.supervisor.unref();
    status.port1.unref();
    this.status = status.port1;
  }

  send(task: { indices: number[]; single: boolean; seed?: bigint }): void {
    const id = this.nextId++;
    this.slots[id % this.size]!.tasks.postMessage({ id, ...task });
  }

  /**
   * Blocks until task `id`'s batch is back (results of abandoned epochs are dropped on the way).
   * Throws when its worker exited without answering, or after `timeoutSeconds` (0: no limit).
   */
  receive(id: number, timeoutSeconds = 0): unknown {
    const w = id % this.size;
    const slot = this.slots[w]!;
    const deadline = timeoutSeconds > 0 ? performance.now() + timeoutSeconds * 1000 : Infinity;
    let exited: string | undefined;
    for (;;) {
      const m = receiveMessageOnPort(slot.results);
      if (m) {
        slot.seen++;
        const msg = m.message as { id: number; batch?: unknown; error?: string; stack?: string };
        if (msg.id < id && msg.id !== -1) continue;
        if (msg.error !== undefined) {
          const e = new Error(`DataLoader worker ${w}: ${msg.error}`);
          if (msg.stack) e.stack = `${e.message}\n--- in the worker ---\n${msg.stack}`;
          throw e;
        }
        return msg.batch;
      }
      if (exited !== undefined) {
        throw new DataLoaderWorkerError(`DataLoader worker ${w} exited without answering (task ${id}): ${exited}`);
      }
      if (Atomics.load(slot.signal, 1) === 1) {
        // what it posted before exiting is read first: once the exit report is here, the port once more
        exited = this.exitOf(w);
        continue;
      }
      const now = performance.now();
      if (now >= deadline) {
        throw new DataLoaderWorkerError(`DataLoader timed out after ${timeoutSeconds} seconds waiting for a batch from worker ${w}`);
      }
      const posted = Atomics.load(slot.signal, 0);
      // a message counted but not yet readable becomes readable a moment later: look again soon
      Atomics.wait(slot.signal, 0, posted, posted !== slot.seen ? 1 : Math.min(1000, deadline - now));
    }
  }

  /** Why worker `w` exited, once the supervisor's report arrived. */
  private exitOf(w: number): string | undefined {
    for (let m = receiveMessageOnPort(this.status); m; m = receiveMessageOnPort(this.status)) {
      const r = m.message as { worker: number; code: number; error?: string };
      this.exits.set(r.worker, r.error !== undefined ? `${r.error} (exit code ${r.code})` : `the thread ended with exit code ${r.code}`);
    }
    const why = this.exits.get(w);
    if (why === undefined) Atomics.wait(this.slots[w]!.signal, 0, Atomics.load(this.slots[w]!.signal, 0), 1);
    return why;
  }

  /** @internal Ends worker `w` from outside, as a crash would (tests). */
  terminateWorker(w: number): void {
    this.supervisor.postMessage({ terminate: w });
  }

  close(): void {
    // ending the supervisor ends the workers it started
    void this.supervisor.terminate();
    for (const s of this.slots) {
      s.tasks.close();
      s.results.close();
    }
    this.status.close();
    this.slots.length = 0;
  }
}
