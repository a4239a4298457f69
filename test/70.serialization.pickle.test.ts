// The pickle writer and reader: how JS values map to Python values and back, byte-level details
// Python's unpickler relies on, and malformed input.
import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";
import {
  OrderedDict,
  PyFloat,
  PyTuple,
  StorageRecord,
  TensorRecord,
  UnpicklingError,
  pickle,
  pyAttributesOf,
  pyFloat,
  setPyAttribute,
  tuple,
  unpickle,
} from "../src/torch/serialization/index.js";

const noStorages = (): string => {
  throw new Error("no storages expected");
};

function roundTrip(value: unknown): unknown {
  return unpickle(pickle(value, noStorages));
}

/** Hex of a pickle without the PROTO header and STOP. */
function body(value: unknown): string {
  const b = pickle(value, noStorages);
  assert.deepEqual([...b.subarray(0, 2)], [0x80, 2]);
  assert.equal(b[b.length - 1], 0x2e);
  return Buffer.from(b.subarray(2, b.length - 1)).toString("hex");
}

suite("pickle writer: Python's encodings", () => {
  test("ints use the smallest opcode, as Python's pickler", () => {
    assert.equal(body(0), "4b00"); // BININT1
    assert.equal(body(255), "4bff");
    assert.equal(body(256), "4d0001"); // BININT2
    assert.equal(body(65536), "4a00000100"); // BININT
    assert.equal(body(-1), "4affffffff");
    assert.equal(body(2 ** 31), "8a050000008000"); // LONG1, 5 bytes: sign byte needed
    assert.equal(body(-(2 ** 31) - 1), "8a05ffffff7fff");
    assert.equal(body(2n ** 64n), "8a09000000000000000001");
    assert.equal(body(-1n), "4affffffff");
  });

  test("floats: non-integral numbers, -0, unsafe integers and PyFloat are BINFLOAT", () => {
    assert.equal(body(1.5), "473ff8000000000000");
    assert.equal(body(-0), "478000000000000000");
    assert.equal(body(pyFloat(1)), "473ff0000000000000");
    assert.equal(body(1e300).slice(0, 2), "47");
    assert.equal(body(2 ** 60).slice(0, 2), "47"); // not a safe integer: Python gets the float it is
  });

  test("strings are BINUNICODE UTF-8 and memoized", () => {
    assert.equal(body("h\u00e9"), "5803000000" + "68c3a9" + "7100");
    assert.equal(body(["a", "a"]), "5d7100" + "28" + "58010000006171" + "01" + "6801" + "65");
  });

  test("small tuples use TUPLE1-3, longer ones MARK...TUPLE; one-element lists use APPEND", () => {
    assert.equal(body(tuple()), "297100");
    assert.equal(body(tuple(1, 2)), "4b014b02867100");
    assert.equal(body(tuple(1, 2, 3, 4)), "284b014b024b034b04747100");
    assert.equal(body([7]), "5d71004b0761");
  });

  test("OrderedDicts are collections.OrderedDict() with SETITEMS and their attributes via BUILD", () => {
    const od = new OrderedDict();
    od.a = 1;
    setPyAttribute(od, "_metadata", { "": { version: 1 } });
    const hex = body(od);
    assert.ok(hex.startsWith(Buffer.from("c" + "collections\nOrderedDict\n", "latin1").toString("hex")));
    assert.ok(hex.endsWith("62")); // BUILD
  });
});

