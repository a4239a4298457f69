// nn.Module's own methods, compared with Python torch of the same version
// (scripts/fixtures/nn_module_methods.py): hook order with prepend, forward hooks with kwargs and
// alwaysCall, full backward (pre-)hooks, the deprecated backward hook, named_* with
// removeDuplicate, state dicts of shared modules, loadStateDict's incompatible keys and assign,
// the state-dict hooks and extra state, getParameter/getBuffer/setSubmodule, the dtype
// conversions, RNNCellBase and Tensor.registerPostAccumulateGradHook; every method binds its
// arguments (positionally or by name, refusals are TypeErrors naming it).
import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, Tensor } from "../src/torch/index.js";
import { version } from "../src/torch/version.js";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fixture } from "./fixtures/nn/compare.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

const two = version.major >= 2;
type Grads = (number[] | null)[];
interface Calls {
  calls: { grad_input: Grads; grad_output: Grads }[];
}
/* eslint-disable @typescript-eslint/naming-convention */
interface Fixture {
  hook_order: string[];
  kwargs?: { seen: { pre_kwargs: Record<string, number>; hook_kwargs: Record<string, number> }; a: number[]; b: number[] };
  always_call?: [string, boolean | string][];
  full_backward: Calls & { requires_grad: boolean[]; grad_fn: (string | null)[]; x_grad: number[] };
  unused_output: Calls & { x_grad: number[] };
  no_input_grad: Calls & { w_grad: number[] };
  backward_pre?: { order: string[]; pre_a_saw: Grads; hook_c_saw: { grad_input: Grads; grad_output: Grads }; x_grad: number[] };
  deprecated_backward: { grad_input: Grads; grad_output: Grads; warnings: string[]; x_grad: number[]; w_grad: number[]; mixing: string };
  traversal: Record<string, string[]> & { repr: string };
  load: {
    all: [string[], string[]];
    partial: { missing: string[]; unexpected: string[] };
    errors: string;
    batchnorm_without_num_batches_tracked: { missing: string[]; unexpected: string[] };
    assign?: { same_object: boolean; weight_is_parameter: boolean; weight_requires_grad: boolean; bias_requires_grad: boolean; weight_shares_input: boolean; weight: number[] };
  };
  state_hooks: {
    calls: unknown[];
    extra_keys: string[];
    extra_value: { count: number };
    extra_load: [string[], string[]];
    extra_loaded: number;
    extra_missing: string[];
    extra_unexpected: string[];
    post_keys?: string[];
    load_result?: [string[], string[]];
    loaded_weight?: number[];
  };
  access: Record<string, string | number[] | string[] | boolean>;
  rnn_cell_base: { repr: string; names: string[]; weight_ih: number[]; bias_hh: number[]; no_bias: string[]; relu_repr: string; no_bias_repr: string; flatten_cpu_unchanged: boolean };
  post_accumulate_grad?: {
    order: string[];
    order_first_backward: string[];
    first_saw_first_backward: number[];
    first_saw: number[];
    second_saw: number[];
    grad: number[];
    grad_after_second_backward: number[];
    order_after: string[];
    non_leaf: string;
    no_grad: string;
  };
}
/* eslint-enable @typescript-eslint/naming-convention */
const py = fixture<Fixture>("module_methods.json");
// The 2.x parameters and hooks are TypeScript on every version (deviations.ts): on 1.13 too they
// are compared with Python 2.6's values.
const py2 = JSON.parse(readFileSync(join(dirname(pythonFixturePath("nn", "x")), "..", "..", "torch-2.6", "nn", "module_methods.json"), "utf8")) as Fixture;

const values = (t: Tensor | null | undefined): number[] | null =>
  t === null || t === undefined ? null : Array.from(t.detach().to("float64").contiguous().toTypedArray() as Float64Array, (v) => Math.round(v * 1e6) / 1e6);
