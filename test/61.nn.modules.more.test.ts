// The rest of torch's nn modules against Python (scripts/fixtures/nn_modules_more.py): padding,
// shuffles, Fold/Unfold, distances, CrossMapLRN2d, the transformers with masks, adaptive softmax,
// ParameterList/Dict keys, Lazy modules; forward values, input and parameter gradients on Python's
// own parameters (loaded from its state dict), and the calling convention of each constructor.
import { test, suite } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, optim, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, decode as decodeFinite, fixture, type Encoded } from "./fixtures/nn/compare.js";

interface ModuleCase {
  name: string;
  state: Record<string, Encoded>;
  inputs: Encoded[];
  kwargs: Record<string, Encoded>;
  flags: Record<string, boolean>;
  output: Encoded;
  gradOutput: Encoded;
  inputGrads: Encoded[] | null;
  paramGrads: Record<string, Encoded>;
}
interface LazyCase {
  name: string;
  keysBefore: string[];
  className: string;
  input: Encoded;
  output: Encoded;
  state: Record<string, Encoded>;
  stepped: Record<string, Encoded>;
}
interface Fixture {
  modules: ModuleCase[];
  adaptive: {
    state: Record<string, Encoded>;
    input: Encoded;
    target: Encoded;
    output: Encoded;
    loss: Encoded;
    inputGrad: Encoded;
    paramGrads: Record<string, Encoded>;
    single: { input: Encoded; output: Encoded; loss: Encoded };
    probe: Encoded;
    logProb: Encoded;
    predict: Encoded;
  };
  containers: { parameterList: string[]; parameterDict: string[]; holder: string[] };
  lazy: LazyCase[];
}

const data = fixture<Fixture>("modules_more.json");

/** A fixture tensor; the script writes infinities (the causal masks' -inf) as "inf" and "-inf". */
function decode(e: Encoded, options: { requiresGrad?: boolean } = {}): Tensor {
  const data = e.data.map((v) => (v === ("-inf" as unknown) ? -Infinity : v === ("inf" as unknown) ? Infinity : v));
  return decodeFinite({ ...e, data }, options);
}

const makers: Record<string, () => nn.Module> = {
  ReflectionPad1d: () => new nn.ReflectionPad1d([1, 2]),
  ReflectionPad2d: () => new nn.ReflectionPad2d(1),
  ReflectionPad3d: () => new nn.ReflectionPad3d([1, 0, 1, 2, 0, 1]),
  ReplicationPad1d: () => new nn.ReplicationPad1d(2),
  ReplicationPad2d: () => new nn.ReplicationPad2d([1, 2, 0, 1]),
  ReplicationPad3d: () => new nn.ReplicationPad3d(1),
  ZeroPad2d: () => new nn.ZeroPad2d([1, 1, 2, 0]),
  ConstantPad1d: () => new nn.ConstantPad1d(2, 3.5),
  ConstantPad2d: () => new nn.ConstantPad2d([1, 0, 2, 1], -1.0),
  ConstantPad3d: () => new nn.ConstantPad3d(1, 0.5),
  PixelShuffle: () => new nn.PixelShuffle(2),
  PixelUnshuffle: () => new nn.PixelUnshuffle(2),
  ChannelShuffle: () => new nn.ChannelShuffle(3),
  Fold: () => new nn.Fold([4, 5], [2, 2], 1, 1, [1, 2]),
  Unfold: () => new nn.Unfold([2, 3], { dilation: 1, padding: 1, stride: 2 }),
  CosineSimilarity: () => new nn.CosineSimilarity(0, 1e-6),
  PairwiseDistance: () => new nn.PairwiseDistance(1.5, 1e-5, true),
  CrossMapLRN2d: () => new nn.CrossMapLRN2d(3, 1e-2, 0.75, 1.5),
  TransformerEncoderLayerGelu: () => new nn.TransformerEncoderLayer(8, 2, 16, 0.0, "gelu", 1e-5, true, true),
  TransformerDecoderLayer: () => new nn.TransformerDecoderLayer(8, 2, 16, 0.0),
  TransformerDecoderLayerNormFirst: () => new nn.TransformerDecoderLayer(8, 2, 16, 0.0, { normFirst: true, batchFirst: true }),
  TransformerDecoder: () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16, 0.0), 2, new nn.LayerNorm(8)),
  TransformerEncoderMask: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16, 0.0), 2),
  Transformer: () => new nn.Transformer(8, 2, 2, 2, 16, 0.0),
  TransformerBatchFirstNormFirst: () => new nn.Transformer(8, 2, 1, 1, 16, 0.0, "gelu", { batchFirst: true, normFirst: true }),
  CircularPad2d: () => new nn.CircularPad2d([1, 2, 0, 1]),
  ZeroPad1d: () => new nn.ZeroPad1d([2, 1]),
  ZeroPad3d: () => new nn.ZeroPad3d(1),
  RMSNorm: () => new nn.RMSNorm([3, 4]),
  RMSNormNoAffine: () => new nn.RMSNorm(4, 1e-3, false),
  LPPool3d: () => new nn.LPPool3d(2, 2, 1),
  TransformerNoBias: () => new nn.Transformer(8, 2, 1, 1, 16, 0.0, { bias: false }),
};

