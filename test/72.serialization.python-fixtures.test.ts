// Files written by Python's torch.save (each python3-torch version's, scripts/fixtures/serialization.py)
// load here with the values, dtypes, views and shared storages Python sees.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe as suite, test } from "node:test";
import {
  OrderedDict,
  PyTuple,
  StorageRecord,
  TensorRecord,
  loadObject,
} from "../src/torch/serialization/index.js";
import { FIXTURES, describe, normalizePython, type Description } from "./fixtures/serialization/describe.js";
import { pythonFixtureVersions } from "./fixtures/python-fixtures.js";

function fixture(name: string): { value: unknown; expected: Description } {
  const value = loadObject(path.join(FIXTURES, `${name}.pt`));
  const expected = normalizePython(JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Description);
  return { value, expected };
}

function floats(t: TensorRecord): number[] {
  const b = t.storage.bytes;
  const all = new Float32Array(b.buffer, b.byteOffset, b.length / 4);
  return [...t.shape.keys()].length === 1
    ? Array.from({ length: t.shape[0]! }, (_, i) => all[t.storageOffset + i * t.stride[0]!]!)
    : [];
}

suite("every Python torch version's files load here, whichever libtorch runs", () => {
  const versions = pythonFixtureVersions("serialization");
  test("fixtures of torch 1.13 and 2.6 (new storage and rebuild forms) are there", () => {
    assert.ok(versions.includes("1.13") && versions.includes("2.6"), versions.join(", "));
  });
  for (const version of versions) {
    for (const name of ["model_state_dict", "adam_state_dict", "dtypes", "views", "nested", "cuda_location"]) {
      test(`torch ${version}: ${name}.pt matches what that Python loaded`, () => {
        const dir = path.join(FIXTURES, "..", "..", `torch-${version}`, "serialization");
        const value = loadObject(path.join(dir, `${name}.pt`));
        const expected = normalizePython(JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), "utf8")) as Description);
        const ours = describe(value);
        // Python loaded with map_location="cpu"; we keep a CUDA storage's device.
        for (const s of Object.values(ours.storages)) s.device = "cpu";
        for (const s of Object.values(expected.storages)) s.device = "cpu";
        assert.deepStrictEqual(ours, expected);
      });
    }
  }
});

