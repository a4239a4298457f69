// Context containers: the seeds-era ContextObject/ContextDict/ContextList and the 1.x Context.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Context, ContextDict, ContextList, ContextObject, nn } from "../src/torch-plugin/index.js";

test("ContextObject: attributes, has(), wrapping of plain arrays and objects, clear missing-name error", () => {
  const c = new ContextObject();
  c.epoch = 3;
  c.stats = { best: [1, 2], name: "x" };
  c.layers = [{ a: 1 }, 2];
  assert.equal(c.epoch, 3);
  assert.ok(c.stats instanceof ContextDict);
  assert.ok(c.stats.best instanceof ContextList);
  assert.equal(c.stats.best[1], 2);
  assert.ok(c.layers instanceof ContextList);
  assert.ok(c.layers[0] instanceof ContextDict);
  assert.equal(c.layers[0].a, 1);
  assert.equal(c.has("epoch"), true);
  assert.equal(c.has("missing"), false);
  assert.equal("epoch" in c, true);
  assert.deepEqual(Object.keys(c), ["epoch", "stats", "layers"]);
  assert.throws(() => c.missing, { message: "ContextObject: there's no attribute named 'missing'." });
  assert.throws(() => {
    (c as Record<string, unknown>).cuda = 1;
  }, /'cuda' is a method of the context and cannot name an item/);
  assert.throws(() => {
    (c as Record<string, unknown>).has = 1;
  }, /'has' is a method/);
  delete c.epoch;
  assert.equal(c.has("epoch"), false);
  // Class instances are kept as they are (only plain containers are wrapped).
  const lin = new nn.Linear(2, 1);
  c.model = lin;
  assert.equal(c.model, lin);
  // Constructor items; awaiting a context does not probe it as a thenable.
  const d = new ContextObject({ lr: 0.1 });
  assert.equal(d.lr, 0.1);
  return Promise.resolve(d).then((v) => assert.equal(v, d));
});

test("ContextDict: keys/values/items, get/set for method-named keys, missing key error", () => {
  const d = new ContextDict({ train: 1, val: [1, 2] });
  d["test"] = { x: 1 };
  assert.deepEqual(d.keys(), ["train", "val", "test"]);
  assert.equal(d.values()[0], 1);
  assert.ok(d.values()[1] instanceof ContextList);
  assert.deepEqual(
    d.items().map(([k]) => k),
    ["train", "val", "test"],
  );
  assert.equal(d.items()[0]![1], 1);
  assert.equal(d.size, 3);
  assert.ok(d.test instanceof ContextDict);
  assert.throws(() => d["nope"], { message: "ContextDict: there's no key 'nope'." });
  assert.throws(() => {
    (d as Record<string, unknown>)["keys"] = 1;
  }, /use set\('keys', value\)/);
  d.set("keys", 5);
  assert.equal(d.get("keys"), 5);
  assert.equal(typeof d.keys, "function");
  assert.throws(() => d.get("nope"), /no key 'nope'/);
});

test("ContextList: append, insert, length, negative indices, iteration, out-of-range errors", () => {
  const l = new ContextList([1, { a: 2 }]);
  assert.equal(l.length, 2);
  assert.ok(l[1] instanceof ContextDict);
  l.append([3]);
  assert.ok(l[2] instanceof ContextList);
  l.insert(0, "first");
  l.insert(100, "last");
  assert.equal(l.length, 5);
  assert.equal(l[0], "first");
  assert.equal(l[-1], "last");
  assert.deepEqual([...l].slice(0, 2), ["first", 1]);
  l[1] = 10;
  assert.equal(l[1], 10);
  assert.throws(() => l[5], { message: "ContextList: index 5 is out of range (length 5)." });
  assert.throws(() => {
    l[7] = 1;
  }, /index 7 is out of range/);
  assert.equal(1 in l, true);
  assert.equal(9 in l, false);
  assert.equal(l.push(7, { b: 1 }), 7);
  assert.ok(l[6] instanceof ContextDict);
});

test("Context (1.x): own properties are the items, in order; typed from the constructor; method names rejected", () => {
  const model = new nn.Linear(2, 1);
  const ctx = new Context({ epoch: 0, model, lists: [1, 2] });
  ctx.epoch += 1;
  assert.equal(ctx.epoch, 1);
  assert.equal(ctx.model, model);
  assert.ok(Array.isArray(ctx.lists), "1.x contexts keep plain arrays");
  assert.deepEqual(Object.keys(ctx), ["epoch", "model", "lists"]);
  assert.ok(ctx instanceof Context);
  assert.equal(ctx.to("cpu"), ctx);
  assert.throws(() => new Context({ stateDict: 1 }), /'stateDict' is a method of the context/);
  // Subclasses with class fields work too: fields are items.
  class Session extends Context {
    step = 0;
    net = new nn.Linear(1, 1);
  }
  const s = new Session();
  assert.deepEqual(Object.keys(s.stateDict()), ["step", "net", "__rng__"]);
});