const camel = (key: string): string => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const stateOf = (state: Record<string, Encoded>): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(state).map(([k, v]) => [k, decode(v)]));

suite("nn modules against Python: forward, input and parameter gradients", () => {
  test("every fixture case has a maker", () => {
    for (const c of data.modules) assert.ok(makers[c.name], `no maker for ${c.name}`);
  });
  for (const c of data.modules) {
    test(c.name, () => {
      const module = makers[c.name]!();
      assert.deepEqual(Object.keys(module.stateDict()), Object.keys(c.state), "state-dict keys and order");
      if (Object.keys(c.state).length > 0) module.loadStateDict(stateOf(c.state));
      const differentiable = c.inputGrads !== null;
      const inputs = c.inputs.map((e) => decode(e, { requiresGrad: differentiable && e.dtype === "float32" }));
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.kwargs)) options[camel(k)] = decode(v);
      for (const [k, v] of Object.entries(c.flags)) options[camel(k)] = v;
      const args: unknown[] = Object.keys(options).length > 0 ? [...inputs, options] : inputs;
      const out = (module.call as (...a: unknown[]) => Tensor).call(module, ...args);
      assertClose(out, c.output, "output", 1e-5, 1e-4);
      if (!differentiable) return;
      out.backward(decode(c.gradOutput));
      c.inputGrads!.forEach((g, i) => assertClose(inputs[i]!.grad, g, `input ${i} grad`, 1e-4, 1e-3));
      const params = Object.fromEntries(module.namedParameters());
      assert.deepEqual(Object.keys(c.paramGrads).sort(), Object.keys(params).filter((k) => params[k]!.grad !== undefined).sort());
      for (const [k, g] of Object.entries(c.paramGrads)) assertClose(params[k]!.grad, g, `grad of ${k}`, 1e-4, 1e-3);
    });
  }
});

test("AdaptiveLogSoftmaxWithLoss: (output, loss) named tuple, gradients, unbatched, logProb and predict equal Python's", () => {
  const a = data.adaptive;
  const m = new nn.AdaptiveLogSoftmaxWithLoss(16, 12, [3, 7], { divValue: 2.0, headBias: true });
  assert.deepEqual(Object.keys(m.stateDict()), Object.keys(a.state));
  m.loadStateDict(stateOf(a.state));
  const x = decode(a.input, { requiresGrad: true });
  const result = m.call(x, decode(a.target));
  const [output, loss] = result;
  assert.equal(result.output, output);
  assert.equal(result.loss, loss);
  assertClose(output, a.output, "output");
  assertClose(loss, a.loss, "loss");
  loss.backward();
  assertClose(x.grad, a.inputGrad, "input grad", 1e-5, 1e-3);
  for (const [k, p] of m.namedParameters()) assertClose(p.grad, a.paramGrads[k]!, `grad of ${k}`, 1e-5, 1e-3);
  const single = m.forward({ input_: decode(a.single.input), target_: torch.tensor(9) });
  assertClose(single.output, a.single.output, "unbatched output");
  assertClose(single.loss, a.single.loss, "unbatched loss");
  const probe = decode(a.probe);
  assertClose(m.logProb(probe), a.logProb, "logProb");
  assert.deepEqual(m.predict(probe).toArray(), a.predict.data);
  assert.throws(() => m.forward(decode(a.input), torch.tensor([0, 1, 12, 2, 3, 4])), /Target values should be in \[0, 11\]/);
  assert.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(16, 12, [7, 3]), /cutoffs should be a sequence/);
});

