// Signature parity of torch.nn.utils, nn.utils.rnn, parametrize, parametrizations and stateless:
// every function of the signature table in those namespaces is exported under its camelCase name
// and binds through the shared binder (a positional argument too many is the binder's TypeError
// naming it); positional and named calls give the same results.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { signatureOf, signatureNames, camelCase } from "../src/torch/binding/index.js";

const AREAS: [string, Record<string, unknown>][] = [
  ["nn.utils", nn.utils as unknown as Record<string, unknown>],
  ["nn.utils.rnn", nn.utils.rnn as unknown as Record<string, unknown>],
  ["nn.utils.parametrize", nn.utils.parametrize as unknown as Record<string, unknown>],
  ["nn.utils.parametrizations", nn.utils.parametrizations as unknown as Record<string, unknown>],
  ["nn.utils.stateless", nn.utils.stateless as unknown as Record<string, unknown>],
];

// Python's context manager is a function taking the body here, as noGrad(fn) (README's mechanical changes).
const TAKES_A_BODY = new Set(["torch.nn.utils.parametrize.cached"]);

/** The table's functions of an area (not classes, not methods): qualname and our name. */
function functionsOf(area: string): [string, string][] {
  const prefix = `torch.${area}.`;
  return signatureNames()
    .filter((q) => q.startsWith(prefix) && !q.slice(prefix.length).includes(".") && /^[a-z]/.test(q.slice(prefix.length)))
    .map((q) => [q, camelCase(q.slice(prefix.length))]);
}

for (const [area, ns] of AREAS) {
  test(`every ${area} function of the signature table is exported and binds: a positional argument too many is the binder's TypeError`, () => {
    const functions = functionsOf(area);
    assert.ok(functions.length > 0, `${area}: no functions in the table`);
    const problems: string[] = [];
    for (const [qualname, name] of functions) {
      const fn = ns[name];
      if (typeof fn !== "function") {
        problems.push(`${qualname}: not exported as ${area}.${name}`);
        continue;
      }
      const sig = signatureOf(qualname);
      if (sig.varargs || TAKES_A_BODY.has(qualname)) continue;
      const args = Array.from({ length: sig.positional.length + 1 }, () => 0);
      try {
        (fn as (...a: unknown[]) => unknown)(...args);
        problems.push(`${qualname}: accepted ${args.length} positionals`);
      } catch (e) {
        const message = (e as Error).message;
        if (!(e instanceof TypeError) || !/positional argument/.test(message) || !message.includes(sig.displayName)) {
          problems.push(`${qualname}: ${message}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
}

test("classes of nn.utils.rnn and parametrize bind their constructors", () => {
  const packed = nn.utils.rnn.packSequence([torch.ones([2, 1]), torch.ones([1, 1])]);
  assert.throws(() => new nn.utils.rnn.PackedSequence(packed.data, packed.batchSizes, null, null, 1 as never), /nn.utils.rnn.PackedSequence\(\): takes from 1 to 4 positional arguments but 5 were given/);
  assert.throws(() => new nn.utils.parametrize.ParametrizationList([new nn.Identity()], torch.ones([1]), false, 1 as never), /positional argument/);
});

test("positional and named calls give the same values", () => {
  const seqs = [torch.arange(6, { dtype: "float32" }).view(3, 2), torch.ones([1, 2])];
  const same = (a: Tensor, b: Tensor, what: string): void => {
    assert.deepEqual(a.shape, b.shape, what);
    assert.equal(a.sub(b).abs().max().item(), 0, what);
  };
  same(nn.utils.rnn.padSequence(seqs, true, -1), nn.utils.rnn.padSequence({ sequences: seqs, batchFirst: true, paddingValue: -1 }), "padSequence");
  const padded = nn.utils.rnn.padSequence(seqs);
  const p1 = nn.utils.rnn.packPaddedSequence(padded, [3, 1], false, true);
  const p2 = nn.utils.rnn.packPaddedSequence(padded, { lengths: [3, 1] });
  same(p1.data, p2.data, "packPaddedSequence");
  const [u1] = nn.utils.rnn.padPackedSequence(p1, true, 5, 4);
  const [u2] = nn.utils.rnn.padPackedSequence(p1, { batchFirst: true, paddingValue: 5, totalLength: 4 });
  same(u1, u2, "padPackedSequence");
  const grads = (): nn.Parameter[] => {
    const p = new nn.Parameter(torch.ones([3]));
    p.grad = torch.tensor([3, 4, 12], { dtype: "float32" });
    return [p];
  };
  const a = grads();
  const b = grads();
  same(nn.utils.clipGradNorm_(a, 1, 1), nn.utils.clipGradNorm_(b, { maxNorm: 1, normType: 1 }), "clipGradNorm_ total");
  same(a[0]!.grad!, b[0]!.grad!, "clipGradNorm_ grads");
  const m1 = nn.utils.weightNorm(new nn.Linear(2, 2), "weight", 1);
  const m2 = nn.utils.weightNorm(new nn.Linear(2, 2), { dim: 1 });
  assert.deepEqual((m1 as unknown as { weight_g: Tensor }).weight_g.shape, (m2 as unknown as { weight_g: Tensor }).weight_g.shape);
  assert.throws(() => nn.utils.weightNorm(new nn.Linear(2, 2), { dimm: 1 } as never), /nn.utils.weightNorm\(\): unknown option 'dimm'/);
  assert.throws(() => nn.utils.spectralNorm(new nn.Linear(2, 2), 3 as never), /nn.utils.spectralNorm\(\): argument 'name' must be str/);
  assert.throws(() => nn.utils.rnn.packSequence("abc" as never), /nn.utils.rnn.packSequence\(\): argument 'sequences' must be/);
});