const grads = (ts: readonly (Tensor | null)[]): Grads => ts.map(values);

class Scale extends nn.Module {
  override forward(x: Tensor, y: Tensor, options: { scale?: number } = {}): [Tensor, Tensor] {
    return [x.mul(y).mul(options.scale ?? 1), y.add(1)];
  }
}
/** A float32 tensor (Python's float literals). */
const f32 = (data: number[] | number[][]): Tensor => torch.tensor(data, { dtype: "float32" });
const xy = (): [Tensor, Tensor] => [f32([1, 2]).requiresGrad_(), f32([3, 4])];

/** A method without its TypeScript signature: for calls the types rightly reject. */
const loose = (fn: unknown): ((this: unknown, ...args: unknown[]) => unknown) => fn as (this: unknown, ...args: unknown[]) => unknown;

/** Collects the warnings emitted while `fn` runs. */
function warningsOf(fn: () => void): string[] {
  const seen: string[] = [];
  const listener = (w: Error): void => void seen.push(w.message);
  const original = process.emitWarning;
  process.emitWarning = ((message: string | Error) => void seen.push(typeof message === "string" ? message : message.message)) as typeof process.emitWarning;
  process.on("warning", listener);
  try {
    fn();
  } finally {
    process.emitWarning = original;
    process.off("warning", listener);
  }
  return seen;
}

test("forward hooks run in Python's order; prepend puts a hook first", () => {
  const order: string[] = [];
  const m = new Scale();
  m.registerForwardPreHook(() => void order.push("pre a"));
  m.registerForwardPreHook(() => void order.push("pre b (prepend)"), { prepend: true });
  m.registerForwardHook(() => void order.push("hook c"));
  m.registerForwardHook(() => void order.push("hook d (prepend)"), { prepend: true });
  m.registerForwardHook(() => void order.push("hook e"));
  m.call(...xy());
  assert.deepEqual(order, py2.hook_order);
  const handle = m.registerForwardHook(() => void order.push("removed"));
  assert.equal(typeof handle.id, "number");
  handle.remove();
  order.length = 0;
  m.call(...xy());
  assert.ok(!order.includes("removed"));
});

test("withKwargs hooks see the options object and may replace it; alwaysCall hooks run when forward throws", () => {
  const seen: Record<string, Record<string, unknown>> = {};
  const m = new Scale();
  m.registerForwardPreHook(
    (_m, args, kwargs) => {
      seen.pre_kwargs = { ...kwargs };
      return [args, { scale: (kwargs.scale as number) * 10 }];
    },
    { withKwargs: true },
  );
  m.registerForwardHook(
    (_m, _args, kwargs, output) => {
      seen.hook_kwargs = { ...kwargs };
      const [a, b] = output as [Tensor, Tensor];
      return [a.add(1), b];
    },
    { withKwargs: true },
  );
  const [a, b] = m.call(...xy(), { scale: 2 });
  assert.deepEqual(seen, py2.kwargs!.seen);
  assert.deepEqual(values(a), py2.kwargs!.a);
  assert.deepEqual(values(b), py2.kwargs!.b);

  class Failing extends nn.Module {
    override forward(_x: Tensor): Tensor {
      throw new Error("forward failed");
    }
  }
  const called: [string, boolean | string][] = [];
  const f = new Failing();
  f.registerForwardHook((_m, _a, output) => void called.push(["always", output === null]), { alwaysCall: true });
  f.registerForwardHook((_m, _a, output) => void called.push(["plain", output === null]));
  try {
    f.call(torch.ones([1]));
  } catch (e) {
    called.push(["raised", (e as Error).message]);
  }
  assert.deepEqual(called, py2.always_call);
  const m2 = new Scale();
  m2.registerForwardPreHook(() => 1 as never, { withKwargs: true });
  assert.throws(() => m2.call(...xy()), /forward pre-hook must return None or a tuple of \(new_args, new_kwargs\)/);
});