suite("pickle round trips", () => {
  test("scalars", () => {
    for (const v of [null, true, false, 0, 1, -1, 255, 256, 65535, 65536, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, -(2 ** 52),
      Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0.1, -2.5, 1e-310, Infinity, -Infinity, "", "text", "\u{1f600}"]) {
      assert.deepEqual(roundTrip(v), v);
    }
    assert.ok(Number.isNaN(roundTrip(NaN)));
    assert.ok(Object.is(roundTrip(-0), -0));
    assert.equal(roundTrip(undefined), null);
  });

  test("ints beyond 2^53 come back as bigints, safe ones as numbers", () => {
    for (const v of [2n ** 53n, -(2n ** 53n) - 1n, 2n ** 64n - 1n, -(2n ** 63n), 2n ** 2100n, -(2n ** 2100n)]) {
      assert.equal(roundTrip(v), v);
    }
    assert.equal(roundTrip(12n), 12);
    assert.equal(roundTrip(-(2n ** 40n)), -(2 ** 40));
  });

  test("containers: lists, tuples, dicts with str keys, Maps with other keys, sets, bytes", () => {
    const value = {
      list: [1, [2, [3, []]]],
      tuple: tuple(1, "a", null, tuple()),
      dict: { b: 1, a: { c: [] } },
      map: new Map<unknown, unknown>([[0, "zero"], [1, { x: 1 }], ["s", 2], [null, 3]]),
      set: new Set([1, "two"]),
      bytes: new Uint8Array([0, 127, 128, 255]),
      empty_bytes: new Uint8Array(0),
      "__proto__x": 1,
    };
    const back = roundTrip(value) as typeof value;
    assert.deepEqual(back.list, value.list);
    assert.ok(back.tuple instanceof PyTuple);
    assert.ok(back.tuple[3] instanceof PyTuple);
    assert.deepEqual([...back.tuple].slice(0, 3), [1, "a", null]);
    assert.deepEqual(back.dict, value.dict);
    assert.deepEqual(Object.keys(back.dict), ["b", "a"]);
    assert.deepEqual(back.map, value.map);
    assert.deepEqual(back.set, value.set);
    assert.deepEqual(back.bytes, value.bytes);
    assert.deepEqual(back.empty_bytes, value.empty_bytes);
  });

  test("a '__proto__' key is an ordinary item", () => {
    const v: Record<string, unknown> = {};
    Object.defineProperty(v, "__proto__", { value: 5, enumerable: true });
    const back = roundTrip(v) as Record<string, unknown>;
    assert.deepEqual(Object.keys(back), ["__proto__"]);
    assert.equal(Object.getOwnPropertyDescriptor(back, "__proto__")!.value, 5);
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
  });

  test("OrderedDict keeps its class and its attributes", () => {
    const od = new OrderedDict();
    od["0.weight"] = 1;
    od["0.bias"] = 2;
    setPyAttribute(od, "_metadata", { "": { version: 1 } });
    const back = roundTrip(od) as OrderedDict;
    assert.ok(back instanceof OrderedDict);
    assert.deepEqual(Object.keys(back), ["0.weight", "0.bias"]);
    assert.deepEqual(pyAttributesOf(back), [["_metadata", { "": { version: 1 } }]]);
  });

  test("shared objects stay shared and cyclic lists/dicts round-trip", () => {
    const shared = { x: 1 };
    const list: unknown[] = [shared, shared];
    list.push(list);
    const back = roundTrip(list) as unknown[];
    assert.equal(back[0], back[1]);
    assert.equal(back[2], back);
    const d: Record<string, unknown> = {};
    d.self = d;
    const backDict = roundTrip(d) as Record<string, unknown>;
    assert.equal(backDict.self, backDict);
  });

  test("PyTuple behaves as an array; map gives a plain array", () => {
    const t = tuple(1, 2, 3);
    assert.ok(Array.isArray(t));
    assert.deepEqual([...t], [1, 2, 3]);
    const m = t.map((x) => x * 2);
    assert.equal(m instanceof PyTuple, false);
    assert.deepEqual(m, [2, 4, 6]);
    assert.equal(new PyFloat(2).valueOf(), 2);
  });

  test("more than one batch of APPENDS / SETITEMS (1000 per batch)", () => {
    const list = Array.from({ length: 2501 }, (_, i) => i);
    const dict = Object.fromEntries(list.map((i) => [`k${i}`, i]));
    assert.deepEqual(roundTrip(list), list);
    assert.deepEqual(roundTrip(dict), dict);
  });
});

suite("pickle writer: values Python cannot hold", () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ["a function", { a: { b: () => 1 } }, /cannot save \["a"\]\["b"\]: a function has no Python equivalent/],
    ["a symbol", [Symbol("s")], /cannot save \[0\]: a symbol/],
    ["a class instance", { d: new Date(0) }, /cannot save \["d"\]: a Date instance/],
    ["a Float32Array", { t: new Float32Array(2) }, /a Float32Array; save tensors as TensorRecords/],
    ["a bare storage", { s: new StorageRecord({ dtype: "uint8", bytes: new Uint8Array(1) }) }, /a bare StorageRecord/],
  ];
  for (const [what, value, message] of bad) {
    test(`${what} is an Error naming its path`, () => {
      assert.throws(() => pickle(value, noStorages), message);
    });
  }

  test("a tuple that contains itself is an Error, not a stack overflow", () => {
    const list: unknown[] = [];
    const t = tuple(list);
    list.push(t);
    assert.throws(() => pickle(t, noStorages), /a tuple that contains itself/);
  });
});