test("ParameterList and ParameterDict: Python's state-dict keys, tensors wrapped in Parameters", () => {
  const c = data.containers;
  const plist = new nn.ParameterList([new nn.Parameter(torch.ones(2)), torch.zeros(3), new nn.Parameter(torch.ones(1, 2))]);
  assert.deepEqual(Object.keys(plist.stateDict()), c.parameterList);
  assert.ok(plist.at(1) instanceof nn.Parameter, "a Tensor is wrapped in a Parameter");
  assert.equal(plist.length, 3);
  assert.equal([...plist].length, 3);
  assert.equal(plist.parameters().length, 3);
  const pdict = new nn.ParameterDict({ left: new nn.Parameter(torch.ones(2)), right: torch.zeros(3) });
  pdict.update([["extra", new nn.Parameter(torch.ones(1))]]);
  assert.deepEqual(Object.keys(pdict.stateDict()), c.parameterDict);
  assert.ok(pdict.get("right") instanceof nn.Parameter);
  assert.equal(pdict.get("missing"), undefined);
  assert.deepEqual([...pdict], ["left", "right", "extra"]);
  assert.deepEqual(pdict.popitem()[0], "extra");
  assert.deepEqual(pdict.keys(), ["left", "right"]);
  assert.equal(plist.toString(), "ParameterList(\n    (0): Parameter containing: [torch.float32 of size 2]\n    (1): Parameter containing: [torch.float32 of size 3]\n    (2): Parameter containing: [torch.float32 of size 1x2]\n)");
  assert.equal(pdict.toString(), "ParameterDict(\n    (left): Parameter containing: [torch.FloatTensor of size 2]\n    (right): Parameter containing: [torch.FloatTensor of size 3]\n)");
  class Holder extends nn.Module {
    params = new nn.ParameterList([new nn.Parameter(torch.ones(2)), new nn.Parameter(torch.ones(3))]);
    named = new nn.ParameterDict({ alpha: new nn.Parameter(torch.ones(1)) });
  }
  const holder = new Holder();
  assert.deepEqual(Object.keys(holder.stateDict()), c.holder);
  holder.loadStateDict(holder.stateDict());
  assert.throws(() => new nn.ParameterList([1], { foo: 1 } as never), /unknown option 'foo'/);
});

test("nn.Buffer: registered by assignment, persistent or not, moved and copied with its module", () => {
  class Net extends nn.Module {
    fc = new nn.Linear(2, 2);
    step = new nn.Buffer(torch.tensor(3));
    cache = new nn.Buffer(torch.zeros(2), { persistent: false });
    plain = torch.ones(1);
  }
  const net = new Net();
  assert.deepEqual(Object.keys(net.stateDict()), ["step", "fc.weight", "fc.bias"], "own state first, then children, as Python's");
  assert.deepEqual(Array.from(net.namedBuffers(), ([k]) => k), ["step", "cache"]);
  const copy = nn.copyModule(net);
  assert.deepEqual(Object.keys(copy.stateDict()), ["step", "fc.weight", "fc.bias"]);
  assert.ok(copy.cache instanceof nn.Buffer && copy.cache !== net.cache);
  net.double();
  assert.equal(net.cache.dtype, "float64");
  copy.loadStateDict({ ...copy.stateDict(), step: torch.tensor(7) });
  assert.equal(copy.step.item(), 7);
  assert.throws(() => new nn.Buffer(torch.ones(1), { persistant: false } as never), /unknown option 'persistant'/);
});