test("full backward hooks see Python's gradients and may replace the input gradients", () => {
  const record: { calls: { grad_input: Grads; grad_output: Grads }[] } = { calls: [] };
  const m = new Scale();
  m.registerFullBackwardHook((_m, gi, go) => {
    record.calls.push({ grad_input: grads(gi), grad_output: grads(go) });
    return [gi[0]!.mul(2), gi[1]!];
  });
  const [x, y] = xy();
  const [a, b] = m.call(x, y, { scale: 3 });
  assert.deepEqual([a.requiresGrad, b.requiresGrad], py.full_backward.requires_grad);
  assert.deepEqual([a.gradFn, b.gradFn], py.full_backward.grad_fn);
  a.sum().backward();
  assert.deepEqual(record.calls, py.full_backward.calls);
  assert.deepEqual(values(x.grad), py.full_backward.x_grad);

  const unused: typeof record = { calls: [] };
  class TwoOut extends nn.Module {
    override forward(input: Tensor): [Tensor, Tensor] {
      return [input.mul(2), input.mul(3)];
    }
  }
  const two = new TwoOut();
  two.registerFullBackwardHook((_m, gi, go) => void unused.calls.push({ grad_input: grads(gi), grad_output: grads(go) }));
  const x2 = f32([1, 2]).requiresGrad_();
  const [, q] = two.call(x2);
  q.sum().backward();
  assert.deepEqual(unused.calls, py.unused_output.calls);
  assert.deepEqual(values(x2.grad), py.unused_output.x_grad);

  const none: typeof record = { calls: [] };
  const w = new nn.Parameter(f32([2, 5]));
  class WithWeight extends nn.Module {
    w = w;
    override forward(input: Tensor): Tensor {
      return input.mul(this.w);
    }
  }
  const ww = new WithWeight();
  ww.registerFullBackwardHook((_m, gi, go) => void none.calls.push({ grad_input: grads(gi), grad_output: grads(go) }));
  ww.call(f32([1, 3])).sum().backward();
  assert.deepEqual(none.calls, py.no_input_grad.calls);
  assert.deepEqual(values(w.grad), py.no_input_grad.w_grad);

  const bad = new Scale();
  bad.registerFullBackwardHook(() => [null]);
  const [x3, y3] = xy();
  assert.throws(() => bad.call(x3, y3)[0].sum().backward(), /Backward hook returned an invalid number of grad_input, got 1, but expected 2/);
});

test("full backward pre-hooks run first (prepend first of all) and may replace the output gradients", () => {
  const record = { order: [] as string[], pre_a_saw: [] as Grads, hook_c_saw: { grad_input: [] as Grads, grad_output: [] as Grads } };
  const m = new Scale();
  m.registerFullBackwardPreHook((_m, go) => {
    record.order.push("pre a");
    record.pre_a_saw = grads(go);
    return [go[0]!.mul(10), go[1]!];
  });
  m.registerFullBackwardPreHook(() => void record.order.push("pre b (prepend)"), true);
  m.registerFullBackwardHook((_m, gi, go) => {
    record.order.push("hook c");
    record.hook_c_saw = { grad_input: grads(gi), grad_output: grads(go) };
  });
  m.registerFullBackwardHook(() => void record.order.push("hook d (prepend)"), { prepend: true });
  const [x, y] = xy();
  m.call(x, y)[0].sum().backward();
  assert.deepEqual({ ...record, x_grad: values(x.grad) }, py2.backward_pre);
});

