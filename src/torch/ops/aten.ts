// torch.ops.aten: every ATen operator by its own name (`torch.ops.aten.einsum`,
// `torch.ops.aten._unique2`), as PyTorch keeps the raw op reachable where a Python-level wrapper
// of `torch/functional.py` took its public name.
import { native } from "../tensor/tensor.js";
import { call, callResolved, opTable } from "./runtime.js";

/** An ATen operator called with positionals and a trailing options object (camelCase keys). */
export type AtenOp = (...args: unknown[]) => unknown;

const cache = new Map<string, AtenOp>();

function tableIndex(name: string): number {
  const table = opTable();
  for (let i = 0; i < table.length; i++) {
    const e = table[i]!;
    if (e[0] === name && e[2].startsWith("torch.")) return i;
  }
  for (let i = 0; i < table.length; i++) if (table[i]![0] === name) return i;
  return -1;
}

function resolveOp(name: string): AtenOp {
  const index = tableIndex(name);
  if (index >= 0) return (...args: unknown[]) => call(index, args);
  const overloads = native()
    .opList()
    .filter(([qualified, overload]) => qualified === `aten::${name}` && !overload.startsWith("names"))
    .map(([, overload]) => overload);
  if (overloads.length === 0) throw new TypeError(`torch.ops.aten.${name}: no such ATen operator`);
  let id: number | undefined;
  return (...args: unknown[]) => {
    id ??= native().opResolve(`aten::${name}`, overloads, `torch.ops.aten.${name}`);
    return callResolved(id, args);
  };
}

/**
 * The ATen operators by name. A method-only op takes its tensor first.
 *
 * @example
 * const [values, inverse, counts] = torch.ops.aten._unique2(x, { returnCounts: true }) as Tensor[];
 * torch.ops.aten.stft(x, 16, { returnComplex: true }); // no centring: the raw op
 */
export const aten: Readonly<Record<string, AtenOp>> = new Proxy({} as Record<string, AtenOp>, {
  get(_target, key) {
    if (typeof key !== "string") return undefined;
    let fn = cache.get(key);
    if (fn === undefined) {
      fn = resolveOp(key);
      cache.set(key, fn);
    }
    return fn;
  },
});

/** `torch.ops`: the operator namespaces (`aten`). */
export const ops = { aten } as const;

