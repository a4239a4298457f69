// torch.nn.utils against Python: gradient clipping, parameter vectors, weight_norm and
// spectral_norm (hook and parametrization versions), orthogonal, custom parametrizations (state-dict
// keys, values, gradients, assignment, removal), conv/linear-BN fusion and functional_call, with
// the weights of Python's state dicts. Fixtures: scripts/fixtures/nn_utils.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, decode, type Encoded } from "./fixtures/nn/compare.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";
import { load } from "../src/torch/serialization/torch-io.js";

const { utils } = nn;
const { parametrize, parametrizations } = utils;
const read = <T>(name: string): T => JSON.parse(readFileSync(pythonFixturePath("nn_utils", name), "utf8")) as T;
const decodeState = (state: Record<string, Encoded>): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(state).map(([k, v]) => [k, decode(v)]));

interface Clipping {
  cases: { norm_type: string; grads: Encoded[]; total: Encoded; clipped: Encoded[] }[];
  value_grads: Encoded[];
  value_clipped: Encoded[];
  params: Encoded[];
  vector: Encoded;
}
const clipping = read<Clipping>("clipping.json");

function withGrads(grads: Encoded[]): nn.Parameter[] {
  return grads.map((g) => {
    const p = new nn.Parameter(torch.zeros(g.shape));
    p.grad = decode(g);
    return p;
  });
}

test("clipGradNorm_ for norm types 2, inf, 1 and 0.5 returns Python's total and clipped gradients", () => {
  for (const c of clipping.cases) {
    const normType = c.norm_type === "inf" ? Infinity : Number(c.norm_type);
    const params = withGrads(c.grads);
    const total = utils.clipGradNorm_(params, 0.5, normType);
    assertClose(total, c.total, `total norm ${c.norm_type}`);
    params.forEach((p, i) => assertClose(p.grad, c.clipped[i]!, `norm ${c.norm_type} grad ${i}`));
    const again = withGrads(c.grads);
    const total2 = utils.getTotalNorm(again.map((p) => p.grad!), { normType });
    utils.clipGradsWithNorm_(again, 0.5, total2);
    again.forEach((p, i) => assertClose(p.grad, c.clipped[i]!, `getTotalNorm + clipGradsWithNorm_ ${c.norm_type} grad ${i}`));
  }
});