test("the deprecated backward hook gets the output grad_fn's gradients, with Python's warning", () => {
  const w = new nn.Parameter(f32([2, 5]));
  class Mul extends nn.Module {
    w = w;
    override forward(input: Tensor): Tensor {
      return input.mul(this.w);
    }
  }
  const record: { grad_input?: Grads; grad_output?: Grads } = {};
  const m = new Mul();
  m.registerBackwardHook((_m, gi, go) => {
    record.grad_input = grads(gi);
    record.grad_output = grads(go);
    return [gi[0]!.mul(3), gi[1]!];
  });
  const x = f32([1, 3]).requiresGrad_();
  let r: Tensor | undefined;
  const warnings = warningsOf(() => {
    r = m.call(x);
  });
  assert.deepEqual(warnings, py.deprecated_backward.warnings);
  r!.mul(f32([1, 2])).sum().backward();
  assert.deepEqual(record.grad_input, py.deprecated_backward.grad_input);
  assert.deepEqual(record.grad_output, py.deprecated_backward.grad_output);
  assert.deepEqual(values(x.grad), py.deprecated_backward.x_grad);
  assert.deepEqual(values(w.grad), py.deprecated_backward.w_grad);
  assert.throws(() => m.registerFullBackwardHook(() => undefined), (e: Error) => e.message === py.deprecated_backward.mixing);
});

class Tied extends nn.Module {
  a: nn.Linear;
  b: nn.Linear;
  w = new nn.Parameter(torch.ones([2]));
  v = this.w;
  declare buf: Tensor;
  c = new nn.Sequential(new nn.Linear(2, 1), new nn.BatchNorm1d(1));
  constructor() {
    super();
    const lin = new nn.Linear(2, 2);
    this.a = lin;
    this.b = lin;
    this.registerBuffer("buf", torch.zeros([1]));
  }
}

test("named_*, stateDict and toString follow Python with shared modules and tied weights (removeDuplicate)", () => {
  const t = new Tied();
  const names = (it: Iterable<[string, unknown]>): string[] => Array.from(it, ([n]) => n);
  const ours: Record<string, string[] | string> = {
    named_parameters: names(t.namedParameters()),
    named_buffers: names(t.namedBuffers()),
    named_modules: names(t.namedModules()),
    named_children: names(t.namedChildren()),
    named_modules_prefix: names(t.namedModules({ prefix: "root" })),
    named_parameters_prefix_no_recurse: names(t.namedParameters("root", false)),
    state_dict: Object.keys(t.stateDict()),
    state_dict_prefix: Object.keys(t.stateDict({ prefix: "x." })),
    named_modules_all: names(t.namedModules(null, "", false)),
    repr: t.toString(),
  };
  const { named_parameters_all: _p, named_buffers_all: _b, ...sameOnEveryVersion } = py.traversal;
  assert.deepEqual(ours, sameOnEveryVersion);
  assert.deepEqual(names(t.namedParameters({ removeDuplicate: false })), py2.traversal.named_parameters_all);
  assert.deepEqual(names(t.namedBuffers("", true, false)), py2.traversal.named_buffers_all);
  // removeDuplicate is TypeScript on every version (deviations.ts)
  assert.deepEqual(names(t.namedParameters("", true, false)).slice(0, 2), ["w", "v"]);
  const memo = new Set<nn.Module>([t.c]);
  assert.deepEqual(names(t.namedModules(memo)), ["", "a"]);
});

test("loadStateDict lists Python's incompatible keys, errors, and the batch norm's version-1 default", () => {
  const t = new Tied();
  const sd = Object.fromEntries(Object.entries(t.stateDict()).map(([k, v]) => [k, v.clone()]));
  const all = t.loadStateDict(sd);
  assert.deepEqual([all.missingKeys, all.unexpectedKeys], py.load.all);
  const r = t.loadStateDict(
    { "a.weight": torch.zeros([2, 2]), zzz: torch.zeros([1]), "a.weight.extra": torch.zeros([1]), "c.9.weight": torch.zeros([1]) },
    false,
  );
  assert.deepEqual({ missing: r.missingKeys, unexpected: r.unexpectedKeys }, { missing: py.load.partial.missing, unexpected: py.load.partial.unexpected });
  assert.throws(() => t.loadStateDict({ ...sd, "a.weight": torch.zeros([3, 2]), w: 5 }), (e: Error) => e.message === py.load.errors);
  const bn = new nn.BatchNorm1d(2);
  const noNbt = Object.fromEntries(Object.entries(bn.stateDict()).filter(([k]) => k !== "num_batches_tracked"));
  const rb = bn.loadStateDict(noNbt, { strict: false });
  assert.deepEqual({ missing: rb.missingKeys, unexpected: rb.unexpectedKeys }, py.load.batchnorm_without_num_batches_tracked);
});

