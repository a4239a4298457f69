// lr schedulers set the same lr (and momentum) sequences as Python PyTorch over 30 steps, with
// state dicts holding Python's keys; a scheduler restored from a state dict continues the schedule.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe as suite, test } from "node:test";
import { fileURLToPath } from "node:url";
import * as torch from "../src/torch-plugin/index.js";
import * as optim from "../src/torch/optim/index.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

const FIXTURES = path.dirname(pythonFixturePath("optim", "trajectories.json"));

interface Schedule {
  lrs: number[][];
  momentum: (number | null)[][];
  stateKeys: string[];
  state: Record<string, unknown>;
}
const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, "schedules.json"), "utf8")) as {
  plateauMetrics: number[];
  schedules: Record<string, Schedule>;
};

type Scheduler = { step(metric: number): void; stateDict(): Record<string, unknown>; loadStateDict(sd: Record<string, unknown>): void };

function makeOptimizer(kind: "SGD" | "Adam" = "SGD", extra: Record<string, unknown> = {}): optim.Optimizer {
  const p = [torch.zeros([1]).requiresGrad_(), torch.zeros([1]).requiresGrad_()];
  const groups = [{ params: p.slice(0, 1) }, { params: p.slice(1), lr: 0.5 }];
  return kind === "SGD" ? new optim.SGD(groups, { lr: 0.1, ...extra }) : new optim.Adam(groups, { lr: 0.1, ...extra });
}

const makers: Record<string, () => [optim.Optimizer, Scheduler]> = {
  StepLR: () => {
    const o = makeOptimizer();
    return [o, new optim.StepLR(o, 4, { gamma: 0.5 })];
  },
  MultiStepLR: () => {
    const o = makeOptimizer();
    return [o, new optim.MultiStepLR(o, [3, 7, 7, 20], { gamma: 0.3 })];
  },
  ExponentialLR: () => {
    const o = makeOptimizer();
    return [o, new optim.ExponentialLR(o, 0.95)];
  },
  CosineAnnealingLR: () => {
    const o = makeOptimizer();
    return [o, new optim.CosineAnnealingLR(o, 8, { etaMin: 0.01 })];
  },
  LinearLR: () => {
    const o = makeOptimizer();
    return [o, new optim.LinearLR(o, { startFactor: 0.25, endFactor: 0.9, totalIters: 10 })];
  },
  LambdaLR: () => {
    const o = makeOptimizer();
    return [o, new optim.LambdaLR(o, [(e) => 0.9 ** e, (e) => 1.0 / (e + 1)])];
  },
  OneCycleLR: () => {
    const o = makeOptimizer("SGD", { momentum: 0.9 });
    return [o, new optim.OneCycleLR(o, [1.0, 2.0], { totalSteps: 30 })];
  },
  "OneCycleLR adam linear three-phase": () => {
    const o = makeOptimizer("Adam");
    return [o, new optim.OneCycleLR(o, 0.5, { epochs: 3, stepsPerEpoch: 10, annealStrategy: "linear", threePhase: true })];
  },
  ReduceLROnPlateau: () => {
    const o = makeOptimizer();
    return [o, new optim.ReduceLROnPlateau(o, { patience: 2, factor: 0.5, cooldown: 1, minLr: [0.001, 0.1] })];
  },
  MultiplicativeLR: () => {
    const o = makeOptimizer();
    return [o, new optim.MultiplicativeLR(o, (e) => (e % 2 ? 0.95 : 0.9))];
  },
  ConstantLR: () => {
    const o = makeOptimizer();
    return [o, new optim.ConstantLR(o, { factor: 0.5, totalIters: 4 })];
  },
  PolynomialLR: () => {
    const o = makeOptimizer();
    return [o, new optim.PolynomialLR(o, { totalIters: 20, power: 2.0 })];
  },
  CosineAnnealingWarmRestarts: () => {
    const o = makeOptimizer();
    return [o, new optim.CosineAnnealingWarmRestarts(o, 3, { tMult: 2, etaMin: 0.001 })];
  },
  ChainedScheduler: () => {
    const o = makeOptimizer();
    return [o, new optim.ChainedScheduler([new optim.ConstantLR(o, { factor: 0.1, totalIters: 2 }), new optim.ExponentialLR(o, 0.9)])];
  },
  SequentialLR: () => {
    const o = makeOptimizer();
    const a = new optim.LinearLR(o, { startFactor: 0.2, totalIters: 4 });
    const b = new optim.CosineAnnealingLR(o, 10, { etaMin: 0.001 });
    const c = new optim.ExponentialLR(o, 0.9);
    return [o, new optim.SequentialLR(o, [a, b, c], [5, 15])];
  },
};

