// Files we write load in Python's torch.load (/usr/bin/python3, python3-torch 1.13) with the same
// values, and survive a trip through Python's torch.save back to us.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe as suite, test } from "node:test";
import {
  DTYPE_NAMES,
  OrderedDict,
  StorageRecord,
  TensorRecord,
  dtypeItemSize,
  loadObject,
  pyFloat,
  saveObject,
  setPyAttribute,
  tuple,
} from "../src/torch/serialization/index.js";
import { FIXTURES, describe, normalizePython, runPython, type Description } from "./fixtures/serialization/describe.js";
import { version } from "../src/torch/version.js";

/** Deterministic storage bytes; every bool byte 0 or 1. */
function storage(dtype: (typeof DTYPE_NAMES)[number], numel: number, device = "cpu"): StorageRecord {
  const bytes = new Uint8Array(numel * dtypeItemSize(dtype));
  for (let i = 0; i < bytes.length; i++) bytes[i] = dtype === "bool" ? i % 2 : (i * 37 + 11) & 0xff;
  if (dtype.startsWith("float") || dtype.startsWith("complex") || dtype === "bfloat16") {
    // Keep float patterns away from NaN payloads, whose bits Python may not preserve.
    const step = dtype === "float16" || dtype === "bfloat16" ? 2 : dtype === "float32" || dtype === "complex64" ? 4 : 8;
    for (let i = step - 1; i < bytes.length; i += step) bytes[i] = bytes[i]! & 0x3f;
  }
  return new StorageRecord({ dtype, device, bytes });
}

function richValue(): unknown {
  const dtypes: Record<string, TensorRecord> = {};
  for (const dtype of DTYPE_NAMES) dtypes[dtype] = new TensorRecord({ storage: storage(dtype, 6), shape: [2, 3] });
  const base = storage("float32", 24);
  const matrix = new TensorRecord({ storage: base, shape: [4, 6] });
  const sd = new OrderedDict();
  sd["0.weight"] = new TensorRecord({ storage: storage("float32", 6), shape: [3, 2] });
  sd["0.bias"] = new TensorRecord({ storage: storage("float32", 3), shape: [3] });
  sd["1.num_batches_tracked"] = new TensorRecord({ storage: storage("int64", 1), shape: [] });
  setPyAttribute(sd, "_metadata", (() => {
    const m = new OrderedDict();
    m[""] = { version: 1 };
    return m;
  })());
  return {
    dtypes,
    views: {
      matrix,
      row: new TensorRecord({ storage: base, shape: [6], storageOffset: 6 }),
      column: new TensorRecord({ storage: base, shape: [4], stride: [6], storageOffset: 2 }),
      block: new TensorRecord({ storage: base, shape: [2, 3], stride: [6, 2], storageOffset: 6 }),
      transposed: new TensorRecord({ storage: base, shape: [6, 4], stride: [1, 6] }),
      broadcast: new TensorRecord({ storage: storage("float64", 3), shape: [4, 3], stride: [0, 1] }),
      twice: [matrix, matrix],
      empty: new TensorRecord({ storage: storage("float32", 0), shape: [0, 5] }),
      scalar: new TensorRecord({ storage: storage("int32", 1), shape: [] }),
    },
    parameters: {
      trainable: new TensorRecord({ storage: storage("float32", 4), shape: [2, 2], requiresGrad: true, isParameter: true }),
      frozen: new TensorRecord({ storage: storage("float32", 2), shape: [2], isParameter: true }),
      leaf: new TensorRecord({ storage: storage("float32", 2), shape: [2], requiresGrad: true }),
    },
    state_dict: sd,
    optimizer: {
      state: new Map([[0, { step: 3, exp_avg: new TensorRecord({ storage: storage("float32", 2), shape: [2] }) }]]),
      param_groups: [{ lr: 0.001, betas: tuple(0.9, 0.999), eps: 1e-8, weight_decay: 0, params: [0] }],
    },
    on_gpu: new TensorRecord({ storage: storage("float32", 2, "cuda:0"), shape: [2] }),
    plain: {
      none: null, undefined_is_none: undefined, yes: true, no: false,
      int: 42, negative: -7, int40: 2 ** 40, big: 2n ** 100n, negative_big: -(2n ** 70n),
      float: 0.25, integral_float: pyFloat(3), nan: NaN, inf: Infinity, negative_zero: -0,
      text: "h\u00e9llo \u{1f600}", list: [1, [2, []]], one: ["x"], tuple: tuple(1, "a", null, tuple()),
      int_keys: new Map<unknown, unknown>([[1, "a"], [2, "b"]]), bytes: new Uint8Array([0, 128, 255]),
      set: new Set([3, 1, 2]), many: Array.from({ length: 1500 }, (_, i) => i),
    },
  };
}

let dir = "";
let files: Record<string, string> = {};
let values: Record<string, unknown> = {};
let python: Record<string, Description> = {};

suite("Python's torch.load reads what we write", () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pystematic-serialization-73-"));
    values = { rich: richValue(), empty: {}, list: [1, 2, 3] };
    files = {};
    for (const [name, value] of Object.entries(values)) {
      files[name] = path.join(dir, `${name}.pt`);
      saveObject(value, files[name]!);
    }
    files.zip64 = path.join(dir, "zip64.pt");
    values.zip64 = richValue();
    saveObject(values.zip64, files.zip64, { forceZip64: true });
    python = JSON.parse(runPython(["describe", ...Object.values(files)])) as Record<string, Description>;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const name of ["rich", "empty", "list", "zip64"]) {
    test(`${name}: Python loads the same values`, () => {
      const expected = normalizePython(python[files[name]!]!, { keepFloats: true });
      const ours = describe(values[name]);
      // Python loads with map_location="cpu": the GPU storage's bytes arrive on the CPU.
      for (const s of Object.values(ours.storages)) s.device = "cpu";
      assert.deepStrictEqual(ours, expected);
    });
  }

  test("Python's torch.load with default arguments (2.6+: weights_only=True) and with weights_only=True reads our files", () => {
    // Everything but the GPU storage, which no CPU-only Python loads without map_location.
    const { on_gpu: _onGpu, ...cpuOnly } = richValue() as Record<string, unknown>;
    const file = path.join(dir, "cpu-only.pt");
    const zip64 = path.join(dir, "cpu-only-zip64.pt");
    saveObject(cpuOnly, file);
    saveObject(cpuOnly, zip64, { forceZip64: true });
    const expected = version.major >= 2 ? "ok" : "ok (default load only)";
    assert.equal(runPython(["weights-only", file, zip64, files.empty!, files.list!]).trim(), expected);
  });

  test("Python's torch.save of what it loaded from us reads back the same", () => {
    const resaved = path.join(dir, "resaved.pt");
    runPython(["resave", files.rich!, resaved]);
    const back = describe(loadObject(resaved));
    const expected = normalizePython(describe(values.rich));
    for (const s of Object.values(expected.storages)) s.device = "cpu";
    assert.deepStrictEqual(back, expected);
  });

  test("Python state dicts we re-save load into a model and optimizer (strict) and train", () => {
    const model = loadObject(path.join(FIXTURES, "model_state_dict.pt"));
    const optimizer = loadObject(path.join(FIXTURES, "adam_state_dict.pt"));
    const file = path.join(dir, "both.pt");
    saveObject({ model, optimizer }, file);
    const out = runPython([
      "load-into-model", file, path.join(FIXTURES, "model_state_dict.pt"), path.join(FIXTURES, "adam_state_dict.pt"),
    ]);
    assert.equal(out.trim(), "ok");
  });
});