test("loadStateDict(assign) puts the given tensors in place, as Python 2.x", () => {
  const lin = new nn.Linear(2, 2);
  const oldWeight = lin.weight;
  const weight = f32([[1, 2], [3, 4]]);
  const bias = new nn.Parameter(f32([5, 6]), false);
  lin.loadStateDict({ weight, bias }, { assign: true });
  const ours = {
    same_object: lin.weight === oldWeight,
    weight_is_parameter: lin.weight instanceof nn.Parameter,
    weight_requires_grad: lin.weight.requiresGrad,
    bias_requires_grad: lin.bias!.requiresGrad,
    weight_shares_input: lin.weight.dataPtr() === weight.dataPtr(),
    weight: values(lin.weight),
  };
  assert.deepEqual(ours, py2.load.assign);
  assert.equal(lin.bias, bias, "a Parameter given is the one assigned");
  assert.deepEqual(Object.keys(lin.stateDict()), ["weight", "bias"]);
  const bn = new nn.BatchNorm1d(2);
  const mean = f32([7, 8]);
  bn.loadStateDict({ ...bn.stateDict(), running_mean: mean }, { assign: true });
  assert.equal(bn.runningMean, mean);
  assert.deepEqual(Array.from(bn.namedBuffers(), ([n]) => n), ["running_mean", "running_var", "num_batches_tracked"]);
});

test("extra state and the state-dict hooks, as Python's", () => {
  class Extra extends nn.Module {
    lin = new nn.Linear(1, 1);
    count = 7;
    override getExtraState(): unknown {
      return { count: this.count };
    }
    override setExtraState(state: unknown): void {
      this.count = (state as { count: number }).count;
    }
  }
  const e = new Extra();
  const sd = e.stateDict();
  assert.deepEqual(Object.keys(sd), py.state_hooks.extra_keys);
  assert.deepEqual(sd._extra_state as unknown, py.state_hooks.extra_value);
  const e2 = new Extra();
  e2.count = 0;
  const loaded = e2.loadStateDict(sd);
  assert.deepEqual([loaded.missingKeys, loaded.unexpectedKeys], py.state_hooks.extra_load);
  assert.equal(e2.count, py.state_hooks.extra_loaded);
  const without = Object.fromEntries(Object.entries(sd).filter(([k]) => k !== "_extra_state"));
  assert.deepEqual(e2.loadStateDict(without, { strict: false }).missingKeys, py.state_hooks.extra_missing);
  assert.deepEqual(new nn.Linear(1, 1).loadStateDict({ ...new nn.Linear(1, 1).stateDict(), _extra_state: 1 }, false).unexpectedKeys, py.state_hooks.extra_unexpected);

  const calls: unknown[] = [];
  const seq = new nn.Sequential(new nn.Linear(1, 1));
  seq.registerStateDictPreHook((_m, prefix, keepVars) => void calls.push(["pre", prefix, keepVars]));
  seq.at(0).registerStateDictPreHook((_m, prefix, keepVars) => void calls.push(["child pre", prefix, keepVars]));
  seq.registerStateDictPostHook((_m, stateDict, prefix, localMetadata) => {
    calls.push(["post", prefix, Object.keys(stateDict).sort(), localMetadata]);
    stateDict[`${prefix}added`] = torch.ones([1]);
  });
  const postKeys = Object.keys(seq.stateDict({ prefix: "m.", keepVars: true }));
  seq.at(0).registerLoadStateDictPreHook((_m, stateDict, prefix, _meta, strict) => {
    calls.push(["load pre", prefix, Object.keys(stateDict).sort(), strict]);
    if (`${prefix}old_weight` in stateDict) {
      stateDict[`${prefix}weight`] = stateDict[`${prefix}old_weight`];
      delete stateDict[`${prefix}old_weight`];
    }
  });
  seq.registerLoadStateDictPostHook((_m, incompatible) => {
    calls.push(["load post", [...incompatible.missingKeys], [...incompatible.unexpectedKeys]]);
    incompatible.missingKeys.length = 0;
  });
  const r = seq.loadStateDict({ "0.old_weight": f32([[4]]) });
  assert.deepEqual(calls, py2.state_hooks.calls);
  assert.deepEqual(postKeys, py2.state_hooks.post_keys);
  assert.deepEqual([r.missingKeys, r.unexpectedKeys], py2.state_hooks.load_result);
  assert.deepEqual(values((seq.at(0) as nn.Linear).weight), py2.state_hooks.loaded_weight);
  const bad = new nn.Linear(1, 1);
  bad.registerStateDictPostHook((() => ({})) as never);
  assert.throws(() => bad.stateDict(), /state_dict post-hook must return None/);
});

