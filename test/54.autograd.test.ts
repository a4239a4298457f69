// Autograd beyond backward(): autograd.grad (and higher order), retainGrad, hooks, anomaly
// mode, custom autograd Functions with JS forward/backward.
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import type { FunctionCtx } from "../src/torch/autograd/index.js";

const arr = (t: Tensor | undefined) => {
  assert.ok(t instanceof Tensor);
  return Array.from(t.toTypedArray() as Float32Array);
};

test("autograd.grad returns gradients without touching .grad; createGraph gives second derivatives", () => {
  const x = torch.tensor([1, 2, 3], { dtype: "float64", requiresGrad: true });
  const y = x.pow(3).sum();
  const [g] = torch.autograd.grad(y, x, { createGraph: true });
  assert.deepEqual(arr(g), [3, 12, 27]);
  assert.equal(x.grad, undefined);
  const [g2] = torch.autograd.grad(g!.sum(), [x]);
  assert.deepEqual(arr(g2), [6, 12, 18]);
  // gradOutputs weights a non-scalar output.
  const z = x.mul(2);
  assert.deepEqual(arr(torch.autograd.grad([z], [x], { gradOutputs: [torch.tensor([1, 0, -1], { dtype: "float64" })] })[0]), [2, 0, -2]);
  // Unused inputs: an error, or undefined with allowUnused.
  const w = torch.tensor([1], { dtype: "float64", requiresGrad: true });
  assert.throws(() => torch.autograd.grad(x.sum(), [x, w]), /appears to not have been used in the graph/);
  const [gx, gw] = torch.autograd.grad(x.sum(), [x, w], { allowUnused: true });
  assert.deepEqual(arr(gx), [1, 1, 1]);
  assert.equal(gw, undefined);
});

test("autograd.backward accumulates several outputs' gradients, optionally into chosen inputs", () => {
  const a = torch.tensor([1, 2], { dtype: "float32", requiresGrad: true });
  const b = torch.tensor([3], { dtype: "float32", requiresGrad: true });
  torch.autograd.backward([a.mul(2).sum(), a.mul(b).sum()]);
  assert.deepEqual(arr(a.grad), [5, 5]);
  assert.deepEqual(arr(b.grad), [3]);
  a.grad = undefined;
  b.grad = undefined;
  torch.autograd.backward(a.mul(b), { gradTensors: [torch.tensor([1, 1])], inputs: [b] });
  assert.equal(a.grad, undefined);
  assert.deepEqual(arr(b.grad), [3]);
});

test("retainGrad keeps a non-leaf's gradient", () => {
  const x = torch.tensor([1, 2], { dtype: "float32", requiresGrad: true });
  const h = x.mul(3);
  h.retainGrad();
  assert.equal(h.retainsGrad(), true);
  h.pow(2).sum().backward();
  assert.deepEqual(arr(h.grad), [6, 12]);
  assert.deepEqual(arr(x.grad), [18, 36]);
});

test("registerHook sees each gradient synchronously, may replace it, and can be removed", () => {
  const x = torch.tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
  const seen: number[][] = [];
  const handle = x.registerHook((g) => {
    seen.push(arr(g));
    return g.mul(10);
  });
  const y = x.mul(x).sum();
  y.backward(undefined, { retainGraph: true });
  assert.deepEqual(seen, [[2, 4, 6]]);
  assert.deepEqual(arr(x.grad), [20, 40, 60]);
  handle.remove();
  x.grad = undefined;
  y.backward();
  assert.deepEqual(arr(x.grad), [2, 4, 6]);
  assert.equal(seen.length, 1);
  // A hook on an intermediate tensor; returning nothing keeps the gradient.
  const a = torch.tensor([1, 1], { dtype: "float32", requiresGrad: true });
  const b = a.mul(2);
  let calls = 0;
  b.registerHook(() => {
    calls++;
  });
  b.sum().backward();
  assert.equal(calls, 1);
  assert.deepEqual(arr(a.grad), [2, 2]);
  // An exception in a hook aborts backward and reaches the caller as is.
  const c = torch.tensor([1], { dtype: "float32", requiresGrad: true });
  c.registerHook(() => {
    throw new RangeError("from the hook");
  });
  assert.throws(() => c.mul(2).sum().backward(), (e: Error) => e instanceof RangeError && e.message === "from the hook");
  assert.throws(() => torch.ones([1]).registerHook(() => undefined), /doesn't require gradient/);
});

test("anomaly detection: a switch and a scoped form", () => {
  assert.equal(torch.autograd.isAnomalyEnabled(), false);
  torch.autograd.setDetectAnomaly(true);
  assert.equal(torch.autograd.isAnomalyEnabled(), true);
  torch.autograd.setDetectAnomaly(false);
  const x = torch.tensor([0], { dtype: "float32", requiresGrad: true });
  // sqrt(0) has an infinite derivative; 0 * inf = NaN in backward, which anomaly mode reports.
  assert.throws(
    () => torch.autograd.detectAnomaly(() => torch.sqrt(x).mul(0).sum().backward()),
    /returned nan values in its 0th output/,
  );
  assert.equal(torch.autograd.isAnomalyEnabled(), false);
});

class Cube extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor, scale: number): Tensor {
    ctx.saveForBackward(x);
    ctx.scale = scale;
    return x.pow(3).mul(scale);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x!.pow(2)).mul(3 * (ctx.scale as number)), null];
  }
}

