// What crosses the addon's boundary unchanged: a JS exception thrown by a JS callback that native
// code called (tensor hooks, custom backward, node post hooks) reaches the caller as that very
// object; and a native handle of the wrong kind is a TypeError naming the kind, never a crash.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import type { FunctionCtx } from "../src/torch/autograd/index.js";
import { loadNative } from "../src/torch/native.js";

class Marker extends RangeError {}

test("a tensor hook's exception reaches backward's caller as the same object", () => {
  const thrown = new Marker("hook says no");
  const x = torch.ones([2], { requiresGrad: true });
  x.registerHook(() => {
    throw thrown;
  });
  assert.throws(() => x.mul(2).sum().backward(), (e: unknown) => e === thrown);
});

test("a custom backward's exception reaches backward's caller as the same object", () => {
  const thrown = new Marker("backward says no");
  class Throws extends torch.autograd.Function {
    static override forward(_ctx: FunctionCtx, t: Tensor): Tensor {
      return t.mul(2);
    }
    static override backward(): Tensor {
      throw thrown;
    }
  }
  const x = torch.ones([2], { requiresGrad: true });
  assert.throws(() => Throws.apply(x).sum().backward(), (e: unknown) => e === thrown);
  // A thrown non-Error value is passed through as it is too.
  const y = torch.ones([1], { requiresGrad: true });
  const z = y.mul(2);
  loadNative().registerNodePostHook(z._h, () => {
    throw 42;
  });
  assert.throws(() => z.sum().backward(), (e: unknown) => e === 42);
});

test("a handle of the wrong kind is a TypeError naming the kind expected", (t) => {
  const d = loadNative().distributed;
  if (d === undefined) {
    t.skip("this addon was built without torch.distributed");
    return;
  }
  const store = d.tcpStore("127.0.0.1", 0, true, 1, 5000, false);
  try {
    const tensor = torch.ones([1])._h;
    const expectKind = (kind: string) => (e: unknown) =>
      e instanceof TypeError && e.message === `expected a ${kind} handle`;
    assert.throws(() => d.allReduce(store as never, [tensor], 0, 1000), expectKind("process group"));
    assert.throws(() => d.reducerPrepareForward(store as never), expectKind("reducer"));
    assert.throws(() => d.storeGet(tensor as never, "k"), expectKind("store"));
    assert.throws(() => d.storeSet({} as never, "k", "v"), expectKind("store"));
    assert.throws(() => d.groupClose(store as never), expectKind("process group"));
    d.storeSet(store, "k", "v");
    assert.equal(Buffer.from(d.storeGet(store, "k")).toString(), "v");
  } finally {
    d.storeClose(store);
  }
  assert.throws(() => d.storeGet(store, "k"), /this store has been closed/);
});
