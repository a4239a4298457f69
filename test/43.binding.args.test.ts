// The shared argument binder: Python's parameters positionally, by camelCase name in one trailing
// options object, or both; Python's defaults; a TypeError naming the callable and the parameter for
// anything it cannot honour. Signatures come from the generated table (scripts/signatures/generate.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { bind, bindArgs, signatureOf, type ArgsOf, type Bound, type Param, type PyArgs } from "../src/torch/binding/index.js";
import { torch } from "../src/torch-plugin/index.js";

type LinearParams = [Param<"inFeatures", number, false>, Param<"outFeatures", number, false>, Param<"bias", boolean, true>];

test("positional arguments fill Python's parameters in Python's order, defaults fill the rest", () => {
  const a = bindArgs("torch.nn.Conv2d", [3, 8, 4, 2, 1]);
  assert.deepEqual(a, {
    inChannels: 3, outChannels: 8, kernelSize: 4, stride: 2, padding: 1,
    dilation: 1, groups: 1, bias: true, paddingMode: "zeros", device: null, dtype: null,
  });
});

test("a trailing plain object is the options object, by camelCase name, mixed with positionals", () => {
  const a = bindArgs("torch.nn.Conv2d", [3, 8, { kernelSize: 4, stride: 2, bias: false }]);
  assert.equal(a.kernelSize, 4);
  assert.equal(a.stride, 2);
  assert.equal(a.bias, false);
  assert.equal(a.padding, 0);
  const b = bindArgs("torch.nn.functional.dropout", [torch.zeros([2]), 0.2]);
  assert.equal(b.p, 0.2);
  assert.equal(b.training, true);
});

test("an option left undefined is not given (the default applies)", () => {
  assert.equal(bindArgs("torch.nn.functional.dropout", [torch.zeros([2]), { p: undefined }]).p, 0.5);
});

test("too many positional arguments is a TypeError naming the callable", () => {
  assert.throws(() => bindArgs("torch.nn.Linear", [2, 3, true, null, null, 1]), {
    name: "TypeError",
    message: "nn.Linear(): takes from 2 to 5 positional arguments but 6 were given",
  });
  // Python's 4th positional of Linear is `device`: "extra" is no device.
  assert.throws(() => bindArgs("torch.nn.Linear", [2, 3, true, "extra"]), /nn\.Linear\(\): argument 'device' must be device/);
});

test("an unknown option key is a TypeError naming it", () => {
  assert.throws(() => bindArgs("torch.nn.Linear", [2, 3, { biass: false }]), {
    name: "TypeError",
    message: /^nn\.Linear\(\): unknown option 'biass' \(its parameters are inFeatures, outFeatures, bias, device, dtype\)$/,
  });
});

test("a value of the wrong type is a TypeError naming the parameter and the expected type", () => {
  assert.throws(() => bindArgs("torch.nn.Conv2d", [3, 8, 4, "2"]), {
    name: "TypeError",
    message: "nn.Conv2d(): argument 'stride' must be int or a list of 2 ints, not string 2",
  });
  assert.throws(() => bindArgs("torch.nn.Conv2d", [3, 8, [4, 4, 4]]), /argument 'kernelSize' must be int or a list of 2 ints/);
  assert.throws(() => bindArgs("torch.nn.functional.dropout", [[1, 2]]), /nn\.functional\.dropout\(\): argument 'input' must be Tensor, not an array/);
});

test("a missing required argument, and one given twice, are TypeErrors", () => {
  assert.throws(() => bindArgs("torch.nn.Conv2d", [3, 8]), /nn\.Conv2d\(\): missing required argument 'kernelSize'/);
  assert.throws(() => bindArgs("torch.nn.Conv2d", [3, 8, 4, { inChannels: 3 }]), /got multiple values for argument 'inChannels'/);
  assert.throws(() => bindArgs("torch.optim.Adam", []), /optim\.Adam\(\): missing required argument 'params'/);
});