suite("Lazy modules: shapes from the first call, Python's seeded weights, optimizers built before see them", () => {
  const makeLazy: Record<string, () => nn.Module> = {
    LazyLinear: () => new nn.LazyLinear(4),
    LazyConv1d: () => new nn.LazyConv1d(4, 3, 2, 1),
    LazyConv2d: () => new nn.LazyConv2d(4, [2, 3], { padding: 1, bias: false }),
    LazyConv3d: () => new nn.LazyConv3d(2, 2),
    LazyConvTranspose1d: () => new nn.LazyConvTranspose1d(3, 3, 2),
    LazyConvTranspose2d: () => new nn.LazyConvTranspose2d(3, 2, { groups: 1 }),
    LazyConvTranspose3d: () => new nn.LazyConvTranspose3d(2, 2),
    LazyBatchNorm1d: () => new nn.LazyBatchNorm1d(),
    LazyBatchNorm2d: () => new nn.LazyBatchNorm2d({ momentum: 0.2 }),
    LazyBatchNorm3d: () => new nn.LazyBatchNorm3d({ affine: false }),
    LazyInstanceNorm1d: () => new nn.LazyInstanceNorm1d(),
    LazyInstanceNorm2d: () => new nn.LazyInstanceNorm2d({ trackRunningStats: false }),
    LazyInstanceNorm3d: () => new nn.LazyInstanceNorm3d({ affine: false }),
  };
  data.lazy.forEach((c, i) => {
    test(c.name, () => {
      const x = decode(c.input);
      torch.manualSeed(300 + i);
      const m = makeLazy[c.name]!();
      assert.deepEqual(Object.keys(m.stateDict()), c.keysBefore, "keys before the first call");
      const params = m.parameters();
      assert.ok(params.every((p) => p instanceof nn.UninitializedParameter));
      const opt = params.length > 0 ? new optim.SGD(params, 0.5) : null;
      const out = m.call(x) as Tensor;
      assert.equal(m.constructor.name, c.className, "the module became its non-lazy class");
      assert.ok(!(m.parameters()[0] instanceof nn.UninitializedParameter));
      assert.deepEqual(m.parameters(), params, "the same parameter objects");
      assert.deepEqual(Object.keys(m.stateDict()), Object.keys(c.state));
      for (const [k, v] of Object.entries(m.stateDict())) assertClose(v, c.state[k]!, `${k} (drawn from the seed)`);
      assertClose(out, c.output, "output");
      if (opt) {
        out.pow(2).sum().backward();
        opt.step();
      }
      for (const [k, v] of Object.entries(m.stateDict())) assertClose(v, c.stepped[k]!, `${k} after one SGD step`, 1e-5, 1e-4);
    });
  });
  test("a Lazy module loads a checkpoint before its first call (Python's lazy load hook), and copies stay lazy", () => {
    const c = data.lazy.find((l) => l.name === "LazyConv1d")!;
    const holder = new nn.Sequential(new nn.LazyConv1d(4, 3, 2, 1));
    holder.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [`0.${k}`, decode(v)])));
    const before = torch.getRngState();
    assertClose(holder.call(decode(c.input)), c.output, "output from the loaded weights");
    assert.ok(torch.getRngState().equal(before), "no random draws when every parameter was loaded");
    assert.ok(holder.at(0) instanceof nn.Conv1d);
    const copy = nn.copyModule(new nn.LazyLinear(2));
    assert.ok(copy.weight instanceof nn.UninitializedParameter);
    assert.deepEqual((copy.call(torch.randn(1, 5)) as Tensor).shape, [1, 2]);
  });
  test("a Lazy module's wrong input and unknown options are clear errors", () => {
    assert.throws(() => new nn.LazyConv2d(4, 3).call(torch.randn(3, 4)), /Expected 3D \(unbatched\) or 4D \(batched\) input to LazyConv2d/);
    assert.throws(() => new nn.LazyLinear(4, { biass: false } as never), /nn\.LazyLinear\(\): unknown option 'biass'/);
    assert.throws(() => new nn.LazyConv2d(4, 3, { groups: 2 }).call(torch.randn(1, 3, 4, 4)), /in_channels must be divisible by groups/);
  });
  test("UninitializedParameter and UninitializedBuffer materialise in place", () => {
    const p = new nn.UninitializedParameter();
    assert.ok(nn.isLazy(p));
    p.materialize([2, 3]);
    const done: unknown = p; // materialize() changes what p is; the guard above narrowed it
    assert.ok(!nn.isLazy(done) && done instanceof nn.Parameter);
    assert.deepEqual(done.shape, [2, 3]);
    assert.equal(done.requiresGrad, true);
    const b = new nn.UninitializedBuffer({ dtype: "float64" });
    b.materialize([4]);
    assert.equal(b.dtype, "float64");
    assert.equal(b.requiresGrad, false);
  });
});