suite("Python torch.save fixtures", () => {
  for (const name of ["model_state_dict", "adam_state_dict", "dtypes", "views", "nested"]) {
    test(`${name}.pt matches what Python loads`, () => {
      const { value, expected } = fixture(name);
      assert.deepStrictEqual(describe(value), expected);
    });
  }

  test("a model state_dict is an OrderedDict with PyTorch's keys and its _metadata", () => {
    const sd = fixture("model_state_dict").value as OrderedDict;
    assert.ok(sd instanceof OrderedDict);
    assert.deepEqual(Object.keys(sd), [
      "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
      "3.weight", "3.bias",
    ]);
    const nbt = sd["1.num_batches_tracked"] as TensorRecord;
    assert.equal(nbt.dtype, "int64");
    assert.deepEqual(nbt.shape, []);
    assert.equal(Buffer.from(nbt.storage.bytes).readBigInt64LE(0), 2n); // two training steps
    const meta = sd._metadata as OrderedDict;
    assert.ok(meta instanceof OrderedDict);
    assert.deepEqual(meta["1"], { version: 2 }); // BatchNorm's state-dict version
    assert.equal(Object.keys(sd).includes("_metadata"), false);
  });

  test("an Adam state_dict keeps int keys, tuples and one-element lists", () => {
    const sd = fixture("adam_state_dict").value as { state: Map<number, Record<string, unknown>>; param_groups: Array<Record<string, unknown>> };
    assert.ok(sd.state instanceof Map);
    assert.deepEqual([...sd.state.keys()], [0, 1, 2, 3, 4, 5]);
    assert.ok(sd.state.get(0)!.exp_avg instanceof TensorRecord);
    const [g0, g1] = sd.param_groups;
    assert.deepEqual(g0!.params, [0, 1, 2, 3, 4]);
    assert.deepEqual(g1!.params, [5]);
    assert.ok(g0!.betas instanceof PyTuple);
    assert.deepEqual([...(g0!.betas as PyTuple)], [0.9, 0.99]);
    assert.equal(g1!.lr, 0.01);
    assert.equal(g0!.foreach, null);
  });

  test("every dtype reads with its raw bytes", () => {
    const d = fixture("dtypes").value as Record<string, TensorRecord>;
    assert.deepEqual(
      Object.keys(d).filter((k) => k !== "scalar" && k !== "empty"),
      ["float32", "float64", "float16", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool", "complex64", "complex128"],
    );
    for (const [k, t] of Object.entries(d)) if (k !== "scalar" && k !== "empty") assert.equal(t.dtype, k);
    const i64 = d.int64!.storage.bytes;
    assert.deepEqual([...new BigInt64Array(i64.buffer, i64.byteOffset, 3)], [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n]);
    const c = d.complex64!.storage.bytes;
    assert.deepEqual([...new Float32Array(c.buffer, c.byteOffset, 4)], [1, 2, -0, -0.5]);
    assert.deepEqual([...d.bool!.storage.bytes], [1, 0, 1]);
    const bf = Buffer.from(d.bfloat16!.storage.bytes);
    assert.equal(bf.readUInt16LE(0), 0x3f80); // bfloat16 1.0
    assert.deepEqual(d.empty!.shape, [0, 3]);
    assert.equal(d.empty!.storage.bytes.length, 0);
  });

  test("views share one storage, with Python's offsets and strides; one tensor twice is one record", () => {
    const v = fixture("views").value as Record<string, TensorRecord | TensorRecord[]>;
    const base = v.base as TensorRecord;
    for (const k of ["row", "column", "block", "transposed"]) assert.equal((v[k] as TensorRecord).storage, base.storage);
    assert.deepEqual(floats(v.column as TensorRecord), [2, 8, 14, 20]);
    assert.deepEqual(floats(v.row as TensorRecord), [6, 7, 8, 9, 10, 11]);
    const twice = v.same_tensor_twice as TensorRecord[];
    assert.equal(twice[0], base);
    assert.equal(twice[1], base);
    assert.deepEqual((v.broadcast as TensorRecord).stride, [0, 1]);
    assert.equal((v.tail as TensorRecord).storageOffset, 7);
    assert.equal((v.tail as TensorRecord).storage, (v.every_third as TensorRecord).storage);
  });

  test("nested plain values: ints, big ints, floats, strings, tuples, Maps for non-str keys", () => {
    const n = fixture("nested").value as Record<string, unknown>;
    assert.equal(n.big_int, 2n ** 70n);
    assert.equal(n.negative_big_int, -(2n ** 65n));
    assert.equal(n.int40, 2 ** 40);
    assert.equal(n.negative_int, -300);
    assert.ok(Number.isNaN(n.nan));
    assert.equal(n.inf, -Infinity);
    assert.equal(n.text, "h\u00e9llo \u2713");
    assert.deepEqual(n.device, "cuda:1");
    assert.ok(n.size instanceof PyTuple);
    assert.ok(n.int_keys instanceof Map);
    const mixed = n.mixed_keys as Map<unknown, unknown>;
    assert.deepEqual([...mixed.values()], [1, 2, 3, 4]);
    assert.deepEqual([...mixed.keys()].slice(0, 3), ["a", 3, null]);
    assert.deepEqual(n.bytes, new Uint8Array([0, 0x80, 0xff]));
    assert.deepEqual(n.set, new Set([1, 2, 3]));
    const p = n.parameter as TensorRecord;
    assert.equal(p.isParameter, true);
    assert.equal(p.requiresGrad, true);
    assert.equal((n.frozen_parameter as TensorRecord).requiresGrad, false);
    assert.equal((n.requires_grad_tensor as TensorRecord).isParameter, false);
    assert.equal((n.requires_grad_tensor as TensorRecord).requiresGrad, true);
    assert.equal((n.many as number[]).length, 1200);
    assert.equal(Object.keys(n.many_keys as object).length, 1100);
  });

  test("tensors saved on CUDA load as host bytes that keep their device", () => {
    const { value, expected } = fixture("cuda_location");
    const got = describe(value);
    for (const s of Object.values(got.storages)) assert.equal(s.device, "cuda:0");
    for (const s of Object.values(expected.storages)) s.device = "cuda:0"; // Python had to map them to the CPU
    assert.deepEqual(got, expected);
    const w = (value as Record<string, TensorRecord>).weight!;
    assert.ok(w.storage instanceof StorageRecord);
    assert.equal(w.device, "cuda:0");
  });

  test("loaded storage bytes are 8-byte aligned", () => {
    const d = fixture("dtypes").value as Record<string, TensorRecord>;
    for (const t of Object.values(d)) assert.equal(t.storage.bytes.byteOffset % 8, 0);
  });

  test("the legacy (pre-1.6) format is refused with a clear message", () => {
    assert.throws(() => loadObject(path.join(FIXTURES, "legacy.pt")), /legacy format .*re-save it/);
  });
});
