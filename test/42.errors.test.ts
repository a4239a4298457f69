// Every libtorch error becomes a JS Error with libtorch's message; the process survives.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch from "../src/torch-plugin/index.js";

test("shape mismatches throw libtorch's message without C++ noise", () => {
  const a = torch.ones([2, 3]);
  const b = torch.ones([4, 5]);
  assert.throws(
    () => a.matmul(b),
    (e: Error) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)/);
      assert.doesNotMatch(e.message, /Exception raised from|frame #|\.cpp/);
      return true;
    },
  );
  assert.throws(() => torch.ones([3]).add(torch.ones([4])), /size of tensor a \(3\) must match the size of tensor b \(4\)/);
  assert.throws(() => torch.ones([6]).reshape([4, 2]), /shape '\[4, 2\]' is invalid for input of size 6/);
});

test("dtype mistakes throw", () => {
  assert.throws(() => torch.ones([2], { dtype: "int64" }).matmul(torch.ones([2])), /expected .*same dtype|Long|Float/i);
  assert.throws(() => torch.tensor([1]).to("float99" as "float32"), /unknown dtype 'float99'/);
  assert.throws(() => torch.tensor([1, 2]).requiresGrad_(), /floating point/);
});

test("bad argument types throw TypeErrors naming the argument", () => {
  const t = torch.ones([2]);
  assert.throws(() => t.add("x" as unknown as number), (e: Error) => e instanceof TypeError && /no overload accepts \(self, string\)/.test(e.message) && /argument 'other' must be Scalar/.test(e.message));
  assert.throws(() => t.matmul({} as never), TypeError);
  assert.throws(() => torch.zeros([2.5]), /argument 'size' must be int/);
  assert.throws(() => torch.zeros("3" as unknown as number[]), /zeros\(\): argument 'size' must be int, not string 3/);
  assert.throws(() => torch.tensor([[1, 2], [3]]), /ragged nested array/);
  assert.throws(() => torch.tensor([1, "a"] as unknown as number[]), /elements must be numbers/);
  assert.throws(() => torch.tensor([1, true] as unknown as number[]), /mixed element types/);
  assert.throws(() => t.to("gpu" as "cpu"), /unknown dtype 'gpu'/);
  assert.throws(() => torch.ones([1], { device: "tpu" as "cpu" }), /ones\(\): argument 'device' must be device or None, not string tpu/);
  assert.throws(() => torch.ones([2]).item(), /2 elements cannot be converted/);
});

test("backward errors are JS errors", () => {
  assert.throws(() => torch.ones([2]).sum().backward(), /does not require grad/);
  const x = torch.ones([2], { requiresGrad: true });
  assert.throws(() => x.mul(2).backward(), /grad can be implicitly created only for scalar outputs/);
  const y = x.mul(x).sum();
  y.backward();
  assert.throws(() => y.backward(), /backward through the graph a second time/);
});

test("the process survives a burst of errors", () => {
  for (let i = 0; i < 500; i++) {
    try {
      torch.ones([2]).add(torch.ones([3]));
    } catch {
      // expected
    }
  }
  assert.deepEqual(torch.ones([2]).add(1).toArray(), [2, 2]);
});

test("an array argument whose element getter throws: that very error reaches JS", () => {
  const x = torch.ones([2, 3]);
  const shape: number[] = [3, 2];
  Object.defineProperty(shape, 1, { get: () => { throw new RangeError("getter says no"); } });
  // reshape reads the list in the addon (int_list_arg); a generated op meets it in JS first.
  assert.throws(() => x.reshape(shape), (e: Error) => e instanceof RangeError && e.message === "getter says no");
  assert.throws(() => torch.flip(x, shape), (e: Error) => e instanceof RangeError && e.message === "getter says no");
  assert.deepEqual(x.reshape([3, 2]).shape, [3, 2]);
});
