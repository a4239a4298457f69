// Optimizer updates match Python PyTorch's (python3-torch 1.13, same libtorch) to 1e-6 over 100
// steps, for SGD / Adam / AdamW / RMSprop / Adagrad with their options and param groups; the
// state dict has PyTorch's layout and values (fixtures: scripts/fixtures/optim.py).
import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";
import * as torch from "../src/torch-plugin/index.js";
import * as optim from "../src/torch/optim/index.js";
import type { Tensor } from "../src/torch/tensor/tensor.js";
import { PyTuple } from "../src/torch/serialization/index.js";
import { loadNative } from "../src/torch/native.js";
import { assertClose, camelOptions, fixture, flat, makeOptimizer, makeParams, setGrads } from "./fixtures/optim/cases.js";
import { readFileSync } from "node:fs";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

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

  test("Adam's and AdamW's groups own their betas: changing one touches neither the caller's array nor the default", () => {
    const makers = {
      Adam: (betas?: [number, number]) => (betas ? new optim.Adam(makeParams(), { betas }) : new optim.Adam(makeParams())),
      AdamW: (betas?: [number, number]) => (betas ? new optim.AdamW(makeParams(), { betas }) : new optim.AdamW(makeParams())),
    };
    for (const [name, make] of Object.entries(makers)) {
      const betas: [number, number] = [0.8, 0.9];
      const given = make(betas);
      assert.notEqual(given.paramGroups[0]!.betas, betas, name);
      (given.paramGroups[0]!.betas as number[])[0] = 0.1;
      assert.deepEqual(betas, [0.8, 0.9], name);
      (make().paramGroups[0]!.betas as number[])[0] = 0.1;
      assert.deepEqual(make().paramGroups[0]!.betas, [0.9, 0.999], name);
    }
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

suite("Tensor-level Optimizer: a subclass written as in torch/optim/*.py", () => {
  // SGD with momentum and dampening, line by line as torch/optim/sgd.py's single-tensor path
  class HandSGD extends optim.Optimizer<{ lr: number; momentum: number; dampening: number; weightDecay: number }> {
    constructor(params: Iterable<Tensor>, lr: number, momentum: number, dampening: number, weightDecay: number) {
      super(params, { lr, momentum, dampening, weightDecay });
    }
    override step(closure?: () => Tensor): Tensor | undefined {
      const loss = closure?.();
      torch.noGrad(() => {
        for (const group of this.paramGroups) {
          for (const p of group.params) {
            let d = p.grad;
            if (d === undefined) continue;
            if (group.weightDecay !== 0) d = d.add(p, { alpha: group.weightDecay });
            const state = this.state.get(p);
            let buf = state.momentum_buffer as Tensor | undefined;
            if (buf === undefined) buf = state.momentum_buffer = d.clone().detach();
            else buf.mul_(group.momentum).add_(d, { alpha: 1 - group.dampening });
            p.add_(buf, { alpha: -group.lr });
          }
        }
      });
      return loss;
    }
  }

  test("a hand-written SGD-momentum subclass equals the built-in SGD for 100 steps, state and state dict included", () => {
    const c = fixture.cases.find((x) => x.name === "sgd momentum dampening wd")!;
    const mine = makeParams();
    const theirs = makeParams();
    const hand = new HandSGD(mine, 0.05, 0.9, 0.1, 0.01);
    const builtIn = new optim.SGD(theirs, 0.05, 0.9, 0.1, 0.01);
    for (let step = 0; step < fixture.steps; step++) {
      setGrads(mine, step);
      setGrads(theirs, step);
      // a user's tidy() scope around the step does not free the optimizer's state
      torch.tidy(() => hand.step());
      builtIn.step();
      mine.forEach((p, i) => assert.deepEqual(flat(p), flat(theirs[i]!), `step ${step + 1}, param ${i}`));
      const expected = c.trajectory[String(step + 1)];
      if (expected) mine.forEach((p, i) => assertClose(flat(p), expected[i]!, 1e-6, `step ${step + 1}, param ${i}`));
    }
    assert.equal(hand.state.size, 3);
    assert.ok(hand.state.get(mine[0]!).momentum_buffer instanceof torch.Tensor);
    const sd = hand.stateDict();
    assert.deepEqual([...sd.state.keys()], [0, 1, 2]);
    assert.deepEqual(flat(sd.state.get(0)!.momentum_buffer as Tensor), flat(builtIn.stateDict().state.get(0)!.momentum_buffer as Tensor));
    assert.deepEqual(Object.keys(sd.param_groups[0]!), ["lr", "momentum", "dampening", "weight_decay", "params"]);
    // load into a fresh one: copies, and the next steps continue identically
    const again = new HandSGD(makeParams(), 0.05, 0.9, 0.1, 0.01);
    again.loadStateDict(sd);
    assert.notEqual(again.state.get(again.paramGroups[0]!.params[0]!).momentum_buffer, hand.state.get(mine[0]!).momentum_buffer);
    assert.deepEqual(flat(again.state.get(again.paramGroups[0]!.params[0]!).momentum_buffer as Tensor), flat(sd.state.get(0)!.momentum_buffer as Tensor));
  });

  test("the base class's step is not implemented; zeroGrad works for subclasses", () => {
    const params = makeParams();
    const base = new optim.Optimizer(params, { lr: 1 });
    assert.throws(() => base.step(), /Optimizer.step\(\): not implemented/);
    setGrads(params, 0);
    base.zeroGrad(false);
    assert.deepEqual(flat(params[0]!.grad!), new Array(12).fill(0));
    base.zeroGrad();
    assert.equal(params[0]!.grad, undefined);
  });
});

suite("optimizer constructors take Python's arguments positionally or by name", () => {
  const run = (make: (p: Tensor[]) => optim.Optimizer): number[][] => {
    const params = makeParams();
    const opt = make(params);
    for (let step = 0; step < 5; step++) {
      setGrads(params, step);
      (opt.step as () => unknown)();
    }
    return params.map(flat);
  };
  test("positional and named forms give the same trajectory", () => {
    assert.deepEqual(run((p) => new optim.SGD(p, 0.05, 0.9, 0.1, 0.01, false)), run((p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 })));
    assert.deepEqual(run((p) => new optim.SGD(p, 0.05, 0.9, { nesterov: true })), run((p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true })));
    assert.deepEqual(run((p) => new optim.Adam(p, 0.02, [0.8, 0.99], 1e-6, 0.05, true)), run((p) => new optim.Adam(p, { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.05, amsgrad: true })));
    assert.deepEqual(run((p) => new optim.AdamW(p, 0.01, [0.9, 0.999], 1e-8, 0.1)), run((p) => new optim.AdamW(p, { lr: 0.01, weightDecay: 0.1 })));
    assert.deepEqual(run((p) => new optim.RMSprop(p, 0.005, 0.9, 1e-8, 0.01, 0.7, true)), run((p) => new optim.RMSprop(p, { lr: 0.005, alpha: 0.9, weightDecay: 0.01, momentum: 0.7, centered: true })));
    assert.deepEqual(run((p) => new optim.Adagrad(p, 0.1, 0.01, 0.05, 0.1, 1e-8)), run((p) => new optim.Adagrad(p, { lr: 0.1, lrDecay: 0.01, weightDecay: 0.05, initialAccumulatorValue: 0.1, eps: 1e-8 })));
  });
  test("SGD's lr defaults to 1e-3 and zeroGrad to setToNone (PyTorch 2's, listed deviations)", () => {
    assert.equal(new optim.SGD(makeParams()).paramGroups[0]!.lr, 1e-3);
  });
  test("too many arguments, unknown options and wrong types are TypeErrors naming the callable and parameter", () => {
    const p = makeParams();
    const ctor = optim.SGD as unknown as new (...a: unknown[]) => optim.Optimizer;
    assert.throws(() => new ctor(p, 0.1, 0.9, 0, 0, false, "extra"), /SGD\(\): takes from 1 to 6 positional arguments but 7 were given/);
    assert.throws(() => new ctor(p, { lr: 0.1, momentun: 0.9 }), /SGD\(\): unknown option 'momentun'/);
    assert.throws(() => new ctor(p, 0.1, "0.9"), /SGD\(\): argument 'momentum' must be float/);
    const adam = optim.Adam as unknown as new (...a: unknown[]) => optim.Optimizer;
    assert.throws(() => new adam(p, { lr: 0.1, weight_decay: 0.1 }), /Adam\(\): unknown option 'weight_decay'/);
  });
});