test("clipGradValue_ and the options: foreach is Python's (no foreach kernels on the CPU), unknown options refused", () => {
  const params = withGrads(clipping.value_grads);
  utils.clipGradValue_(params, 0.3);
  params.forEach((p, i) => assertClose(p.grad, clipping.value_clipped[i]!, `grad ${i}`, 0, 0));
  const again = withGrads(clipping.value_grads);
  utils.clipGradValue_(again, { clipValue: 0.3, foreach: false });
  again.forEach((p, i) => assertClose(p.grad, clipping.value_clipped[i]!, `by name ${i}`, 0, 0));
  assert.throws(() => utils.clipGradValue_(again, 0.3, true), /foreach=True was passed, but can't use the foreach API on cpu tensors/);
  assert.throws(() => utils.clipGradNorm_(again, 1, { normtype: 2 } as never), /nn.utils.clipGradNorm_\(\): unknown option 'normtype'/);
  assert.throws(() => utils.clipGradNorm_(again, 1, 2, false, null, 5 as never), /positional argument/);
  assert.throws(() => utils.clipGradNorm_(again, "1" as never), /argument 'maxNorm' must be float/);
});

test("parametersToVector and vectorToParameters round-trip Python's vector", () => {
  const params = clipping.params.map((p) => new nn.Parameter(decode(p)));
  const vec = utils.parametersToVector(params);
  assertClose(vec, clipping.vector, "vector", 0, 0);
  const targets = params.map((p) => new nn.Parameter(torch.zeros(p.shape)));
  utils.vectorToParameters(vec.mul(2), targets);
  targets.forEach((t, i) => assert.equal(t.sub(params[i]!.mul(2)).abs().max().item(), 0));
  assert.throws(() => utils.parametersToVector(params[0]!), /iterable of Tensors, got a Tensor/);
});

interface ModuleCase {
  keys: string[];
  state: Record<string, Encoded>;
  output: Encoded;
  grads: Record<string, Encoded>;
  input?: Encoded;
  weight?: Encoded;
  original_grad?: Encoded;
}
interface WeightNorms {
  input: Encoded;
  weight_norm: ModuleCase;
  weight_norm_removed: { keys: string[]; weight: Encoded };
  weight_norm_dim_none_keys: string[];
  weight_norm_dim_none_g_shape: number[];
  spectral_norm_keys: string[];
  spectral_norm_state: Record<string, Encoded>;
  spectral_norm_train: { output: Encoded; u: Encoded; weight: Encoded };
  spectral_norm_eval: Encoded;
  spectral_norm_removed_keys: string[];
  p_spectral_keys: string[];
  p_spectral_state: Record<string, Encoded>;
  p_spectral_train: { output: Encoded; u: Encoded; grad: Encoded };
  p_spectral_eval: Encoded;
  orthogonal_square: ModuleCase;
  orthogonal_tall: ModuleCase;
  orthogonal_wide: ModuleCase;
  orthogonal_householder: { keys: string[]; state: Record<string, Encoded>; weight: Encoded };
  orthogonal_cayley: { keys: string[]; state: Record<string, Encoded>; weight: Encoded };
  p_weight_norm?: ModuleCase;
}
const norms = read<WeightNorms>("weight_norms.json");

/** Loads Python's state, runs `call` on x, backpropagates sum(y²) and compares with the case. */
function checkCase(module: nn.Module, c: ModuleCase, x: Tensor, what: string): void {
  assert.deepEqual(Object.keys(module.stateDict()), c.keys, `${what}: state-dict keys`);
  module.loadStateDict(decodeState(c.state));
  const y = module.call(x) as Tensor;
  assertClose(y, c.output, `${what}: output`);
  y.mul(y).sum().backward();
  const names = [...module.namedParameters()].map(([k]) => k);
  assert.deepEqual(names, Object.keys(c.grads), `${what}: parameter names`);
  for (const [key, p] of module.namedParameters()) assertClose(p.grad, c.grads[key]!, `${what}: grad ${key}`);
}

test("weightNorm (hooks): weight_g / weight_v keys, values, gradients; removeWeightNorm; dim null", () => {
  const m: nn.Linear = utils.weightNorm(new nn.Linear(4, 3)); // typed as the module passed
  checkCase(m, norms.weight_norm, decode(norms.input), "weightNorm");
  torch.tidy(() => m.call(decode(norms.input)));
  assert.deepEqual(m.weight.shape, [3, 4], "the hook's weight outlives a tidy() around call()");
  utils.removeWeightNorm(m);
  assert.deepEqual(Object.keys(m.stateDict()), norms.weight_norm_removed.keys);
  assertClose(m.weight, norms.weight_norm_removed.weight, "weight after removal");
  const whole = utils.weightNorm(new nn.Linear(4, 3), { dim: null });
  assert.deepEqual(Object.keys(whole.stateDict()), norms.weight_norm_dim_none_keys);
  assert.deepEqual((whole as unknown as { weight_g: Tensor }).weight_g.shape, norms.weight_norm_dim_none_g_shape);
  assert.throws(() => utils.weightNorm(whole), /Cannot register two weight_norm hooks/);
  assert.throws(() => utils.removeWeightNorm(new nn.Linear(2, 2)), /weight_norm of 'weight' not found/);
});

test("spectralNorm (hooks): keys, one power iteration per training call, eval, removal", () => {
  const s = utils.spectralNorm(new nn.Linear(4, 3));
  assert.deepEqual(Object.keys(s.stateDict()), norms.spectral_norm_keys);
  s.loadStateDict(decodeState(norms.spectral_norm_state));
  const x = decode(norms.input);
  assertClose(s.call(x), norms.spectral_norm_train.output, "train output");
  assertClose((s as unknown as { weight_u: Tensor }).weight_u, norms.spectral_norm_train.u, "u after one iteration");
  assertClose(s.weight, norms.spectral_norm_train.weight, "weight");
  s.eval();
  assertClose(s.call(x), norms.spectral_norm_eval, "eval output");
  utils.removeSpectralNorm(s);
  assert.deepEqual(Object.keys(s.stateDict()), norms.spectral_norm_removed_keys);
});

test("parametrizations.spectralNorm: Python's keys (parametrizations.weight.0._u), values and gradient", () => {
  const p = parametrizations.spectralNorm(new nn.Linear(4, 3));
  assert.deepEqual(Object.keys(p.stateDict()), norms.p_spectral_keys);
  p.loadStateDict(decodeState(norms.p_spectral_state));
  const x = decode(norms.input);
  const y = p.call(x);
  assertClose(y, norms.p_spectral_train.output, "train output");
  y.sum().backward();
  const list = (p as unknown as { parametrizations: nn.ModuleDict }).parametrizations.get("weight") as nn.utils.parametrize.ParametrizationList;
  assertClose((list.at(0) as unknown as { _u: Tensor })._u, norms.p_spectral_train.u, "u");
  assertClose(list.original.grad, norms.p_spectral_train.grad, "grad of the original");
  p.eval();
  assertClose(p.call(x), norms.p_spectral_eval, "eval output");
});

test("parametrizations.orthogonal (matrix_exp square, householder tall and wide, cayley, no trivialization) equals Python", () => {
  for (const [name, [rows, cols]] of [["orthogonal_square", [4, 4]], ["orthogonal_tall", [4, 3]], ["orthogonal_wide", [3, 4]]] as const) {
    const c = norms[name];
    const o = parametrizations.orthogonal(new nn.Linear(cols, rows));
    checkCase(o, c, decode(c.input!), name);
    assertClose(o.weight, c.weight!, `${name}: weight`);
    const w = o.weight;
    const gram = rows >= cols ? w.mT.matmul(w) : w.matmul(w.mT);
    assert.ok((gram.sub(torch.eye(Math.min(rows, cols))).abs().max().item() as number) < 1e-5, `${name}: orthogonal`);
  }
  const hh = parametrizations.orthogonal(new nn.Linear(3, 4), { orthogonalMap: "householder", useTrivialization: false });
  assert.deepEqual(Object.keys(hh.stateDict()), norms.orthogonal_householder.keys);
  hh.loadStateDict(decodeState(norms.orthogonal_householder.state));
  assertClose(hh.weight, norms.orthogonal_householder.weight, "householder weight");
  const cayley = parametrizations.orthogonal(new nn.Linear(4, 4), "weight", "cayley");
  assert.deepEqual(Object.keys(cayley.stateDict()), norms.orthogonal_cayley.keys);
  cayley.loadStateDict(decodeState(norms.orthogonal_cayley.state));
  assertClose(cayley.weight, norms.orthogonal_cayley.weight, "cayley weight");
  assert.throws(() => parametrizations.orthogonal(new nn.Linear(3, 4), { orthogonalMap: "qr" }), /orthogonal_map has to be one of/);
  const plain = new nn.Linear(3, 3);
  const weight = plain.weight.detach().clone();
  parametrizations.orthogonal(plain, { useTrivialization: false }); // matrix_exp cannot invert: the original is kept, as Python
  const list = (plain as unknown as { parametrizations: nn.ModuleDict }).parametrizations.get("weight") as nn.utils.parametrize.ParametrizationList;
  assert.equal(list.original.sub(weight).abs().max().item(), 0);
  assert.throws(() => {
    plain.weight = weight as nn.Parameter;
  }, /not possible to assign to the matrix exponential/);
});

test("a parametrized model's checkpoint saved by Python (torch.save of its state dict) loads as is", () => {
  const saved = load(pythonFixturePath("nn_utils", "orthogonal_square.pt")) as Map<string, Tensor> | Record<string, Tensor>;
  const o = parametrizations.orthogonal(new nn.Linear(4, 4));
  o.loadStateDict(saved instanceof Map ? saved : new Map(Object.entries(saved)));
  assertClose(o.weight, norms.orthogonal_square.weight!, "weight from the checkpoint");
});

test("parametrizations.weightNorm: original0 / original1 (PyTorch 2.x's, compared with Python where it has it)", () => {
  const lin = new nn.Linear(4, 3);
  const weight = lin.weight.detach().clone();
  const w = parametrizations.weightNorm(lin);
  assert.deepEqual(Object.keys(w.stateDict()), ["bias", "parametrizations.weight.original0", "parametrizations.weight.original1"]);
  assert.ok((w.weight.sub(weight).abs().max().item() as number) < 1e-6, "g · v / ‖v‖ is the weight it started from");
  if (norms.p_weight_norm) checkCase(parametrizations.weightNorm(new nn.Linear(4, 3)), norms.p_weight_norm, decode(norms.input), "parametrizations.weightNorm");
});

test("parametrizations.weightNorm loads a state dict saved by the old weightNorm (Python's weight_g / weight_v): same weight and output", () => {
  const old = decodeState(norms.weight_norm.state);
  assert.deepEqual(Object.keys(old).sort(), ["bias", "weight_g", "weight_v"], "Python's old keys");
  const m = parametrizations.weightNorm(new nn.Linear(4, 3));
  assert.deepEqual(m.loadStateDict(old), { missingKeys: [], unexpectedKeys: [] }, "strict load: the compat hook renames the keys");
  assertClose(m.call(decode(norms.input)) as Tensor, norms.weight_norm.output, "output after loading the old state");
  assert.deepEqual(Object.keys(old).sort(), ["bias", "weight_g", "weight_v"], "the caller's state dict is left as it was");
  // Nested: the hook sees its module's prefix.
  const seq = new nn.Sequential(new nn.Identity(), parametrizations.weightNorm(new nn.Linear(4, 3)));
  const prefixed = Object.fromEntries(Object.entries(old).map(([k, v]) => [`1.${k}`, v]));
  assert.deepEqual(seq.loadStateDict(prefixed), { missingKeys: [], unexpectedKeys: [] });
  assertClose(seq.call(decode(norms.input)) as Tensor, norms.weight_norm.output, "nested output");
  // Only one of the pair: nothing is renamed, so strict loading names the keys, as Python's.
  const half = { bias: old.bias!, weight_g: old.weight_g! };
  assert.throws(() => parametrizations.weightNorm(new nn.Linear(4, 3)).loadStateDict(half), /Missing key\(s\) in state_dict: "parametrizations\.weight\.original0", "parametrizations\.weight\.original1"\. \n\tUnexpected key\(s\) in state_dict: "weight_g"/);
});

test("registerLoadStateDictPreHook: hooks run parents first with their prefixes, may rewrite the copy, and can be removed", () => {
  const seq = new nn.Sequential(new nn.Linear(2, 2));
  const seen: string[] = [];
  const h1 = seq.registerLoadStateDictPreHook((_m, sd, prefix) => void seen.push(`seq:${prefix}:${Object.keys(sd).length}`));
  const inner = seq.at(0).registerLoadStateDictPreHook((_m, sd, prefix) => {
    seen.push(`linear:${prefix}`);
    if (`${prefix}w` in sd) {
      sd[`${prefix}weight`] = sd[`${prefix}w`];
      delete sd[`${prefix}w`];
    }
  });
  const w = torch.ones([2, 2]);
  seq.loadStateDict({ "0.w": w, "0.bias": torch.zeros([2]) });
  assert.deepEqual(seen, ["seq::2", "linear:0."]);
  assert.equal((seq.at(0) as nn.Linear).weight.sum().item(), 4);
  h1.remove();
  inner.remove();
  assert.throws(() => seq.loadStateDict({ "0.w": w, "0.bias": torch.zeros([2]) }), /Unexpected key\(s\) in state_dict: "0\.w"/);
});

class Symmetric extends nn.Module {
  override forward(x: Tensor): Tensor {
    return x.triu().add(x.triu(1).transpose(-1, -2));
  }
}
class Scale extends nn.Module {
  override forward(x: Tensor): Tensor {
    return x.mul(2);
  }
  rightInverse(x: Tensor): Tensor {
    return x.div(2);
  }
}

interface Parametrize {
  input: Encoded;
  chain: ModuleCase;
  after_assign_original: Encoded;
  removed_keys: string[];
  removed_weight: Encoded;
  buffer_keys: string[];
}
const pz = read<Parametrize>("parametrize.json");

test("registerParametrization: chained parametrizations, Python's keys, values and gradients; assignment; removal", () => {
  const m = new nn.Linear(3, 3);
  parametrize.registerParametrization(m, "weight", new Symmetric());
  parametrize.registerParametrization(m, "weight", new Scale());
  assert.ok(parametrize.isParametrized(m));
  assert.ok(parametrize.isParametrized(m, "weight"));
  assert.ok(!parametrize.isParametrized(m, "bias"));
  checkCase(m, pz.chain, decode(pz.input), "chain");
  assertClose(m.weight, pz.chain.weight!, "parametrized weight");
  const first = parametrize.cached(() => m.weight);
  assert.equal(parametrize.cached(() => [m.weight, m.weight]).every((w, _, all) => w === all[0]), true, "cached: one tensor per parametrization");
  assert.notEqual(m.weight, first);

  const scaled = new nn.Linear(3, 3);
  parametrize.registerParametrization(scaled, "weight", new Scale());
  torch.noGrad(() => {
    scaled.weight = torch.eye(3).mul(4) as nn.Parameter;
  });
  const list = (scaled as unknown as { parametrizations: nn.ModuleDict }).parametrizations.get("weight") as nn.utils.parametrize.ParametrizationList;
  assertClose(list.original, pz.after_assign_original, "original after assignment");
  assert.throws(() => {
    m.weight = torch.eye(3) as nn.Parameter;
  }, /Symmetric does not implement right_inverse/);

  const optimizerHeld = list.original;
  parametrize.removeParametrizations(m, "weight");
  assert.deepEqual(Object.keys(m.stateDict()), pz.removed_keys);
  assertClose(m.weight, pz.removed_weight, "weight left parametrized");
  assert.ok(m.weight instanceof nn.Parameter);
  assert.ok(!parametrize.isParametrized(m));
  assert.ok(!("parametrizations" in m));
  parametrize.removeParametrizations(scaled, "weight", false);
  assert.equal(scaled.weight, optimizerHeld, "the original Parameter object comes back (optimizers keep it)");
  assert.throws(() => parametrize.removeParametrizations(m, "weight"), /does not have a parametrization on weight/);
});

test("a parametrized buffer (BatchNorm running_mean) has Python's keys; shape-changing parametrizations are refused", () => {
  const bn = new nn.BatchNorm1d(3);
  parametrize.registerParametrization(bn, "running_mean", new Scale());
  assert.deepEqual(Object.keys(bn.stateDict()), pz.buffer_keys);
  assert.equal((bn.runningMean!.sum().item() as number), 0);
  class Flatten extends nn.Module {
    override forward(x: Tensor): Tensor {
      return x.flatten();
    }
  }
  assert.throws(() => parametrize.registerParametrization(new nn.Linear(2, 2), "weight", new Flatten()), /may not change the shape/);
  parametrize.registerParametrization(new nn.Linear(2, 2), "weight", new Flatten(), { unsafe: true });
  assert.throws(() => parametrize.registerParametrization(new nn.Linear(2, 2), "nothing", new Scale()), /does not have a parameter, a buffer, or a parametrized element with name 'nothing'/);
  assert.throws(() => parametrize.registerParametrization(new nn.Linear(2, 2), "weight", new Scale(), true as never), /positional argument/);
});

test("an optimizer built before parametrizing still holds the original, and a step changes the parametrized weight", () => {
  const m = new nn.Linear(3, 3);
  const weight = m.weight;
  parametrize.registerParametrization(m, "weight", new Scale());
  const list = (m as unknown as { parametrizations: nn.ModuleDict }).parametrizations.get("weight") as nn.utils.parametrize.ParametrizationList;
  assert.equal(list.original, weight, "right_inverse's value is set into the same Parameter");
  const opt = new torch.optim.SGD(m.parameters(), 0.1);
  const before = m.weight.detach().clone();
  m.call(torch.ones([1, 3])).sum().backward();
  opt.step();
  assert.ok((m.weight.sub(before).abs().max().item() as number) > 0);
});

test("transferParametrizationsAndParams and typeBeforeParametrizations; a deep copy keeps working parametrizations", () => {
  const from = new nn.Linear(3, 3);
  parametrize.registerParametrization(from, "weight", new Scale());
  const to = new nn.Linear(3, 3);
  parametrize.transferParametrizationsAndParams(from, to);
  assert.ok(parametrize.isParametrized(to, "weight"));
  assert.equal(to.weight.sub(from.weight).abs().max().item(), 0, "same original, same parametrization");
  assert.equal(parametrize.typeBeforeParametrizations(from), nn.Linear);
  const copy = nn.copyModule(from);
  assert.equal(copy.weight.sub(from.weight).abs().max().item(), 0);
  torch.noGrad(() => (copy as unknown as { parametrizations: nn.ModuleDict }).parametrizations.get("weight")!.parameters()[0]!.zero_());
  assert.equal(copy.weight.abs().max().item(), 0, "the copy's accessor reads the copy's original");
  assert.notEqual(from.weight.abs().max().item(), 0);
});

interface Fusion {
  conv: { conv: Record<string, Encoded>; bn: Record<string, Encoded>; input: Encoded; fused: Record<string, Encoded>; output: Encoded; reference: Encoded };
  linear: { linear: Record<string, Encoded>; bn: Record<string, Encoded>; input: Encoded; reference: Encoded; fused?: Record<string, Encoded>; output?: Encoded };
  functional_call: { input: Encoded; weight: Encoded; bias: Encoded; output: Encoded };
}
const fusion = read<Fusion>("fusion.json");

test("fuseConvBnEval / fuseLinearBnEval fold the BatchNorm as Python", () => {
  const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
  conv.loadStateDict(decodeState(fusion.conv.conv));
  const bn = new nn.BatchNorm2d(3);
  bn.loadStateDict(decodeState(fusion.conv.bn));
  assert.throws(() => utils.fuseConvBnEval(conv, bn), /Fusion only for eval!/);
  conv.eval();
  bn.eval();
  const fused = utils.fuseConvBnEval(conv, bn) as nn.Conv2d;
  for (const [k, v] of Object.entries(fusion.conv.fused)) assertClose(fused.stateDict()[k], v, `fused ${k}`);
  assertClose(fused.forward(decode(fusion.conv.input)), fusion.conv.output, "fused output");
  assertClose(fused.forward(decode(fusion.conv.input)), fusion.conv.reference, "bn(conv(x))", 1e-5, 1e-4);
  assert.notEqual(fused.weight, conv.weight, "a copy");

  const lin = new nn.Linear(4, 3);
  lin.loadStateDict(decodeState(fusion.linear.linear));
  const bn1 = new nn.BatchNorm1d(3);
  bn1.loadStateDict(decodeState(fusion.linear.bn));
  lin.eval();
  bn1.eval();
  const fusedLinear = utils.fuseLinearBnEval(lin, bn1) as nn.Linear;
  if (fusion.linear.fused) for (const [k, v] of Object.entries(fusion.linear.fused)) assertClose(fusedLinear.stateDict()[k], v, `fused linear ${k}`);
  assertClose(fusedLinear.forward(decode(fusion.linear.input)), fusion.linear.reference, "bn(linear(x))");
  const [w, b] = utils.fuseConvBnWeights(conv.weight, null, bn.runningMean!, bn.runningVar!, bn.eps, null, null);
  assert.deepEqual([w.shape, b.shape], [conv.weight.shape, [3]]);
  assert.ok(w instanceof nn.Parameter && b instanceof nn.Parameter);
});

test("stateless.functionalCall runs the module with the given tensors and restores its own", () => {
  const lin = new nn.Linear(3, 2);
  const own = lin.weight;
  const c = fusion.functional_call;
  const x = decode(c.input);
  const out = utils.stateless.functionalCall(lin, { weight: decode(c.weight), bias: decode(c.bias) }, [x]) as Tensor;
  assertClose(out, c.output, "output");
  const single = utils.stateless.functionalCall(lin, new Map([["weight", decode(c.weight)], ["bias", decode(c.bias)]]), x) as Tensor;
  assertClose(single, c.output, "one argument, a Map");
  assert.equal(lin.weight, own, "own parameter restored");
  assert.deepEqual([...lin.namedParameters()].map(([k]) => k), ["weight", "bias"]);
  assert.throws(() => utils.stateless.functionalCall(lin, { weight: decode(c.weight) }, [x], null, { strict: true }), /Missing key\(s\): 'bias'/);
  const seq = new nn.Sequential(new nn.Linear(3, 2));
  const viaPath = utils.stateless.functionalCall(seq, { "0.weight": decode(c.weight), "0.bias": decode(c.bias) }, [x]) as Tensor;
  assertClose(viaPath, c.output, "dotted keys");
});

test("skipInit builds with uninitialised parameters; convertConv2dWeightMemoryFormat makes weights channels_last", () => {
  const m = utils.skipInit(nn.Linear, 5, 1);
  assert.ok(m instanceof nn.Linear);
  assert.deepEqual(m.weight.shape, [1, 5]);
  const withOptions = utils.skipInit(nn.Linear, 5, 1, { bias: false });
  assert.equal(withOptions.bias, null);
  assert.throws(() => (utils.skipInit as (...a: unknown[]) => unknown)(nn.ReLU), /Module must support a 'device' arg/);
  const net = new nn.Sequential(new nn.Conv2d(2, 4, 3), new nn.ReLU(), new nn.Conv2d(4, 4, 3));
  const w = (net.at(0) as nn.Conv2d).weight;
  utils.convertConv2dWeightMemoryFormat(net, "channels_last");
  assert.equal((net.at(0) as nn.Conv2d).weight, w, "the same Parameter");
  assert.deepEqual(w.stride(), [18, 1, 6, 2], "channels_last strides");
});