test("getSubmodule, getParameter, getBuffer and setSubmodule: Python's results and errors", () => {
  const net = new nn.Sequential(new nn.Linear(2, 2), new nn.BatchNorm1d(2));
  const message = (fn: () => unknown): string | null => {
    try {
      fn();
    } catch (e) {
      return (e as Error).message;
    }
    return null;
  };
  const a = py.access;
  assert.equal(message(() => net.getSubmodule("5")), a.get_submodule_missing);
  assert.equal(message(() => net.getSubmodule("0.weight")), a.get_submodule_not_module);
  assert.equal(message(() => net.getParameter("1.running_mean")), a.get_parameter_not_param);
  assert.equal(message(() => net.getParameter("0.nothing")), a.get_parameter_missing);
  assert.equal(message(() => net.getBuffer("0.weight")), a.get_buffer_not_buffer);
  assert.deepEqual(values(net.getBuffer("1.running_var")), a.get_buffer);
  assert.equal(net.getParameter({ target: "0.weight" }), (net.at(0) as nn.Linear).weight);
  assert.equal(net.getSubmodule(""), net);
  net.setSubmodule("0", new nn.Identity());
  assert.equal(net.toString(), py2.access.after_set_submodule);
  assert.equal(message(() => net.setSubmodule("", new nn.Identity())), py2.access.set_submodule_empty);
});

test("dtype conversions: type() casts every tensor, half()/to() the floating ones", () => {
  const dtypes = (m: nn.Module): string[] => Object.values(m.stateDict()).map((t) => `torch.${t.dtype}`);
  assert.deepEqual(dtypes(new nn.BatchNorm1d(2).type("float16")), py.access.type_float16);
  assert.deepEqual(dtypes(new nn.BatchNorm1d(2).half()), py.access.half);
  assert.deepEqual(dtypes(new nn.BatchNorm1d(2).to("float64")), py.access.to_float64);
  assert.deepEqual(dtypes(new nn.BatchNorm1d(2).type("torch.DoubleTensor")).slice(0, 1), ["torch.float64"]);
  assert.deepEqual(dtypes(new nn.BatchNorm1d(2).bfloat16()).slice(0, 1), ["torch.bfloat16"]);
  assert.throws(() => new nn.Linear(1, 1).to("int32"), /nn\.Module\.to only accepts floating point or complex dtypes/);
  const lin = new nn.Linear(2, 2);
  const ref = torch.zeros([1], { dtype: "float64" });
  assert.equal(lin.to(ref).weight.dtype, "float64");
  assert.equal(lin.to("float32", false).weight.dtype, "float32");
  assert.equal(lin.to({ dtype: "float64", nonBlocking: true }).weight.dtype, "float64");
  assert.equal(lin.to("cpu", "float32").weight.dtype, "float32");
  assert.throws(() => lin.to({ memoryFormat: "channels_last" } as never), /nn\.Module\.to\(\): argument 'memoryFormat' other than its default .* memory formats/);
  const empty = new nn.Linear(2, 3).toEmpty({ device: "cpu" });
  assert.deepEqual(empty.weight.shape, [3, 2]);
  assert.throws(() => loose(nn.Linear.prototype.toEmpty).call(new nn.Linear(2, 3)), /nn\.Module\.toEmpty\(\): missing required argument 'device'/);
});