interface ExtraStateValue {
  tensor: number[];
  shape: number[];
  dtype: string;
}
const extra = JSON.parse(readFileSync(pythonFixturePath("optim", "extra-trajectories.json"), "utf8")) as {
  steps: number;
  init: number[][];
  cases: {
    name: string;
    optimizer: "Adadelta" | "Adamax" | "NAdam" | "RAdam" | "ASGD" | "Rprop";
    options: Record<string, unknown>;
    trajectory: Record<string, number[][]>;
    stateDict: { state: Record<string, Record<string, number | ExtraStateValue>>; param_groups: Record<string, unknown>[] };
  }[];
};

suite("Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop match Python torch over 100 steps (scripts/fixtures/optim_extra.py)", () => {
  assert.deepEqual(extra.init, fixture.init, "the same starting parameters as the other optimizer fixtures");
  for (const c of extra.cases) {
    test(c.name, () => {
      const params = makeParams();
      const Cls = optim[c.optimizer] as unknown as new (p: Tensor[], o: Record<string, unknown>) => optim.Optimizer;
      const opt = new Cls(params, camelOptions(c.options));
      for (let step = 0; step < extra.steps; step++) {
        setGrads(params, step);
        (opt.step as () => unknown)();
        const expected = c.trajectory[String(step + 1)];
        if (expected) params.forEach((p, i) => assertClose(flat(p), expected[i]!, 1e-5, `step ${step + 1}, param ${i}`));
      }
      const sd = opt.stateDict();
      assert.deepEqual([...sd.state.keys()].map(String), Object.keys(c.stateDict.state));
      for (const [index, expected] of Object.entries(c.stateDict.state)) {
        const actual = sd.state.get(Number(index))!;
        assert.deepEqual(Object.keys(actual), Object.keys(expected), `state[${index}] keys`);
        for (const [k, v] of Object.entries(expected)) {
          if (typeof v === "number") assert.equal(actual[k], v, `state[${index}].${k}`);
          else {
            const t = actual[k] as Tensor;
            assert.deepEqual(t.shape, v.shape, `state[${index}].${k} shape`);
            assert.equal(t.dtype, v.dtype, `state[${index}].${k} dtype`);
            assertClose(flat(t), v.tensor, 1e-5, `state[${index}].${k}`);
          }
        }
      }
      sd.param_groups.forEach((g, i) => {
        const expected = c.stateDict.param_groups[i]!;
        assert.deepEqual(Object.keys(g), Object.keys(expected), `param_groups[${i}] keys`);
        for (const [k, v] of Object.entries(expected)) assert.deepEqual(Array.isArray(g[k]) ? [...(g[k] as unknown[])] : g[k], v, `param_groups[${i}].${k}`);
      });
    });
  }
});