function lrs(o: optim.Optimizer): number[] {
  return o.paramGroups.map((g) => g.lr);
}
function momenta(o: optim.Optimizer): (number | null)[] {
  return o.paramGroups.map((g) => (g.momentum as number | undefined) ?? (g.betas as number[] | undefined)?.[0] ?? null);
}

function assertNear(actual: (number | null)[], expected: (number | null)[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (e === null) assert.equal(a, null, what);
    else assert.ok(Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e)), `${what}: ${a} vs ${e}`);
  });
}

const stepOf = (name: string, s: Scheduler, i: number): void =>
  name === "ReduceLROnPlateau" ? s.step(fixture.plateauMetrics[i]!) : (s as unknown as { step(): void }).step();

/** Attributes 1.13 holds differently (it pickles OneCycleLR's bound anneal method; 2.x its name, as we do). */
const ourOnlyKeys = new Set(torch.version.major >= 2 ? [] : ["_anneal_func_type"]);

suite("lr schedules match PyTorch over 30 steps", () => {
  for (const [name, expected] of Object.entries(fixture.schedules)) {
    test(name, () => {
      const [opt, sched] = makers[name]!();
      assertNear(lrs(opt), expected.lrs[0]!, `${name} lr at construction`);
      for (let i = 0; i < 30; i++) {
        stepOf(name, sched, i);
        assertNear(lrs(opt), expected.lrs[i + 1]!, `${name} lr after step ${i + 1}`);
        assertNear(momenta(opt), expected.momentum[i + 1]!, `${name} momentum after step ${i + 1}`);
      }
      const sd = sched.stateDict();
      assert.deepEqual(Object.keys(sd).filter((k) => !ourOnlyKeys.has(k)), expected.stateKeys);
      for (const key of ["last_epoch", "_step_count", "base_lrs", "_last_lr", "best", "num_bad_epochs", "cooldown_counter"]) {
        if (!(key in expected.state)) continue;
        const e = expected.state[key];
        const a = sd[key] === Infinity ? "inf" : sd[key];
        if (Array.isArray(e)) assertNear(a as number[], e as number[], `${name} state ${key}`);
        else assert.deepEqual(a, e, `${name} state ${key}`);
      }
    });
  }
});