suite("calling convention: positional == named, unknown options refused", () => {
  const x = torch.randn(1, 4, 5, 6);
  const same = (a: nn.Module, b: nn.Module, input: Tensor): void => {
    b.loadStateDict(a.stateDict());
    const ya = (a.call as (t: Tensor) => Tensor).call(a, input);
    const yb = (b.call as (t: Tensor) => Tensor).call(b, input);
    assert.ok(ya.equal(yb), `${a.constructor.name}: positional and named calls differ`);
  };
  test("padding, shuffles, Fold/Unfold, distances", () => {
    same(new nn.ConstantPad2d([1, 2, 0, 1], 2.5), new nn.ConstantPad2d({ padding: [1, 2, 0, 1], value: 2.5 }), x);
    same(new nn.ReflectionPad2d(2), new nn.ReflectionPad2d({ padding: 2 }), x);
    same(new nn.PixelUnshuffle(2), new nn.PixelUnshuffle({ downscaleFactor: 2 }), torch.randn(1, 2, 4, 6));
    same(new nn.ChannelShuffle(2), new nn.ChannelShuffle({ groups: 2 }), x);
    same(new nn.Unfold(2, 1, 1, 2), new nn.Unfold({ kernelSize: 2, padding: 1, stride: 2 }), x);
    same(new nn.CrossMapLRN2d(3, 1e-3), new nn.CrossMapLRN2d(3, { alpha: 1e-3 }), x);
    const a = torch.randn(3, 4), b = torch.randn(3, 4);
    assert.ok(new nn.PairwiseDistance(1, 1e-6, true).forward(a, b).equal(new nn.PairwiseDistance({ p: 1, keepdim: true }).forward({ x1: a, x2: b })));
    assert.ok(new nn.CosineSimilarity(0).forward(a, b).equal(new nn.CosineSimilarity({ dim: 0 }).forward(a, { x2: b })));
  });
  test("transformers: positional forward == named forward, mask options as Python's names", () => {
    torch.manualSeed(1);
    const t = new nn.Transformer(8, 2, 1, 1, 16, 0.0);
    const src = torch.randn(5, 2, 8), tgt = torch.randn(4, 2, 8);
    const mask = nn.Transformer.generateSquareSubsequentMask(4);
    assert.ok(t.forward(src, tgt, null, mask).equal(t.forward(src, tgt, { tgtMask: mask })));
    assert.ok(!t.forward(src, tgt).equal(t.forward(src, tgt, { tgtMask: mask })), "the mask is honoured");
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16, 0.0), 1);
    const m5 = nn.Transformer.generateSquareSubsequentMask(5);
    assert.ok(enc.forward(src, m5).equal(enc.forward(src, { mask: m5 })));
    assert.ok(!enc.forward(src).equal(enc.forward(src, { mask: m5 })), "TransformerEncoder's mask is honoured");
    assert.ok(enc.forward(src, { mask: m5, isCausal: true }).equal(enc.forward(src, { mask: m5 })), "isCausal is a hint");
    assert.throws(() => enc.forward(src, { isCausal: true }), /isCausal is a hint that the mask is causal/);
    assert.throws(() => enc.forward(src, { srcMask: m5 } as never), /unknown option 'srcMask'/);
    assert.throws(() => new nn.Transformer({ dModel: 8, nhead: 2, dimFeedForward: 16 } as never), /unknown option 'dimFeedForward'/);
    assert.throws(() => new nn.TransformerDecoder(new nn.Linear(2, 2) as never, 1), /must be a TransformerDecoderLayer/);
    assert.deepEqual(nn.Transformer.generateSquareSubsequentMask(2, { dtype: "float64" }).dtype, "float64");
  });
  test("every new constructor refuses an unknown option, naming itself and the option", () => {
    const cases: [string, () => unknown][] = [
      ["nn.ReflectionPad1d", () => new nn.ReflectionPad1d(1, { bogus: 1 } as never)],
      ["nn.ReplicationPad3d", () => new nn.ReplicationPad3d(1, { bogus: 1 } as never)],
      ["nn.ZeroPad2d", () => new nn.ZeroPad2d(1, { bogus: 1 } as never)],
      ["nn.ConstantPad2d", () => new nn.ConstantPad2d(1, 0, { bogus: 1 } as never)],
      ["nn.CircularPad3d", () => new nn.CircularPad3d(1, { bogus: 1 } as never)],
      ["nn.PixelShuffle", () => new nn.PixelShuffle(2, { bogus: 1 } as never)],
      ["nn.ChannelShuffle", () => new nn.ChannelShuffle(2, { bogus: 1 } as never)],
      ["nn.Fold", () => new nn.Fold(4, 2, { bogus: 1 } as never)],
      ["nn.Unfold", () => new nn.Unfold(2, { bogus: 1 } as never)],
      ["nn.CosineSimilarity", () => new nn.CosineSimilarity({ bogus: 1 } as never)],
      ["nn.PairwiseDistance", () => new nn.PairwiseDistance({ bogus: 1 } as never)],
      ["nn.CrossMapLRN2d", () => new nn.CrossMapLRN2d(3, { bogus: 1 } as never)],
      ["nn.AdaptiveLogSoftmaxWithLoss", () => new nn.AdaptiveLogSoftmaxWithLoss(8, 4, [2], { bogus: 1 } as never)],
      ["nn.TransformerDecoderLayer", () => new nn.TransformerDecoderLayer(8, 2, { bogus: 1 } as never)],
      ["nn.TransformerDecoder", () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2), 1, { bogus: 1 } as never)],
      ["nn.Transformer", () => new nn.Transformer({ bogus: 1 } as never)],
      ["nn.LazyConvTranspose3d", () => new nn.LazyConvTranspose3d(2, 2, { bogus: 1 } as never)],
      ["nn.LazyBatchNorm1d", () => new nn.LazyBatchNorm1d({ bogus: 1 } as never)],
      ["nn.LazyInstanceNorm3d", () => new nn.LazyInstanceNorm3d({ bogus: 1 } as never)],
      ["nn.RMSNorm", () => new nn.RMSNorm(4, { bogus: 1 } as never)],
      ["nn.LPPool3d", () => new nn.LPPool3d(2, 2, { bogus: 1 } as never)],
      ["nn.UninitializedParameter", () => new nn.UninitializedParameter({ bogus: 1 } as never)],
      ["nn.ParameterDict", () => new nn.ParameterDict({}, { bogus: 1 } as never)],
      ["nn.DataParallel", () => new nn.DataParallel(new nn.Linear(1, 1), { bogus: 1 } as never)],
    ];
    for (const [name, make] of cases) {
      assert.throws(make, (e: Error) => e instanceof TypeError && e.message.startsWith(`${name}(): unknown option 'bogus'`), name);
    }
    assert.throws(() => new nn.PixelShuffle(2, 3 as never), /nn\.PixelShuffle\(\): takes 1 positional argument but 2 were given/);
    assert.throws(() => new nn.Fold("4" as never, 2), /nn\.Fold\(\): argument 'outputSize' must be/);
  });
  test("Transformer's state-dict keys are Python's", () => {
    const keys = Object.keys(data.modules.find((c) => c.name === "Transformer")!.state);
    assert.deepEqual(Object.keys(new nn.Transformer(8, 2, 2, 2, 16, 0.0).stateDict()), keys);
  });
  test("DataParallel without a GPU is the module itself; keys module.*", () => {
    const inner = new nn.Linear(3, 2);
    const dp = new nn.DataParallel(inner);
    assert.deepEqual(Object.keys(dp.stateDict()), ["module.weight", "module.bias"]);
    const input = torch.randn(4, 3);
    if (!torch.cuda.isAvailable()) assert.ok((dp.call(input) as Tensor).equal(inner.forward(input)));
  });
  test("2.x names exist on every version (listed deviation)", () => {
    assert.deepEqual(new nn.CircularPad1d(1).forward(torch.tensor([[[1, 2, 3]]])).toArray(), [[[3, 1, 2, 3, 1]]]);
    assert.deepEqual(new nn.ZeroPad1d([1, 0]).forward(torch.tensor([[1, 2]])).toArray(), [[0, 1, 2]]);
  });
});