const lbfgsFixture = JSON.parse(readFileSync(pythonFixturePath("optim", "extra-trajectories.json"), "utf8")) as {
  targets: number[][];
  shapes: number[][];
  lbfgs: { name: string; options: Record<string, unknown>; steps: { loss: number; params: number[][]; funcEvals: number; nIter: number }[] }[];
};

suite("LBFGS matches PyTorch 1.13, with and without the strong-Wolfe line search", () => {
  const targets = lbfgsFixture.targets.map((v, i) => torch.tensor(v).reshape(lbfgsFixture.shapes[i]!));
  for (const c of lbfgsFixture.lbfgs) {
    test(`${c.name}: losses, parameters and evaluation counts over 4 steps`, () => {
      const params = makeParams();
      const opt = new optim.LBFGS(params, camelOptions(c.options));
      const closure = (): Tensor => {
        opt.zeroGrad();
        let loss = torch.tensor(0);
        params.forEach((p, i) => (loss = loss.add(p.sub(targets[i]!).pow(2).sum().add(p.sin().sum().mul(0.1)))));
        loss.backward();
        return loss;
      };
      for (const expected of c.steps) {
        const loss = opt.step(closure);
        assert.ok(Math.abs(Number(loss.item()) - expected.loss) <= 1e-4 * Math.max(1, Math.abs(expected.loss)), `loss ${Number(loss.item())} vs ${expected.loss}`);
        params.forEach((p, i) => assertClose(flat(p), expected.params[i]!, 1e-4, `param ${i}`));
        const state = opt.state.get(params[0]!);
        assert.equal(state.func_evals, expected.funcEvals);
        assert.equal(state.n_iter, expected.nIter);
      }
    });
  }
  test("positional arguments, one group only, and a line search other than strong_wolfe is refused", () => {
    const a = new optim.LBFGS(makeParams(), 0.5, 5, null, 1e-7, 1e-9, 4, "strong_wolfe");
    assert.equal(a.paramGroups[0]!.maxEval, 6);
    assert.equal(a.paramGroups[0]!.lineSearchFn, "strong_wolfe");
    const p = makeParams();
    assert.throws(() => new optim.LBFGS([{ params: p.slice(0, 1) }, { params: p.slice(1) }]), /doesn't support per-parameter options/);
    assert.throws(() => new optim.LBFGS(makeParams(), { lineSearchFn: "armijo" as "strong_wolfe" }), /lineSearchFn must be null or "strong_wolfe"/);
  });
});

suite("deviations from 1.13 (src/torch/binding/deviations.ts) each hold", () => {
  test("every listed deviation is checked here", async () => {
    const { deviations } = await import("../src/torch/binding/deviations.js");
    const checks: Record<string, () => void> = {
      "torch.optim.Optimizer.zero_grad": () => {
        const params = makeParams();
        const opt = new optim.SGD(params, 0.1);
        setGrads(params, 0);
        opt.zeroGrad();
        assert.equal(params[0]!.grad, undefined);
      },
      "torch.optim.SGD": () => assert.equal(new optim.SGD(makeParams()).paramGroups[0]!.lr, 1e-3),
      "torch.utils.data.BatchSampler": () => assert.equal(new torch.data.BatchSampler([0, 1, 2], 2).dropLast, false),
      "torch.nn.utils.clip_grad_norm_": () => {
        const params = makeParams();
        setGrads(params, 0);
        assert.throws(() => torch.nn.utils.clipGradNorm_(params, 1, { foreach: true }), /foreach=True was passed/);
      },
      "torch.nn.utils.rnn.pad_sequence": () =>
        assert.deepEqual(torch.nn.utils.rnn.padSequence([torch.ones([1]), torch.ones([2])], { batchFirst: true, paddingSide: "left" }).toArray(), [[0, 1], [1, 1]]),
      "torch.nn.utils.stateless.functional_call": () => {
        const out = torch.nn.utils.stateless.functionalCall(new torch.nn.Linear(1, 1), {}, [torch.ones([1, 1])], null, { tieWeights: false, strict: false });
        assert.deepEqual((out as Tensor).shape, [1, 1]);
      },
      "torch.nn.utils.get_total_norm": () => assert.equal(torch.nn.utils.getTotalNorm([torch.tensor([3, 4], { dtype: "float32" })]).item(), 5),
      "torch.nn.Transformer": () => {
        const layer = new torch.nn.TransformerEncoderLayer(4, 2, 8, 0.0, "relu", 1e-5, false, false, false);
        assert.equal(layer.linear1.bias, null);
        const mask = torch.nn.Transformer.generateSquareSubsequentMask(3);
        const x = torch.randn(3, 1, 4);
        assert.ok(layer.forward(x, mask, null, true).equal(layer.forward(x, mask)));
      },
      "torch.nn.Transformer.generate_square_subsequent_mask": () =>
        assert.equal(torch.nn.Transformer.generateSquareSubsequentMask(2, null, "float64").dtype, "float64"),
      "torch.nn.Module.zero_grad": () => {
        const lin = new torch.nn.Linear(1, 1);
        lin.forward(torch.ones([1, 1])).sum().backward();
        lin.zeroGrad();
        assert.equal(lin.weight.grad, undefined);
      },
      "torch.nn.Module.register_forward_hook": () => {
        const order: string[] = [];
        const lin = new torch.nn.Linear(1, 1);
        lin.registerForwardHook(() => void order.push("second"));
        lin.registerForwardHook(() => void order.push("first"), { prepend: true });
        lin.registerFullBackwardPreHook(() => void order.push("backward pre"));
        lin.call(torch.ones([1, 1], { requiresGrad: true })).sum().backward();
        assert.deepEqual(order, ["first", "second", "backward pre"]);
        assert.equal(Array.from(lin.namedParameters({ removeDuplicate: false })).length, 2);
      },
      "torch.nn.CircularPad1d": () =>
        assert.deepEqual(new torch.nn.CircularPad1d(1).forward(torch.tensor([[[1, 2, 3]]])).toArray(), [[[3, 1, 2, 3, 1]]]),
    };
    for (const d of deviations) {
      const check = checks[d.qualname];
      assert.ok(check, `no check for the deviation of ${d.qualname}`);
      check();
    }
  });
});