suite("scheduler state dicts", () => {
  for (const name of Object.keys(fixture.schedules)) {
    test(`${name}: a scheduler loaded at step 12 continues the schedule`, () => {
      const expected = fixture.schedules[name]!;
      const [optA, a] = makers[name]!();
      for (let i = 0; i < 12; i++) stepOf(name, a, i);
      const [optB, b] = makers[name]!();
      b.loadStateDict(a.stateDict());
      optB.loadStateDict(optA.stateDict());
      for (let i = 12; i < 30; i++) {
        stepOf(name, b, i);
        assertNear(lrs(optB), expected.lrs[i + 1]!, `${name} lr after step ${i + 1}`);
      }
    });
  }

  for (const name of ["StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "LambdaLR", "ReduceLROnPlateau", "SequentialLR", "ConstantLR", "PolynomialLR", "CosineAnnealingWarmRestarts"]) {
    test(`${name}: Python's state dict at step 12 (torch.save) loads and continues Python's schedule`, () => {
      const expected = fixture.schedules[name]!;
      const saved = torch.load(path.join(FIXTURES, `scheduler-${name}.pt`)) as { optimizer: optim.OptimizerStateDict; scheduler: Record<string, unknown> };
      const [opt, sched] = makers[name]!();
      opt.loadStateDict(saved.optimizer);
      sched.loadStateDict(saved.scheduler);
      assertNear(lrs(opt), expected.lrs[12]!, `${name} lr after loading`);
      for (let i = 12; i < 30; i++) {
        stepOf(name, sched, i);
        assertNear(lrs(opt), expected.lrs[i + 1]!, `${name} lr after step ${i + 1}`);
      }
    });
  }

  test("MultiStepLR milestones are a Map (Python's Counter) in the state dict", () => {
    const [, s] = makers.MultiStepLR!();
    assert.deepEqual(s.stateDict().milestones, new Map([[3, 1], [7, 2], [20, 1]]));
  });

  test("schedulers write initial_lr into the groups (Python's key in the optimizer state dict)", () => {
    const [o] = makers.StepLR!();
    assert.deepEqual(o.stateDict().param_groups.map((g) => g.initial_lr), [0.1, 0.5]);
  });

  test("resuming with lastEpoch needs initial_lr in the groups", () => {
    const o = makeOptimizer();
    assert.throws(() => new optim.StepLR(o, 2, { lastEpoch: 3 }), /param 'initial_lr' is not specified in param_groups\[0\]/);
  });

  test("getLastLr returns the lrs of the last step", () => {
    const [o, s] = makers.ExponentialLR!();
    stepOf("ExponentialLR", s, 0);
    assert.deepEqual((s as unknown as optim.LRScheduler).getLastLr(), lrs(o));
  });

  test("bad arguments are clear errors", () => {
    const o = makeOptimizer();
    assert.throws(() => new optim.LinearLR(o, { startFactor: 2 }), /Starting multiplicative factor expected to be between 0 and 1/);
    assert.throws(() => new optim.OneCycleLR(o, 1), /You must define either total_steps OR/);
    assert.throws(() => new optim.ReduceLROnPlateau(o, { factor: 1 }), /Factor should be < 1.0/);
    assert.throws(() => new optim.LambdaLR(o, [(e) => e]), /Expected 2 lr_lambdas, but got 1/);
    const sched = new optim.OneCycleLR(makeOptimizer("SGD", { momentum: 0.9 }), 1, { totalSteps: 2 });
    sched.step();
    sched.step();
    assert.throws(() => sched.step(), /Tried to step 4 times. The specified number of total steps is 2/);
  });
});

const extraFixture = JSON.parse(fs.readFileSync(pythonFixturePath("optim", "extra-trajectories.json"), "utf8")) as {
  init: number[][];
  shapes: number[][];
  cyclic: { name: string; options: Record<string, unknown>; lrs: number[]; momenta: number[]; stateDict: Record<string, unknown> }[];
};

suite("CyclicLR matches Python torch (scripts/fixtures/optim_extra.py)", () => {
  const camel = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
  for (const c of extraFixture.cyclic) {
    test(`${c.name}: lr and momentum over 25 steps, and the state dict`, () => {
      const params = extraFixture.init.map((v, i) => torch.tensor(v).reshape(extraFixture.shapes[i]!).requiresGrad_());
      const opt = new optim.SGD(params, 0.05, 0.9);
      const { base_lr: baseLr, max_lr: maxLr, ...rest } = c.options;
      const sched = new optim.CyclicLR(opt, baseLr as number, maxLr as number, camel(rest));
      const lrs: number[] = [];
      const momenta: number[] = [];
      for (let i = 0; i < 25; i++) {
        lrs.push(opt.paramGroups[0]!.lr);
        momenta.push(opt.paramGroups[0]!.momentum);
        sched.step();
      }
      lrs.forEach((lr, i) => assert.ok(Math.abs(lr - c.lrs[i]!) < 1e-12, `lr at ${i}: ${lr} vs ${c.lrs[i]}`));
      momenta.forEach((m, i) => assert.ok(Math.abs(m - c.momenta[i]!) < 1e-12, `momentum at ${i}: ${m} vs ${c.momenta[i]}`));
      const sd = sched.stateDict();
      assert.deepEqual(Object.keys(sd), Object.keys(c.stateDict));
      for (const [k, v] of Object.entries(c.stateDict)) {
        if (typeof v === "number") assert.ok(Math.abs((sd[k] as number) - v) < 1e-12, k);
        else assert.deepEqual(sd[k], v, k);
      }
    });
  }
  test("positional and named forms agree; mode without scaleFn is checked", () => {
    const make = (): optim.SGD => new optim.SGD([torch.zeros([2]).requiresGrad_()], 0.1, 0.9);
    const a = new optim.CyclicLR(make(), 0.01, 0.1, 3, 5, "triangular2");
    const b = new optim.CyclicLR(make(), { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, stepSizeDown: 5, mode: "triangular2" });
    for (let i = 0; i < 12; i++) {
      a.step();
      b.step();
    }
    assert.deepEqual(a.getLastLr(), b.getLastLr());
    assert.throws(() => new optim.CyclicLR(make(), 0.01, 0.1, { mode: "sawtooth" as "triangular" }), /mode is invalid and scale_fn is None/);
    assert.throws(() => new optim.CyclicLR(new optim.Adagrad([torch.zeros([2]).requiresGrad_()]), 0.01, 0.1), /must support momentum/);
  });
});

suite("scheduler constructors take Python's arguments positionally or by name", () => {
  const opt = (): optim.SGD => new optim.SGD([torch.zeros([2]).requiresGrad_()], 0.1);
  const run = (s: { step(): void; getLastLr(): number[] }): number[] => {
    const out: number[] = [];
    for (let i = 0; i < 10; i++) {
      s.step();
      out.push(s.getLastLr()[0]!);
    }
    return out;
  };
  test("StepLR(opt, { stepSize, gamma }) and StepLR(opt, 3, 0.5) agree", () => {
    const o1 = opt();
    const o2 = opt();
    assert.deepEqual(run(new optim.StepLR(o1, { stepSize: 3, gamma: 0.5 })), run(new optim.StepLR(o2, 3, 0.5)));
    assert.equal(o1.paramGroups[0]!.lr, 0.1 * 0.5 ** 3);
  });
  test("every scheduler in both forms", () => {
    assert.deepEqual(run(new optim.MultiStepLR(opt(), [2, 5], 0.5)), run(new optim.MultiStepLR(opt(), { milestones: [2, 5], gamma: 0.5 })));
    assert.deepEqual(run(new optim.ExponentialLR(opt(), 0.9)), run(new optim.ExponentialLR(opt(), { gamma: 0.9 })));
    assert.deepEqual(run(new optim.ConstantLR(opt(), 0.5, 4)), run(new optim.ConstantLR(opt(), { factor: 0.5, totalIters: 4 })));
    assert.deepEqual(run(new optim.LinearLR(opt(), 0.2, 0.9, 6)), run(new optim.LinearLR(opt(), { startFactor: 0.2, endFactor: 0.9, totalIters: 6 })));
    assert.deepEqual(run(new optim.PolynomialLR(opt(), 6, 2)), run(new optim.PolynomialLR(opt(), { totalIters: 6, power: 2 })));
    assert.deepEqual(run(new optim.CosineAnnealingLR(opt(), 8, 0.01)), run(new optim.CosineAnnealingLR(opt(), { TMax: 8, etaMin: 0.01 })));
    assert.deepEqual(run(new optim.CosineAnnealingWarmRestarts(opt(), 3, 2, 0.01)), run(new optim.CosineAnnealingWarmRestarts(opt(), { T0: 3, TMult: 2, etaMin: 0.01 })));
    assert.deepEqual(run(new optim.LambdaLR(opt(), (e: number) => 1 / (e + 1))), run(new optim.LambdaLR(opt(), { lrLambda: (e: number) => 1 / (e + 1) })));
    assert.deepEqual(run(new optim.OneCycleLR(opt(), 0.5, 20)), run(new optim.OneCycleLR(opt(), { maxLr: 0.5, totalSteps: 20 })));
  });
  test("too many arguments, unknown options and wrong types are TypeErrors naming the scheduler", () => {
    const ctor = optim.StepLR as unknown as new (...a: unknown[]) => unknown;
    assert.throws(() => new ctor(opt(), 3, 0.5, -1, false, "x"), /StepLR\(\): takes from 2 to 5 positional arguments but 6 were given/);
    assert.throws(() => new ctor(opt(), { stepSize: 3, gama: 0.5 }), /StepLR\(\): unknown option 'gama'/);
    assert.throws(() => new ctor(opt(), 3, "0.5"), /StepLR\(\): argument 'gamma' must be float/);
  });
});
