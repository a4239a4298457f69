// Optimizer updates match Python PyTorch's (python3-torch 1.13, same libtorch) to 1e-6 over 100
// steps, for SGD / Adam / AdamW / RMSprop / Adagrad with their options and param groups; the
// state dict has PyTorch's layout and values (fixtures: scripts/fixtures/optim.py).
import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";
import * as torch from "../src/torch/index.js";
import * as optim from "../src/torch/optim/index.js";
import type { Tensor } from "../src/torch/tensor/tensor.js";
import { PyTuple } from "../src/torch/serialization/index.js";
import { loadNative } from "../src/torch/native.js";
import { assertClose, fixture, flat, makeOptimizer, makeParams, setGrads } from "./fixtures/optim/cases.js";

suite("optimizers match PyTorch over 100 steps", () => {
  for (const c of fixture.cases) {
    test(c.name, () => {
      const params = makeParams();
      const opt = makeOptimizer(c, params);
      for (let step = 0; step < fixture.steps; step++) {
        setGrads(params, step);
        opt.step();
        const expected = c.trajectory[String(step + 1)];
        if (expected) params.forEach((p, i) => assertClose(flat(p), expected[i]!, 1e-6, `step ${step + 1}, param ${i}`));
      }
      // the state dict: PyTorch's layout (keys, group options in snake_case, state by index) and values
      const sd = opt.stateDict();
      assert.ok(sd.state instanceof Map);
      assert.deepEqual([...sd.state.keys()].map(String), Object.keys(c.stateDict.state));
      for (const [index, expected] of Object.entries(c.stateDict.state)) {
        const actual = sd.state.get(Number(index))!;
        assert.deepEqual(Object.keys(actual), Object.keys(expected), `state[${index}] keys`);
        for (const [k, v] of Object.entries(expected)) {
          const a = actual[k];
          if (v !== null && typeof v === "object") {
            const t = a as Tensor;
            assert.deepEqual(t.shape, v.shape, `state[${index}].${k} shape`);
            assert.equal(t.dtype, v.dtype, `state[${index}].${k} dtype`);
            assertClose(flat(t), v.tensor, 1e-6, `state[${index}].${k}`);
          } else assert.equal(a, v, `state[${index}].${k}`);
        }
      }
      assert.equal(sd.param_groups.length, c.stateDict.param_groups.length);
      sd.param_groups.forEach((g, i) => {
        const expected = c.stateDict.param_groups[i]!;
        assert.deepEqual(Object.keys(g), Object.keys(expected), `param_groups[${i}] keys`);
        for (const [k, v] of Object.entries(expected)) {
          if (k === "betas") {
            assert.ok(g[k] instanceof PyTuple, "betas is a tuple, as in Python");
            assert.deepEqual([...(g[k] as number[])], v);
          } else assert.deepEqual(g[k], v, `param_groups[${i}].${k}`);
        }
      });
    });
  }
});

