// nn.Module: registration by assignment (class fields included), traversal order, state dicts
// with PyTorch's keys (checked against Python on a nested model), loadStateDict errors, modes,
// hooks, conversions and containers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { assertClose, decode, fixture, type Encoded } from "./fixtures/nn/compare.js";

class Block extends nn.Module {
  conv: nn.Conv2d;
  bn: nn.BatchNorm2d;
  act = new nn.ReLU();
  constructor(c: number) {
    super();
    this.conv = new nn.Conv2d(c, c, 3, { padding: 1, bias: false });
    this.bn = new nn.BatchNorm2d(c);
  }
  override forward(x: Tensor): Tensor {
    return this.act.call(this.bn.call(this.conv.call(x)));
  }
}

// The same model as scripts/fixtures/nn.py's Net, written with ES2022 class fields.
class Net extends nn.Module {
  stem = new nn.Conv2d(1, 4, 3);
  layer1 = new nn.Sequential(new Block(4), new Block(4));
  heads = new nn.ModuleDict({ cls: new nn.Linear(4, 3), aux: new nn.Linear(4, 1) });
  extra = new nn.ModuleList([new nn.LayerNorm(4), new nn.Embedding(5, 4)]);
  scale = new nn.Parameter(torch.ones([1]));
  declare steps: Tensor;
  constructor() {
    super();
    this.registerBuffer("steps", torch.zeros([2]));
    this.registerBuffer("scratch", torch.zeros([1]), { persistent: false });
  }
  override forward(x: Tensor): Tensor {
    let h = this.layer1.call(this.stem.call(x));
    h = h.mean([2, 3]);
    return this.heads.get("cls")!.call(this.extra.at(0).call(h) as Tensor).mul(this.scale) as Tensor;
  }
}

interface Nested {
  stateDictKeys: string[];
  parameterNames: string[];
  bufferNames: string[];
  moduleNames: string[];
  state: Record<string, Encoded>;
  input: Encoded;
  output: Encoded;
  repr: string;
}
const nested = fixture<Nested>("nested.json");

test("a nested model has Python's state-dict keys, parameter/buffer/module names, init and output", () => {
  torch.manualSeed(42);
  const net = new Net();
  assert.deepEqual(Object.keys(net.stateDict()), nested.stateDictKeys);
  assert.deepEqual(Array.from(net.namedParameters(), ([n]) => n), nested.parameterNames);
  assert.deepEqual(Array.from(net.namedBuffers(), ([n]) => n), nested.bufferNames);
  assert.deepEqual(Array.from(net.namedModules(), ([n]) => n), nested.moduleNames);
  assert.equal(net.toString(), nested.repr);
  const out = net.call(decode(nested.input));
  assertClose(out, nested.output, "output");
  const sd = net.stateDict();
  for (const [k, v] of Object.entries(nested.state)) assertClose(sd[k], v, k);
  assert.equal(sd["layer1.0.bn.num_batches_tracked"]!.dtype, "int64");
});

test("loadStateDict copies Python's values; strict errors list missing and unexpected keys", () => {
  torch.manualSeed(0);
  const net = new Net();
  const state = Object.fromEntries(Object.entries(nested.state).map(([k, v]) => [k, decode(v)]));
  const weight = net.stem.weight;
  assert.deepEqual(net.loadStateDict(state), { missingKeys: [], unexpectedKeys: [] });
  assert.equal(net.stem.weight, weight, "parameters are updated in place");
  assertClose(net.stem.weight, nested.state["stem.weight"]!, "loaded stem.weight", 0, 1e-8);

  const partial: Record<string, Tensor> = { ...state, bogus: torch.zeros([1]) };
  delete partial["heads.cls.bias"];
  delete partial["layer1.1.bn.running_var"];
  assert.throws(
    () => net.loadStateDict(partial),
    (e: Error) => {
      assert.equal(
        e.message,
        "Error(s) in loading state_dict for Net:\n" +
          '\tMissing key(s) in state_dict: "layer1.1.bn.running_var", "heads.cls.bias". \n' +
          '\tUnexpected key(s) in state_dict: "bogus". ',
      );
      return true;
    },
  );
  assert.deepEqual(net.loadStateDict(partial, { strict: false }), {
    missingKeys: ["layer1.1.bn.running_var", "heads.cls.bias"],
    unexpectedKeys: ["bogus"],
  });
  assert.throws(
    () => net.loadStateDict({ ...state, "stem.weight": torch.zeros([4, 1, 2, 2]) }),
    /size mismatch for stem\.weight: copying a param with shape torch\.Size\(\[4, 1, 2, 2\]\) from checkpoint, the shape in current model is torch\.Size\(\[4, 1, 3, 3\]\)/,
  );
  const viaMap = new Map(Object.entries(state));
  assert.deepEqual(net.loadStateDict(viaMap).missingKeys, []);
});