class SplitSum extends torch.autograd.Function {
  static override forward(_ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor[] {
    return [a.add(b), a.sub(b)];
  }
  static override backward(_ctx: FunctionCtx, gSum: Tensor, gDiff: Tensor): Tensor[] {
    return [gSum.add(gDiff), gSum.sub(gDiff)];
  }
}

test("custom autograd.Function: JS forward and backward join the graph", () => {
  const x = torch.tensor([1, 2], { dtype: "float64", requiresGrad: true });
  const y = Cube.apply(x, 2);
  assert.equal(y.gradFn, "CubeBackward");
  assert.deepEqual(arr(y), [2, 16]);
  y.sum().backward();
  assert.deepEqual(arr(x.grad), [6, 24]);

  const a = torch.tensor([1, 2], { dtype: "float32", requiresGrad: true });
  const b = torch.tensor([3, 5], { dtype: "float32", requiresGrad: true });
  const [s, d] = SplitSum.apply(a, b);
  // Only `s` is used: `d`'s gradient reaches backward as zeros.
  s!.mul(torch.tensor([1, 10])).sum().backward();
  assert.deepEqual(arr(a.grad), [1, 10]);
  assert.deepEqual(arr(b.grad), [1, 10]);
  assert.ok(d instanceof Tensor);

  // Without inputs that require grad, nothing is recorded.
  const plain = Cube.apply(torch.tensor([1], { dtype: "float32" }), 1);
  assert.equal(plain.gradFn, null);
  // forward runs with grad recording off, as in PyTorch.
  let inside: boolean | undefined;
  class Probe extends torch.autograd.Function {
    static override forward(_ctx: FunctionCtx, t: Tensor): Tensor {
      inside = torch.isGradEnabled();
      return t.clone();
    }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
      return g;
    }
  }
  Probe.apply(x);
  assert.equal(inside, false);
});

test("custom autograd.Function errors: wrong gradient count or shape, and exceptions", () => {
  class TooMany extends torch.autograd.Function {
    static override forward(_ctx: FunctionCtx, t: Tensor): Tensor {
      return t.mul(2);
    }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
      return [g, g, g];
    }
  }
  class BadShape extends torch.autograd.Function {
    static override forward(_ctx: FunctionCtx, t: Tensor): Tensor {
      return t.mul(2);
    }
    static override backward(): Tensor {
      return torch.ones([5]);
    }
  }
  class Throws extends torch.autograd.Function {
    static override forward(_ctx: FunctionCtx, t: Tensor): Tensor {
      return t.mul(2);
    }
    static override backward(): Tensor {
      throw new Error("backward failed in JS");
    }
  }
  const x = torch.tensor([1, 2], { dtype: "float32", requiresGrad: true });
  assert.throws(() => TooMany.apply(x).sum().backward(), /TooMany\.backward returned 3 gradients; expected 1/);
  assert.throws(() => BadShape.apply(x).sum().backward(), /invalid gradient at index 0 - got \[5\] but expected shape compatible with \[2\]/);
  assert.throws(() => Throws.apply(x).sum().backward(), /backward failed in JS/);
  // The process and autograd keep working afterwards.
  x.grad = undefined;
  x.mul(3).sum().backward();
  assert.deepEqual(arr(x.grad), [3, 3]);
});
