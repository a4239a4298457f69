// Collectives on tensors (torch.distributed.all_reduce & co.), in place as in PyTorch, plus
// pystematic's broadcastFromMaster for tensors and plain JSON values.
import { Tensor } from "../tensor/tensor.js";
import { emptyLike } from "../tensor/creation.js";
import { c10d, getProcessGroup, requireGroup } from "./process-group.js";

export type ReduceOp = "sum" | "avg" | "product" | "min" | "max";
const OPS: Record<ReduceOp, number> = { sum: 0, avg: 1, product: 2, min: 3, max: 4 };

function opCode(op: ReduceOp): number {
  const code = OPS[op];
  if (code === undefined) throw new TypeError(`unknown reduce op '${String(op)}' (sum, avg, product, min, max)`);
  return code;
}

function assertTensor(t: unknown, what: string): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${what}: expected a Tensor`);
}

/** Reduces `tensor` across all ranks, in place (every rank gets the result). */
export function allReduce(tensor: Tensor, options: { op?: ReduceOp; timeoutMs?: number } = {}): Tensor {
  assertTensor(tensor, "allReduce");
  const g = requireGroup("allReduce");
  c10d().allReduce(g.handle, [tensor._h], opCode(options.op ?? "sum"), options.timeoutMs ?? g.timeoutMs);
  return tensor;
}

/** Copies `tensor` from rank `src` to every rank, in place. */
export function broadcast(tensor: Tensor, src = 0, options: { timeoutMs?: number } = {}): Tensor {
  assertTensor(tensor, "broadcast");
  const g = requireGroup("broadcast");
  c10d().broadcast(g.handle, [tensor._h], src, options.timeoutMs ?? g.timeoutMs);
  return tensor;
}

/** Every rank's `tensor`, in rank order (same shape and dtype on all ranks). */
export function allGather(tensor: Tensor, options: { timeoutMs?: number } = {}): Tensor[] {
  assertTensor(tensor, "allGather");
  const g = requireGroup("allGather");
  const outputs = Array.from({ length: g.worldSize }, () => emptyLike(tensor));
  c10d().allGather(g.handle, outputs.map((t) => t._h), tensor._h, options.timeoutMs ?? g.timeoutMs);
  return outputs;
}

/**
 * Reduces `inputs[i]` across ranks into rank i's `output`. Backends without reduce-scatter
 * (Gloo) get the same result from an all-reduce of the stacked inputs.
 */
export function reduceScatter(
  output: Tensor,
  inputs: readonly Tensor[],
  options: { op?: ReduceOp; timeoutMs?: number } = {},
): Tensor {
  assertTensor(output, "reduceScatter");
  const g = requireGroup("reduceScatter");
  if (inputs.length !== g.worldSize) throw new RangeError(`reduceScatter: expected ${g.worldSize} inputs, one per rank`);
  const timeout = options.timeoutMs ?? g.timeoutMs;
  if (g.backend === "nccl") {
    c10d().reduceScatter(g.handle, output._h, inputs.map((t) => t._h), opCode(options.op ?? "sum"), timeout);
    return output;
  }
  const mine = inputs.map((t) => t.clone());
  const d = c10d();
  for (const t of mine) d.allReduce(g.handle, [t._h], opCode(options.op ?? "sum"), timeout);
  output.copy_(mine[g.rank]!);
  return output;
}

/** Waits until every rank reaches this call. */
export function distributedBarrier(options: { timeoutMs?: number } = {}): void {
  const g = requireGroup("distributedBarrier");
  c10d().barrier(g.handle, options.timeoutMs ?? g.timeoutMs);
}

let broadcastCount = 0;

/**
 * The master's `value` on every rank: a tensor is broadcast in place and returned; a JSON value
 * (numbers, strings, arrays, plain objects, null) travels through the store. Outside a
 * distributed run it returns `value` itself.
 */
export function broadcastFromMaster<T>(value: T): T {
  const g = getProcessGroup();
  if (!g) return value;
  if (value instanceof Tensor) return broadcast(value, 0) as T;
  const key = `pystematic/broadcast/${broadcastCount++}`;
  const d = c10d();
  if (g.rank === 0) {
    d.storeSet(g.store, key, JSON.stringify(value === undefined ? null : value));
    return value;
  }
  return JSON.parse(Buffer.from(d.storeGet(g.store, key)).toString("utf8")) as T;
}