test("registration: assignment in constructor and class fields, null slots, reassignment keeps position", () => {
  class M extends nn.Module {
    a = new nn.Parameter(torch.zeros([1]));
    child: nn.Linear | null = null;
    b: nn.Parameter;
    plain = torch.ones([2]); // a plain tensor is not state, as in PyTorch
    constructor() {
      super();
      this.b = new nn.Parameter(torch.zeros([2]));
    }
  }
  const m = new M();
  assert.deepEqual(Object.keys(m.stateDict()), ["a", "b"]);
  m.child = new nn.Linear(1, 1);
  m.a = new nn.Parameter(torch.ones([3]));
  assert.deepEqual(Object.keys(m.stateDict()), ["a", "b", "child.weight", "child.bias"]);
  assert.equal(m.parameters()[0], m.a);
  assert.deepEqual(Array.from(m.namedChildren(), ([n]) => n), ["child"]);
  m.registerParameter("c", null);
  assert.deepEqual(m.parameters().length, 4);
  assert.throws(() => m.registerBuffer("x.y", torch.zeros([1])), /can't contain "\."/);
  assert.throws(() => m.registerParameter("forward", null), /attribute 'forward' already exists/);
  assert.throws(() => m.registerParameter("p", torch.zeros([1]) as nn.Parameter), /nn\.Parameter or null expected/);
});

test("shared parameters and modules are listed once; the state dict has a shared module under each name, as Python's", () => {
  const shared = new nn.Linear(2, 2);
  const seq = new nn.Sequential(shared, new nn.ReLU(), shared);
  assert.equal(seq.parameters().length, 2);
  assert.equal(seq.length, 3);
  assert.deepEqual(Object.keys(seq.stateDict()), ["0.weight", "0.bias", "2.weight", "2.bias"]);
  assert.deepEqual(seq.loadStateDict(seq.stateDict()), { missingKeys: [], unexpectedKeys: [] });
});

test("train/eval, requiresGrad_, zeroGrad, apply", () => {
  const net = new nn.Sequential(new nn.Linear(3, 2), new nn.Dropout(0.5));
  assert.equal(net.eval(), net);
  assert.ok(Array.from(net.modules()).every((m) => !m.training));
  net.train();
  assert.ok(Array.from(net.modules()).every((m) => m.training));
  net.forward(torch.randn([4, 3])).sum().backward();
  const w = net.parameters()[0]!;
  assert.ok(w.grad);
  net.zeroGrad({ setToNone: false });
  assert.deepEqual(w.grad!.abs().sum().item(), 0);
  net.zeroGrad();
  assert.equal(w.grad, undefined);
  net.requiresGrad_(false);
  assert.ok(net.parameters().every((p) => !p.requiresGrad));
  const visited: string[] = [];
  net.apply((m) => visited.push(m.constructor.name));
  assert.deepEqual(visited, ["Linear", "Dropout", "Sequential"]);
});

test("to(dtype) converts floating parameters and buffers in place, keeping parameter identity", () => {
  const net = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
  const params = net.parameters();
  net.forward(torch.randn([4, 3])).sum().backward();
  assert.equal(net.to("float64"), net);
  assert.deepEqual(net.parameters(), params);
  assert.ok(params.every((p) => p.dtype === "float64" && p.requiresGrad && p.isLeaf));
  assert.equal(params[0]!.grad!.dtype, "float64");
  const sd = net.stateDict();
  assert.equal(sd["1.running_mean"]!.dtype, "float64");
  assert.equal(sd["1.num_batches_tracked"]!.dtype, "int64");
  assert.equal(net.forward(torch.randn([4, 3], { dtype: "float64" })).dtype, "float64");
  net.float();
  assert.equal(params[0]!.dtype, "float32");
  assert.equal(net.cpu(), net);
  assert.throws(() => net.to("int64"), /only accepts floating point or complex dtypes/);
});

test("call() runs forward pre-hooks and hooks; removing a hook stops it", () => {
  const lin = new nn.Linear(2, 2);
  const seen: number[][] = [];
  const pre = lin.registerForwardPreHook((_m, args) => [(args[0] as Tensor).mul(0)]);
  const post = lin.registerForwardHook((_m, _args, out) => {
    seen.push((out as Tensor).shape);
    return (out as Tensor).add(1);
  });
  const x = torch.ones([1, 2]);
  const bias = [lin.bias!.detach().add(1).toArray()];
  assert.deepEqual(lin.call(x).toArray(), bias);
  assert.deepEqual(seen, [[1, 2]]);
  pre.remove();
  post.remove();
  assert.deepEqual(lin.call(x).toArray(), lin.forward(x).toArray());
  assert.equal(seen.length, 1);
});

test("containers: Sequential (named), ModuleList, ModuleDict", () => {
  const named = new nn.Sequential({ fc: new nn.Linear(2, 3), act: new nn.Tanh() });
  assert.deepEqual(Object.keys(named.stateDict()), ["fc.weight", "fc.bias"]);
  assert.ok(named.at(-1) instanceof nn.Tanh);
  assert.throws(() => named.at(2), /out of range/);
  const list = new nn.ModuleList<nn.Module>([new nn.Linear(1, 1)]);
  list.append(new nn.Linear(1, 2)).insert(0, new nn.Identity());
  assert.deepEqual(Object.keys(list.stateDict()), ["1.weight", "1.bias", "2.weight", "2.bias"]);
  assert.equal(Array.from(list).length, 3);
  const dict = new nn.ModuleDict<nn.Module>({ a: new nn.Linear(1, 1) });
  dict.set("b", new nn.ReLU());
  assert.deepEqual(dict.keys(), ["a", "b"]);
  assert.ok(dict.has("b"));
  assert.ok(dict.delete("b") instanceof nn.ReLU);
  assert.deepEqual(dict.keys(), ["a"]);
  assert.throws(() => dict.set("keys", new nn.ReLU()), /already exists/);
  assert.throws(() => new nn.Sequential(42 as unknown as nn.Module), /is not a Module subclass/);
});

test("copyModule makes independent parameters with equal values; TransformerEncoder uses it", () => {
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
  const enc = new nn.TransformerEncoder(layer, 2);
  const sd = enc.stateDict();
  assert.deepEqual(Object.keys(sd).slice(0, 2), ["layers.0.self_attn.in_proj_weight", "layers.0.self_attn.in_proj_bias"]);
  assert.deepEqual(sd["layers.0.linear1.weight"]!.toArray(), sd["layers.1.linear1.weight"]!.toArray());
  const copy = nn.copyModule(layer);
  assert.notEqual(copy.linear1.weight, layer.linear1.weight);
  torch.noGrad(() => copy.linear1.weight.fill_(0));
  assert.notDeepEqual(layer.linear1.weight.abs().sum().item(), 0);
  assert.equal(enc.parameters().length, 24);
});

test("Parameter wraps data without its history and prints as PyTorch", () => {
  const base = torch.ones([2], { requiresGrad: true }).mul(2);
  const p = new nn.Parameter(base);
  assert.ok(p.isLeaf && p.requiresGrad);
  assert.equal(p.gradFn, null);
  assert.equal(new nn.Parameter(torch.zeros([1]), false).requiresGrad, false);
  assert.match(p.toString(), /^Parameter containing:\ntensor\(\[2\., 2\.\], requires_grad=True\)$/);
  assert.ok(p instanceof torch.Tensor);
});

test("state dicts interchange with Python through torch.save/torch.load (strict load both ways)", () => {
  const dir = mkdtempSync(join(tmpdir(), "nn-interop-"));
  try {
    torch.manualSeed(9);
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.BatchNorm1d(3));
    model.forward(torch.randn([4, 2]));
    torch.save(model.stateDict(), join(dir, "ours.pt"));
    const script = [
      "import sys, torch, torch.nn as nn",
      "m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))",
      "print(m.load_state_dict(torch.load(sys.argv[1] + '/ours.pt')))",
      "print(int(m[1].num_batches_tracked), float(m[0].weight.sum()))",
      "with torch.no_grad(): m[0].weight.fill_(0.5)",
      "torch.save(m.state_dict(), sys.argv[1] + '/theirs.pt')",
    ].join("\n");
    const out = execFileSync("/usr/bin/python3", ["-c", script, dir], { encoding: "utf8" }).trim().split("\n");
    assert.equal(out[0], "<All keys matched successfully>");
    const [tracked, weightSum] = out[1]!.split(" ");
    assert.equal(tracked, "1");
    assert.ok(Math.abs(Number(weightSum) - (model.parameters()[0]!.sum().item() as number)) < 1e-5);
    const theirs = torch.load(join(dir, "theirs.pt")) as Record<string, Tensor>;
    assert.deepEqual(model.loadStateDict(theirs), { missingKeys: [], unexpectedKeys: [] });
    assert.equal(model.parameters()[0]!.sum().item(), 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