suite("Optimizer behaviour", () => {
  const sgdCase = fixture.cases.find((c) => c.name === "sgd momentum dampening wd")!;

  test("zeroGrad sets gradients to undefined by default, or zeros them with setToNone: false", () => {
    const params = makeParams();
    const opt = new optim.SGD(params, { lr: 0.1 });
    setGrads(params, 0);
    opt.zeroGrad({ setToNone: false });
    for (const p of params) {
      assert.ok(p.grad);
      assert.ok(flat(p.grad).every((x) => x === 0));
    }
    opt.zeroGrad();
    for (const p of params) assert.equal(p.grad, undefined);
  });

  test("parameters without gradients are skipped and get no state", () => {
    const params = makeParams();
    const opt = new optim.Adam(params, { lr: 0.1 });
    const before = flat(params[2]!);
    params[0]!.grad = torch.onesLike(params[0]!);
    opt.step();
    assert.deepEqual(flat(params[2]!), before);
    assert.equal(opt.stateFor(params[2]!), undefined);
    assert.equal(opt.stateFor(params[0]!)!.step instanceof torch.Tensor, true);
    assert.equal(opt.stateSize, 1);
    assert.deepEqual([...opt.state.keys()], [params[0]]);
    assert.deepEqual(Object.keys(opt.state.get(params[0]!)!), ["step", "exp_avg", "exp_avg_sq"]);
  });

  test("step(closure) evaluates the closure with gradients on and returns its loss", () => {
    const params = makeParams();
    const opt = new optim.SGD(params, { lr: 0.1 });
    const loss = torch.noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = params[1]!.mul(params[1]!).sum();
        l.backward();
        return l;
      }),
    );
    assert.ok(loss instanceof torch.Tensor);
    assert.ok(params[1]!.grad);
  });

  test("a step inside tidy() keeps the optimizer's state alive", () => {
    const params = makeParams();
    const opt = makeOptimizer(sgdCase, params);
    for (let step = 0; step < 3; step++) {
      torch.tidy(() => {
        setGrads(params, step);
        opt.step();
        opt.stateDict();
      });
    }
    for (const p of params) assert.equal(p.isDisposed, false);
    const sd = opt.stateDict();
    for (const s of sd.state.values()) assert.equal((s.momentum_buffer as Tensor).isDisposed, false);
  });

  test("loadStateDict round trip: a fresh optimizer continues exactly where the first left off", () => {
    for (const c of fixture.cases) {
      const a = makeParams();
      const optA = makeOptimizer(c, a);
      for (let step = 0; step < 5; step++) {
        setGrads(a, step);
        optA.step();
      }
      const b = a.map((p) => p.detach().clone().requiresGrad_());
      const optB = makeOptimizer(c, b);
      optB.loadStateDict(optA.stateDict());
      for (let step = 5; step < 10; step++) {
        setGrads(a, step);
        optA.step();
        setGrads(b, step);
        optB.step();
      }
      a.forEach((p, i) => assert.deepEqual(flat(b[i]!), flat(p), `${c.name}: param ${i}`));
    }
  });

  test("loadStateDict copies: later steps of one optimizer do not touch the other's state", () => {
    const params = makeParams();
    const opt = new optim.Adam(params, { lr: 0.1 });
    setGrads(params, 0);
    opt.step();
    const sd = opt.stateDict();
    const other = new optim.Adam(makeParams(), { lr: 0.1 });
    other.loadStateDict(sd);
    const saved = flat(other.stateFor(other.paramGroups[0]!.params[0]!)!.exp_avg as Tensor);
    setGrads(params, 1);
    opt.step();
    assert.deepEqual(flat(other.stateFor(other.paramGroups[0]!.params[0]!)!.exp_avg as Tensor), saved);
  });

  test("loadStateDict restores group options (snake_case keys) and checks group sizes", () => {
    const params = makeParams();
    const opt = new optim.SGD(params, { lr: 0.1 });
    const sd = opt.stateDict();
    sd.param_groups[0]!.lr = 0.25;
    sd.param_groups[0]!.weight_decay = 0.5;
    const other = new optim.SGD(makeParams(), { lr: 1 });
    other.loadStateDict(sd);
    assert.equal(other.paramGroups[0]!.lr, 0.25);
    assert.equal(other.paramGroups[0]!.weightDecay, 0.5);
    const small = new optim.SGD(makeParams().slice(0, 2), { lr: 1 });
    assert.throws(() => small.loadStateDict(sd), /doesn't match the size of optimizer's group/);
  });

  test("param groups: per-group options, defaults for the rest, addParamGroup", () => {
    const params = makeParams();
    const opt = new optim.Adam([{ params: params.slice(0, 1), lr: 0.5 }, { params: params.slice(1, 2) }], { lr: 0.1, weightDecay: 0.01 });
    assert.equal(opt.paramGroups[0]!.lr, 0.5);
    assert.equal(opt.paramGroups[1]!.lr, 0.1);
    assert.equal(opt.paramGroups[0]!.weightDecay, 0.01);
    opt.addParamGroup({ params: [params[2]!], betas: [0.5, 0.6] });
    assert.deepEqual(opt.paramGroups[2]!.betas, [0.5, 0.6]);
    assert.deepEqual(opt.stateDict().param_groups.map((g) => g.params), [[0], [1], [2]]);
    assert.throws(() => opt.addParamGroup({ params: [params[0]!] }), /more than one parameter group/);
  });

  test("bad options are clear errors", () => {
    const params = makeParams();
    assert.throws(() => new optim.SGD(params, { lr: -1 }), /Invalid learning rate: -1/);
    assert.throws(() => new optim.SGD(params, { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum and zero dampening/);
    assert.throws(() => new optim.Adam(params, { betas: [1.5, 0.9] }), /Invalid beta parameter at index 0: 1.5/);
    assert.throws(() => new optim.RMSprop(params, { alpha: -1 }), /Invalid alpha value: -1/);
    assert.throws(() => new optim.Adam([]), /empty parameter list/);
    const nonLeaf = params[0]!.mul(2);
    assert.throws(() => new optim.SGD([nonLeaf]), /can't optimize a non-leaf Tensor/);
    assert.throws(() => new optim.SGD([params[0]!, params[0]!]), /duplicate parameters/);
  });

  test("a step's native op calls do not grow with the number of parameters (multi-tensor ops)", () => {
    const N = loadNative();
    const count = (n: number, make: (p: Tensor[]) => optim.Optimizer): number => {
      const params = Array.from({ length: n }, () => torch.randn([3]).requiresGrad_());
      const opt = make(params);
      for (const p of params) p.grad = torch.onesLike(p);
      opt.step(); // the first step creates the state
      const original = N.opCall;
      let calls = 0;
      N.opCall = (...args) => {
        calls++;
        return original.apply(N, args);
      };
      try {
        opt.step();
      } finally {
        N.opCall = original;
      }
      return calls;
    };
    for (const make of [
      (p: Tensor[]) => new optim.SGD(p, { momentum: 0.9, weightDecay: 0.1 }),
      (p: Tensor[]) => new optim.Adam(p, { amsgrad: true }),
      (p: Tensor[]) => new optim.RMSprop(p, { centered: true, momentum: 0.5 }),
      (p: Tensor[]) => new optim.Adagrad(p),
    ]) {
      const few = count(2, make);
      assert.ok(few <= 12, `${few} op calls per step`);
      assert.equal(count(20, make), few);
    }
  });

  test("a step records no autograd history", () => {
    const params = makeParams();
    const opt = new optim.RMSprop(params, { momentum: 0.5, centered: true });
    setGrads(params, 0);
    opt.step();
    for (const p of params) {
      assert.equal(p.gradFn, null);
      assert.equal(p.isLeaf, true);
    }
  });
});
