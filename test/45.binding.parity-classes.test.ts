// Signature parity of the classes: every exported nn module, optimizer, lr scheduler and data class
// whose Python constructor has a signature in the generated table binds its arguments through the
// shared binder — a positional argument too many is the binder's TypeError naming the class — so its
// parameter names, order and defaults are Python's by construction.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, optim } from "../src/torch-plugin/index.js";
import { signatureOf, signatureNames } from "../src/torch/binding/index.js";

type Constructor = new (...args: unknown[]) => unknown;

/** Classes listed in the table directly under `torch.<area>.`, paired with our export of that name. */
function classes(area: string, ns: object | undefined): [string, Constructor][] {
  const prefix = `torch.${area}.`;
  const exports = (ns ?? {}) as Record<string, unknown>;
  return signatureNames()
    .filter((q) => q.startsWith(prefix) && /^[A-Z]/.test(q.slice(prefix.length)) && !q.slice(prefix.length).includes("."))
    .map((q) => [q, exports[q.slice(prefix.length)]] as const)
    .filter((pair): pair is [string, Constructor] => typeof pair[1] === "function" && pair[1].prototype !== undefined);
}

// Abstract bases, subclassed rather than constructed: their constructors take what a subclass's
// super() call passes (Python's Dataset/Sampler subclasses need not call __init__ at all).
const NOT_CONSTRUCTED = new Set([
  "torch.nn.Module", "torch.nn.RNNBase", "torch.optim.Optimizer", "torch.optim.lr_scheduler.LRScheduler",
  "torch.optim.lr_scheduler._LRScheduler", "torch.utils.data.Dataset", "torch.utils.data.IterableDataset",
  "torch.utils.data.Sampler",
]);

const areas: [string, object | undefined][] = [
  ["nn", nn],
  ["optim", optim],
  ["optim.lr_scheduler", (optim as unknown as Record<string, object>).lrScheduler],
  ["utils.data", (torch as unknown as Record<string, object>).data],
];

for (const [area, ns] of areas) {
  test(`every exported ${area} class binds its constructor: a positional argument too many is the binder's TypeError`, () => {
    const found = classes(area, ns).filter(([q]) => !NOT_CONSTRUCTED.has(q));
    assert.ok(found.length >= 3, `${area}: ${found.length} classes`);
    const unbound: string[] = [];
    for (const [qualname, Cls] of found) {
      const sig = signatureOf(qualname);
      if (sig.varargs) continue;
      const args = Array.from({ length: sig.positional.length + 1 }, () => 0);
      try {
        new Cls(...args);
        unbound.push(`${qualname}: accepted ${args.length} positionals`);
      } catch (e) {
        const message = (e as Error).message;
        if (!(e instanceof TypeError) || !/positional argument/.test(message) || !message.includes(sig.displayName)) {
          unbound.push(`${qualname}: ${e instanceof TypeError ? "TypeError" : (e as Error).name}: ${message}`);
        }
      }
    }
    assert.deepEqual(unbound, []);
  });
}
