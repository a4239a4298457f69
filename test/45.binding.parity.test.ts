// Signature parity: each exported nn.functional / nn.init callable binds its arguments through the
// shared binder with Python's signature (from the generated table), so names, order and defaults
// are Python's by construction; here every one is shown to bind (a positional argument too many
// is the binder's TypeError naming it), and calls positional vs by name give the same values.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn } from "../src/torch-plugin/index.js";
import { signatureOf, signatureNames, camelCase } from "../src/torch/binding/index.js";

const F = nn.functional as unknown as Record<string, unknown>;
const init = nn.init as unknown as Record<string, unknown>;

function bound(area: string, ns: Record<string, unknown>): [string, (...args: unknown[]) => unknown][] {
  return signatureNames()
    .filter((q) => q.startsWith(`torch.${area}.`) && !q.slice(area.length + 7).includes("."))
    .map((q) => [q, ns[camelCase(q.slice(area.length + 7))]] as const)
    .filter((pair): pair is [string, (...args: unknown[]) => unknown] => typeof pair[1] === "function");
}

for (const [area, ns] of [["nn.functional", F], ["nn.init", init]] as const) {
  test(`every exported ${area} function binds: a positional argument too many is the binder's TypeError`, () => {
    const callables = bound(area, ns);
    assert.ok(callables.length > 20, `${area}: ${callables.length} bound callables`);
    const unbound: string[] = [];
    for (const [qualname, fn] of callables) {
      const sig = signatureOf(qualname);
      if (sig.varargs) continue;
      const args = Array.from({ length: sig.positional.length + 1 }, () => 0);
      try {
        fn(...args);
        unbound.push(`${qualname}: accepted ${args.length} positionals`);
      } catch (e) {
        const message = (e as Error).message;
        if (!(e instanceof TypeError) || !/positional argument/.test(message) || !message.includes(sig.displayName)) {
          unbound.push(`${qualname}: ${message}`);
        }
      }
    }
    assert.deepEqual(unbound, []);
  });
}

test("positional and named calls give the same result", () => {
  torch.manualSeed(0);
  const x = torch.randn([2, 3, 8, 8]);
  const w = torch.randn([4, 3, 3, 3]);
  const same = (a: unknown, b: unknown, what: string): void => {
    const ta = a as InstanceType<typeof torch.Tensor>;
    const tb = b as InstanceType<typeof torch.Tensor>;
    assert.deepEqual(ta.shape, tb.shape, what);
    assert.ok(ta.sub(tb).abs().max().item() === 0, what);
  };
  same(nn.functional.conv2d(x, w, null, 2, 1), nn.functional.conv2d(x, w, { stride: 2, padding: 1 }), "conv2d");
  same(nn.functional.conv2d(x, w, null, 2, 1), nn.functional.conv2d({ input: x, weight: w, stride: 2, padding: 1 }), "conv2d all named");
  same(nn.functional.maxPool2d(x, 2, 1), nn.functional.maxPool2d(x, { kernelSize: 2, stride: 1 }), "maxPool2d");
  assert.deepEqual(nn.functional.maxPool2d(x, 2, 1).shape, [2, 3, 7, 7], "maxPool2d(x, 2, 1) is stride 1");
  same(nn.functional.softmax(x, 1), nn.functional.softmax(x, { dim: 1 }), "softmax");
  same(nn.functional.avgPool2d(x, 3, 2, 1), nn.functional.avgPool2d(x, 3, { stride: 2, padding: 1 }), "avgPool2d");
  same(nn.functional.leakyRelu(x, 0.2), nn.functional.leakyRelu(x, { negativeSlope: 0.2 }), "leakyRelu");
  const seq = torch.randn([2, 3, 8]);
  same(nn.functional.pad(seq, [1, 2], "reflect"), nn.functional.pad(seq, [1, 2], { mode: "reflect" }), "pad");
  const labels = torch.tensor([0, 2, 1], { dtype: "int64" });
  same(nn.functional.oneHot(labels, 4), nn.functional.oneHot(labels, { numClasses: 4 }), "oneHot");
  const logits = torch.randn([3, 4]);
  same(nn.functional.crossEntropy(logits, labels, null, null, -100, null, "sum"), nn.functional.crossEntropy(logits, labels, { reduction: "sum" }), "crossEntropy");
  torch.manualSeed(1);
  const d1 = nn.functional.dropout(x, 0.2);
  torch.manualSeed(1);
  const d2 = nn.functional.dropout(x, { p: 0.2 });
  same(d1, d2, "dropout");
  const kept = d1.ne(0).float().mean().item() as number;
  assert.ok(kept > 0.7 && kept < 0.9, `dropout(x, 0.2) keeps about 80 %, kept ${kept}`);
  const a = torch.empty([5, 6]);
  const b = torch.empty([5, 6]);
  torch.manualSeed(2);
  nn.init.xavierNormal_(a, 2);
  torch.manualSeed(2);
  nn.init.xavierNormal_(b, { gain: 2 });
  same(a, b, "xavierNormal_");
  torch.manualSeed(3);
  nn.init.truncNormal_(a, 0, 0.02);
  torch.manualSeed(3);
  nn.init.truncNormal_(b, { std: 0.02 });
  same(a, b, "truncNormal_");
});

test("unknown options and wrong types are TypeErrors naming the function and parameter", () => {
  const x = torch.randn([2, 3]);
  assert.throws(() => nn.functional.dropout(x, { q: 0.2 } as never), /nn\.functional\.dropout\(\): unknown option 'q'/);
  assert.throws(() => nn.functional.softmax(x, "1" as never), /nn\.functional\.softmax\(\): argument 'dim' must be/);
  assert.throws(() => nn.init.xavierNormal_(x, { gian: 1 } as never), /nn\.init\.xavierNormal_\(\): unknown option 'gian'/);
});