test("keyword-only parameters are reachable by name only", () => {
  const a = bindArgs("torch.optim.Adam", [[], 0.1, { maximize: true }]);
  assert.equal(a.maximize, true);
  assert.equal(a.amsgrad, false);
  assert.throws(() => bindArgs("torch.optim.Adam", [[], 0.1, [0.9, 0.99], 1e-8, 0, false, true]), /takes from 1 to 6 positional arguments but 7 were given/);
});

test("a trailing plain object is the argument itself where that parameter takes a dict", () => {
  const modules = { a: 1 };
  assert.equal(bindArgs("torch.nn.ModuleDict", [modules]).modules, modules);
  const sd = { weight: 1 };
  const a = bindArgs("torch.nn.Module.load_state_dict", [sd, { strict: false }]);
  assert.equal(a.stateDict, sd);
  assert.equal(a.strict, false);
});

test("Python defaults that JSON cannot hold decode: inf, dtypes; computed ones stay undefined", () => {
  assert.equal(signatureOf("torch.nn.Transformer").byName.get("activation")?.defaultValue, undefined);
  assert.equal(signatureOf("torch.nn.Transformer").byName.get("activation")?.hasDefault, true);
  const inf = signatureOf("torch.nn.functional.lp_pool2d").params.length > 0; // table is readable
  assert.ok(inf);
});

test("PyArgs accepts exactly Python's call forms at compile time", () => {
  const forms = (...args: PyArgs<LinearParams>): Bound<LinearParams> => bindArgs<Bound<LinearParams>>("torch.nn.Linear", args);
  assert.equal(forms(2, 3).bias, true);
  assert.equal(forms(2, 3, false).bias, false);
  assert.equal(forms(2, 3, { bias: false }).bias, false);
  assert.equal(forms(2, { outFeatures: 3 }).outFeatures, 3);
  assert.equal(forms({ inFeatures: 2, outFeatures: 3 }).inFeatures, 2);
  // @ts-expect-error a required parameter is missing
  assert.throws(() => forms(2));
  // @ts-expect-error unknown option key
  assert.throws(() => forms(2, 3, { biass: false }));
  // @ts-expect-error too many positional arguments (the table's Linear has 5: device, dtype)
  assert.throws(() => forms(2, 3, true, null, null, 1));
});

test("ArgsOf/BoundOf/bind type a callable straight from the generated signatures", () => {
  const dropout = (...args: ArgsOf<"torch.nn.functional.dropout">): number => bind("torch.nn.functional.dropout", args).p;
  const x = torch.zeros([2]);
  assert.equal(dropout(x), 0.5);
  assert.equal(dropout(x, 0.2), 0.2);
  assert.equal(dropout(x, { p: 0.3, inplace: false }), 0.3);
  // @ts-expect-error p is a number
  assert.throws(() => dropout(x, "0.2"), /argument 'p' must be float/);
});

test("an argument this implementation does not honour is refused unless it has Python's default (deviations.ts)", () => {
  const w = torch.zeros(2, { requiresGrad: true });
  assert.throws(() => new torch.optim.Adam([w], { fused: true }), /^TypeError: optim\.Adam\(\): argument 'fused' other than its default .* is not supported: fused CUDA kernels/);
  assert.throws(() => new torch.optim.SGD([w], { lr: 0.1, differentiable: true }), /argument 'differentiable' .* is not supported/);
  new torch.optim.Adam([w], { fused: torch.version.major >= 2 ? null : false, capturable: false }); // the defaults pass
  if (torch.version.major >= 2) {
    const x = torch.zeros(3);
    assert.throws(() => torch.nn.functional.l1Loss(x, x, { weight: x } as never), /argument 'weight' .* is not supported/);
    assert.equal(torch.nn.functional.l1Loss(x, x, { weight: null } as never).item(), 0);
  }
});

test("torch 2.x's LayerNorm(bias=false) has no bias; 1.13's signature has no such parameter", () => {
  if (torch.version.major >= 2) {
    const norm = new torch.nn.LayerNorm(4, { bias: false } as never);
    assert.equal(norm.bias, null);
    assert.deepEqual(Object.keys(norm.stateDict()), ["weight"]);
  } else {
    assert.throws(() => new torch.nn.LayerNorm(4, { bias: false } as never), /unknown option 'bias'/);
  }
});