test("zeroGrad sets gradients to none by default on every version (deviations.ts; Python 1.13 zeroes)", () => {
  assert.equal(py.access.zero_grad_default, two);
  const lin = new nn.Linear(2, 1);
  lin.forward(torch.ones([1, 2])).sum().backward();
  lin.zeroGrad(false);
  assert.deepEqual(values(lin.weight.grad), [0, 0]);
  lin.zeroGrad();
  assert.equal(lin.weight.grad, undefined);
});

test("every method binds Python's parameters: positional == by name; extra, unknown or mistyped arguments are TypeErrors", () => {
  const net = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5));
  assert.deepEqual(Array.from(net.namedParameters("p", true)), Array.from(net.namedParameters({ prefix: "p", recurse: true })));
  assert.deepEqual(net.parameters(false), net.parameters({ recurse: false }));
  assert.deepEqual(net.buffers(true), net.buffers({ recurse: true }));
  assert.equal(net.train(false).training, false);
  assert.equal(net.train({ mode: true }).at(1).training, true);
  net.requiresGrad_({ requiresGrad: false });
  assert.ok(net.parameters().every((p) => !p.requiresGrad));
  net.requiresGrad_();
  net.registerBuffer("b", torch.zeros([1]), false);
  loose(net.registerBuffer).call(net, { name: "c", tensor: torch.zeros([1]), persistent: false });
  assert.deepEqual(Object.keys(net.stateDict()).includes("b"), false);
  const refusals: [() => unknown, RegExp][] = [
    [() => net.train(true, 1 as never), /nn\.Module\.train\(\): takes from 0 to 1 positional argument/],
    [() => net.train("yes" as never), /nn\.Module\.train\(\): argument 'mode' must be bool/],
    [() => loose(net.eval).call(net, 1), /nn\.Module\.eval\(\): takes 0 positional arguments but 1 were given/],
    [() => net.namedParameters({ recursive: true } as never), /nn\.Module\.namedParameters\(\): unknown option 'recursive'/],
    [() => net.stateDict({ keepvars: true } as never), /nn\.Module\.stateDict\(\): unknown option 'keepvars'/],
    [() => net.loadStateDict(net.stateDict(), { strct: false } as never), /nn\.Module\.loadStateDict\(\): unknown option 'strct'/],
    [() => net.loadStateDict([] as never), /nn\.Module\.loadStateDict\(\): argument 'stateDict' must be dict/],
    [() => net.registerForwardHook(1 as never), /nn\.Module\.registerForwardHook\(\): argument 'hook' must be callable/],
    [() => net.registerForwardHook(() => undefined, { first: true } as never), /unknown option 'first'/],
    [() => net.zeroGrad("no" as never), /nn\.Module\.zeroGrad\(\): argument 'setToNone' must be bool/],
    [() => loose(net.apply).call(net, () => undefined, 2), /nn\.Module\.apply\(\): takes 1 positional argument but 2 were given/],
    [() => net.getSubmodule(0 as never), /nn\.Module\.getSubmodule\(\): argument 'target' must be str/],
    [() => net.registerModule("x", 5 as never), /nn\.Module\.registerModule\(\): argument 'module' must be Module or None/],
    [() => net.namedModules(new Map() as never), /nn\.Module\.namedModules\(\): argument 'memo' must be Set or None/],
  ];
  for (const [call, message] of refusals) assert.throws(call, (e: Error) => e instanceof TypeError && message.test(e.message), String(message));
  assert.throws(() => net.cuda("cpu"), /Invalid device, must be cuda device/);
  for (const name of ["ipu", "xpu", "mtia", "shareMemory", "compile"]) assert.equal(name in net, false, `${name} is an excluded name`);
});

