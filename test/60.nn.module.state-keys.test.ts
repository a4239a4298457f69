// State-dict keys of a user module: its camelCase properties convert as experiment parameters do
// (posEncoder -> pos_encoder), so an idiomatic port loads the Python original's checkpoint as is;
// older checkpoints keyed by the property names still load; a module's key map overrides; the
// constructors refuse what Python refuses. Fixtures: scripts/fixtures/nn_modules.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import torch, { nn, type Tensor } from "../src/torch-plugin/index.js";
import { load } from "../src/torch/serialization/torch-io.js";
import { assertClose, decode, type Encoded } from "./fixtures/nn/compare.js";
import { pythonFixturePath } from "./fixtures/python-fixtures.js";

class CamelPort extends nn.Module {
  posEncoder = new nn.Linear(4, 6);
  hiddenLayers = new nn.ModuleList([new nn.Linear(6, 6), new nn.Linear(6, 6)]);
  outNorm = new nn.BatchNorm1d(6);
  constructor() {
    super();
    this.registerBuffer("stepCount", torch.tensor(3));
  }
  override forward(x: Tensor): Tensor {
    let h = this.posEncoder.forward(x).relu();
    for (const layer of this.hiddenLayers) h = (layer as nn.Linear).forward(h).tanh();
    return this.outNorm.forward(h);
  }
}

const expected = JSON.parse(readFileSync(pythonFixturePath("nn", "camel_port.json"), "utf8")) as {
  keys: string[];
  input: Encoded;
  output: Encoded;
};

test("a camelCase port has the Python original's state-dict keys and loads its checkpoint as is", () => {
  const model = new CamelPort();
  assert.deepEqual(Object.keys(model.stateDict()), expected.keys);
  assert.deepEqual(
    Array.from(model.namedParameters(), ([n]) => n),
    expected.keys.filter((k) => !k.includes("running") && !k.includes("num_batches") && k !== "step_count"),
  );
  const saved = load(pythonFixturePath("nn", "camel_port.pt")) as Map<string, Tensor> | Record<string, Tensor>;
  model.loadStateDict(saved instanceof Map ? saved : new Map(Object.entries(saved)));
  model.eval();
  assertClose(model.forward(decode(expected.input)), expected.output, "output");
  assert.equal(model.getSubmodule("pos_encoder"), model.posEncoder);
  assert.equal(model.getSubmodule("posEncoder"), model.posEncoder);
});

test("checkpoints keyed by the property names as written still load", () => {
  const source = new CamelPort();
  const old = Object.fromEntries(Object.entries(source.stateDict()).map(([k, v]) => [k.replace("pos_encoder", "posEncoder"), v]));
  assert.ok("posEncoder.weight" in old);
  const target = new CamelPort();
  const result = target.loadStateDict(old);
  assert.deepEqual(result, { missingKeys: [], unexpectedKeys: [] });
  assert.deepEqual(target.posEncoder.weight.toArray(), source.posEncoder.weight.toArray());
});

test("a module's key map overrides the rule; container keys stay as written", () => {
  class Mapped extends nn.Module {
    posEncoder = new nn.Linear(2, 2);
    blocks = new nn.ModuleDict({ fooBar: new nn.Linear(2, 2) });
    constructor() {
      super();
      this.stateKeys({ posEncoder: "positional" });
    }
  }
  assert.deepEqual(Object.keys(new Mapped().stateDict()), [
    "positional.weight",
    "positional.bias",
    "blocks.fooBar.weight",
    "blocks.fooBar.bias",
  ]);
});

test("constructors take Python's positional order and refuse what Python refuses", () => {
  assert.deepEqual(new nn.Conv2d(3, 8, 4, 2, 1).forward(torch.randn([1, 3, 16, 16])).shape, [1, 8, 8, 8]);
  assert.deepEqual(new nn.ConvTranspose2d(8, 3, 4, 2, 1).forward(torch.randn([1, 8, 8, 8])).shape, [1, 3, 16, 16]);
  assert.deepEqual(new nn.MaxPool2d(2, 1).forward(torch.randn([1, 1, 5, 5])).shape, [1, 1, 4, 4]);
  assert.equal(new nn.LSTM(4, 8, 2).numLayers, 2);
  assert.equal(new nn.GRU(4, 8, 2).numLayers, 2);
  assert.equal(new nn.ReLU(true).inplace, true);
  assert.equal(new nn.Dropout({ p: 0.2 }).p, 0.2);
  const x = torch.tensor([-1, 2]);
  new nn.ReLU(true).forward(x);
  assert.deepEqual(x.toArray(), [0, 2]);
  assert.throws(() => new nn.Linear(2, 3, true, "extra" as never), { name: "TypeError", message: /nn\.Linear\(\): takes from 2 to 5 positional arguments but 6 were given|argument 'device'/ });
  assert.throws(() => new nn.Linear(2, 3, { biass: false } as never), { name: "TypeError", message: /unknown option 'biass'/ });
  assert.throws(() => new nn.Conv2d(3, 8, 4, { strid: 2 } as never), { name: "TypeError", message: /unknown option 'strid'/ });
  const layer = new nn.TransformerEncoderLayer(8, 2, 16, 0);
  const encoder = new nn.TransformerEncoder(layer, 2);
  assert.throws(() => encoder.forward(torch.randn([3, 1, 8]), { srcMask: null } as never), { name: "TypeError", message: /unknown option 'srcMask'/ });
  const inf = Number.NEGATIVE_INFINITY;
  const mask = torch.tensor([[0, inf, inf], [0, 0, inf], [0, 0, 0]]);
  const src = torch.randn([3, 1, 8]);
  encoder.eval();
  const masked = encoder.forward(src, { mask });
  assert.deepEqual(masked.toArray(), encoder.forward(src, mask).toArray());
  assert.notDeepEqual(masked.toArray(), encoder.forward(src).toArray());
});