suite("pickle reader: malformed input", () => {
  const sample = (() => {
    const storage = new StorageRecord({ dtype: "float32", bytes: new Uint8Array(16) });
    return pickle(
      { a: [1, 2.5, "x", tuple(1, 2)], b: new TensorRecord({ storage, shape: [2, 2] }), c: 2n ** 80n, d: new Map([[1, 2]]) },
      () => "0",
    );
  })();
  const load = (bytes: Uint8Array): unknown =>
    unpickle(bytes, () => new StorageRecord({ dtype: "float32", bytes: new Uint8Array(16) }));

  test("the sample itself loads", () => {
    const v = load(sample) as Record<string, unknown>;
    assert.ok(v.b instanceof TensorRecord);
  });

  test("every truncation is an UnpicklingError", () => {
    for (let n = 0; n < sample.length; n++) {
      assert.throws(() => load(sample.subarray(0, n)), UnpicklingError, `prefix of ${n} bytes`);
    }
  });

  test("random corruption gives an Error or a value, never a hang or crash", () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(sample);
      for (let j = 0; j < 3; j++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      try {
        load(bytes);
      } catch (e) {
        assert.ok(e instanceof Error, String(e));
      }
    }
  });

  test("globals outside the known set are refused by name", () => {
    const evil = Buffer.from("\x80\x02cos\nsystem\nX\x02\x00\x00\x00ls\x85R.", "latin1");
    assert.throws(() => unpickle(evil), /unsupported Python global os\.system/);
    // NumPy arrays and scalars are read (test 77); the rest of NumPy is not.
    const numpy = Buffer.from("\x80\x02cnumpy.core.multiarray\nfromstring\n.", "latin1");
    assert.throws(() => unpickle(numpy), /unsupported Python global numpy\.core\.multiarray\.fromstring/);
  });

  test("unknown opcodes, missing memo entries, stack underflow", () => {
    assert.throws(() => unpickle(Buffer.from([0x80, 2, 0xff, 0x2e])), /unsupported pickle opcode 0xff/);
    assert.throws(() => unpickle(Buffer.from([0x80, 2, 0x68, 9, 0x2e])), /memo entry 9 was never stored/);
    assert.throws(() => unpickle(Buffer.from([0x80, 2, 0x61, 0x2e])), /stack underflow/);
    assert.throws(() => unpickle(Buffer.from([0x80, 2, 0x74, 0x2e])), /no MARK/);
    assert.throws(() => unpickle(Buffer.from([0x80, 2, 0x4e, 0x51, 0x2e])), /persistent id/);
  });

  test("opcodes of other protocols that plain data uses", () => {
    // protocol 4: FRAME, SHORT_BINUNICODE, MEMOIZE, EMPTY_SET/ADDITEMS, BINBYTES; protocol 0 text ints
    // ("a", {1}) as protocol 4 writes it: FRAME, SHORT_BINUNICODE, MEMOIZE, EMPTY_SET, ADDITEMS
    const v = unpickle(Buffer.from("8004950d00000000000000" + "8c016194" + "8f94284b0190" + "8694" + "2e", "hex")) as unknown[];
    assert.ok(v instanceof PyTuple);
    assert.equal(v[0], "a");
    assert.deepEqual(v[1], new Set([1]));
    assert.deepEqual(unpickle(Buffer.from("I42\n.", "latin1")), 42);
    assert.deepEqual(unpickle(Buffer.from("I01\n.", "latin1")), true);
    assert.deepEqual(unpickle(Buffer.from("L123456789012345678901L\n.", "latin1")), 123456789012345678901n);
    assert.deepEqual(unpickle(Buffer.from("F1.5\n.", "latin1")), 1.5);
    assert.deepEqual(unpickle(Buffer.from("(I1\nI2\nl.", "latin1")), [1, 2]);
    assert.deepEqual(unpickle(Buffer.from("(S'x'\nI1\nd.", "latin1")), { x: 1 });
    assert.deepEqual(unpickle(Buffer.from("C\x02hi.", "latin1")), new Uint8Array([0x68, 0x69]));
  });
});