test("RNNCellBase is the cells' real base, built as Python's; flattenParameters on the CPU changes nothing", () => {
  const c = py.rnn_cell_base;
  torch.manualSeed(3);
  const base = new nn.RNNCellBase(2, 3, true, 2);
  assert.equal(base.toString(), c.repr);
  assert.deepEqual(Array.from(base.namedParameters(), ([n]) => n), c.names);
  assert.deepEqual(values(base.weight_ih), c.weight_ih);
  assert.deepEqual(values(base.bias_hh), c.bias_hh);
  assert.deepEqual(Array.from(new nn.RNNCellBase({ inputSize: 2, hiddenSize: 3, bias: false, numChunks: 1 }).namedParameters(), ([n]) => n), c.no_bias);
  assert.equal(new nn.RNNCell(2, 3, { nonlinearity: "relu" }).toString(), c.relu_repr);
  assert.equal(new nn.GRUCell(2, 3, { bias: false }).toString(), c.no_bias_repr);
  assert.ok(new nn.LSTMCell(2, 3) instanceof nn.RNNCellBase);
  const lstm = new nn.LSTM(2, 3);
  const before = lstm.parameters().map(values);
  lstm.flattenParameters();
  assert.equal(JSON.stringify(lstm.parameters().map(values)) === JSON.stringify(before), c.flatten_cpu_unchanged);
  assert.throws(() => loose(lstm.flattenParameters).call(lstm, 1), /nn\.RNNBase\.flattenParameters\(\): takes 0 positional arguments/);
});

test("Tensor.registerPostAccumulateGradHook: after .grad is written, in order; 1.13 refuses naming the version", () => {
  const p = f32([1, 2]).requiresGrad_();
  if (!two) {
    assert.throws(() => p.registerPostAccumulateGradHook(() => undefined), /Tensor\.registerPostAccumulateGradHook\(\) is PyTorch 2\.x API, absent from Python torch 1\.13/);
    return;
  }
  const f = py.post_accumulate_grad!;
  const order: string[] = [];
  const record: Record<string, number[] | null> = {};
  p.registerPostAccumulateGradHook((t: Tensor) => {
    order.push("first");
    record.first_saw = values(t.grad);
    t.grad!.mul_(10);
  });
  const handle = p.registerPostAccumulateGradHook((t: Tensor) => {
    order.push("second");
    record.second_saw = values(t.grad);
  });
  p.mul(f32([3, 4])).sum().backward();
  assert.deepEqual(order, f.order_first_backward);
  assert.deepEqual(record.first_saw, f.first_saw_first_backward);
  assert.deepEqual(record.second_saw, f.second_saw);
  assert.deepEqual(values(p.grad), f.grad);
  handle.remove();
  p.mul(1).sum().backward();
  assert.deepEqual(values(p.grad), f.grad_after_second_backward);
  assert.deepEqual(order, f.order_after);
  assert.deepEqual(record.first_saw, f.first_saw);
  assert.throws(() => p.mul(2).registerPostAccumulateGradHook(() => undefined), (e: Error) => e.message === f.non_leaf);
  assert.throws(() => torch.ones([1]).registerPostAccumulateGradHook(() => undefined), (e: Error) => e.message === f.no_grad);
  assert.throws(() => p.registerPostAccumulateGradHook(1 as never), TypeError);
});
