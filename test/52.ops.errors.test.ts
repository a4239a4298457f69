// Bad arguments to generated ops throw a JS TypeError naming the op, the argument and the
// expected type (before libtorch is called); libtorch's own errors come back as JS Errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { opTable, overloadVersions, surfaceVersions } from "../src/torch/ops/runtime.js";
import { version } from "../src/torch/version.js";
import { shadowedMethods } from "../src/torch/tensor/tensor.js";

test("a wrong argument type names the op, the argument and the expected type", () => {
  const x = torch.ones([2, 3]);
  assert.throws(
    () => torch.add(x, "a" as unknown as number),
    (e: Error) =>
      e instanceof TypeError &&
      /^torch\.add \(aten::add\): no overload accepts \(Tensor, string\)/.test(e.message) &&
      /argument 'other' must be Tensor/.test(e.message) &&
      /argument 'other' must be Scalar/.test(e.message),
  );
  assert.throws(() => torch.logSoftmax(x, 1.5), /torch\.logSoftmax \(aten::log_softmax\).*\n.*argument 'dim' must be int/);
  assert.throws(() => x.transpose(0, "1" as unknown as number), /Tensor\.transpose \(aten::transpose\).*\n.*argument 'dim1' must be int/);
  assert.throws(
    () => torch.conv2d(torch.ones([1, 1, 3, 3]), torch.ones([1, 1, 2, 2]), { stride: [1, "2"] as unknown as number[] }),
    // libtorch 2.x's schemas type sizes as SymInt.
    /torch\.conv2d \(aten::conv2d\)[\s\S]*argument 'stride' must be (?:int|SymInt)\[2\]/,
  );
  assert.throws(() => torch.sum(x, { dtype: "float99" as "float32" }), /torch\.sum \(aten::sum\): argument 'dtype': unknown dtype 'float99'/);
  assert.throws(() => torch.softmax(x, 1, { bogus: 1 } as never), /got an unexpected option 'bogus'/);
  assert.throws(() => torch.neg(x, x as never), /takes 1 positional arguments but 2 were given/);
  // Positional values travel as call arguments, at most 16 (Python's varargs sizes included).
  assert.deepEqual(torch.ones(Array(16).fill(1) as never).view(...(Array(16).fill(1) as [number])).shape, Array(16).fill(1));
  assert.throws(() => torch.ones([1]).view(...(Array(17).fill(1) as [number])), /Tensor\.view \(aten::view\): too many arguments/);
  assert.throws(() => (torch.transpose as (...a: unknown[]) => unknown)(x), /missing the required argument 'dim0'/);
  assert.throws(() => torch.randperm(3, { generator: {} as never }), /argument 'generator' must be Generator/);
});

test("libtorch's errors from generated ops are JS Errors with its message", () => {
  assert.throws(() => torch.mm(torch.ones([2, 3]), torch.ones([2, 3])), /mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)/);
  assert.throws(() => torch.ones([2]).view([3]), /shape '\[3\]' is invalid for input of size 2/);
  assert.throws(() => torch.cat([torch.ones([2]), torch.ones([2, 2])]), /Tensors must have same number of dimensions/);
});

test("every generated function and method rejects a bad argument with a TypeError naming it", () => {
  const torchNs = torch as unknown as Record<string, unknown>;
  const namespaces: Record<string, Record<string, unknown>> = {
    torch: torchNs,
    "torch.linalg": torch.linalg as unknown as Record<string, unknown>,
    "torch.fft": torch.fft as unknown as Record<string, unknown>,
    "torch.special": torch.special as unknown as Record<string, unknown>,
  };
  const x = torch.ones([2]);
  const bad = Symbol("bad");
  let checked = 0;
  const running = `${version.major}.${version.minor}`;
  for (const [aten, tokens, display] of opTable()) {
    // Ops the running libtorch lacks throw their version error instead (test/51.ops.coverage.test.ts).
    if (!tokens.split(",").some((t) => (overloadVersions(t) ?? surfaceVersions()).includes(running))) continue;
    const m = /^(torch(?:\.\w+)?|Tensor)\.(\w+) /.exec(display);
    assert.ok(m, display);
    const [, ns, name] = m;
    // A method a hand-written member shadows is checked through its generated version.
    // Looked up only for Tensor methods: a torch function's name may be a Tensor property (t.imag).
    const method = () => shadowedMethods.get(name!) ?? (x as unknown as Record<string, (...a: unknown[]) => unknown>)[name!]!;
    const call = ns === "Tensor" ? () => method().call(x, bad) : () => (namespaces[ns!]![name!] as (...a: unknown[]) => unknown)(bad);
    assert.throws(
      call,
      (e: Error) => {
        assert.ok(e instanceof TypeError, `${display}: ${e.message}`);
        assert.ok(e.message.startsWith(`${display}: `), `${display}: ${e.message}`);
        assert.match(e.message, /must be|positional arguments|missing the required argument|is not a method/, display);
        return true;
      },
      `${display} (aten::${aten})`,
    );
    checked++;
  }
  assert.ok(checked > 1400, `${checked} generated ops checked`);
  assert.ok(x instanceof Tensor);
});
