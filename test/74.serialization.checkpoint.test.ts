// saveObject/loadObject on files: atomic writes, round trips, damaged files, kill -9 mid-write.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe as suite, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  DTYPE_NAMES,
  StorageRecord,
  TensorRecord,
  dtypeItemSize,
  loadObject,
  saveObject,
} from "../src/torch/serialization/index.js";
import { describe } from "./fixtures/serialization/describe.js";

let dir = "";

function tensor(dtype: (typeof DTYPE_NAMES)[number], numel: number, fill: number): TensorRecord {
  const bytes = new Uint8Array(numel * dtypeItemSize(dtype)).fill(dtype === "bool" ? fill & 1 : fill);
  return new TensorRecord({ storage: new StorageRecord({ dtype, bytes }), shape: [numel] });
}

suite("saveObject / loadObject", () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pystematic-serialization-74-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("every dtype round-trips through a file", () => {
    const value = Object.fromEntries(DTYPE_NAMES.map((d, i) => [d, tensor(d, 5 + i, 17 * (i + 1))]));
    const file = path.join(dir, "dtypes.pt");
    saveObject(value, file);
    assert.deepEqual(describe(loadObject(file)), describe(value));
  });

  test("loaded storages are 8-byte aligned, own their memory, and views share them", () => {
    const s = new StorageRecord({ dtype: "float64", bytes: new Uint8Array(new Float64Array([1, 2, 3, 4]).buffer) });
    const file = path.join(dir, "views.pt");
    saveObject({ a: new TensorRecord({ storage: s, shape: [4] }), b: new TensorRecord({ storage: s, shape: [2], storageOffset: 2 }) }, file);
    const v = loadObject(file) as Record<string, TensorRecord>;
    assert.equal(v.a!.storage, v.b!.storage);
    const bytes = v.a!.storage.bytes;
    assert.equal(bytes.byteOffset % 8, 0);
    assert.equal(bytes.buffer.byteLength, bytes.length); // not a slice of the whole file
    assert.deepEqual([...new Float64Array(bytes.buffer, bytes.byteOffset, 4)], [1, 2, 3, 4]);
  });

  test("a save that fails leaves the previous file and no temp file", () => {
    const file = path.join(dir, "keep.pt");
    saveObject({ step: 1 }, file);
    assert.throws(() => saveObject({ step: 2, bad: () => 0 }, file), /cannot save \["bad"\]/);
    assert.deepEqual(loadObject(file), { step: 1 });
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes("keep")), ["keep.pt"]);
  });

  test("saving over a file replaces it; no temp files remain", () => {
    const file = path.join(dir, "replace.pt");
    saveObject({ step: 1 }, file);
    saveObject({ step: 2 }, file);
    assert.deepEqual(loadObject(file), { step: 2 });
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")), []);
  });

  test("a missing file, a directory and a truncated file are Errors naming the file", () => {
    assert.throws(() => loadObject(path.join(dir, "absent.pt")), /ENOENT/);
    assert.throws(() => loadObject(dir), /EISDIR|cannot load/);
    const file = path.join(dir, "whole.pt");
    saveObject({ t: tensor("float32", 1000, 3) }, file);
    const bytes = fs.readFileSync(file);
    for (const n of [0, 10, 100, 1000, 4000, bytes.length - 23, bytes.length - 1]) {
      const cut = path.join(dir, `cut-${n}.pt`);
      fs.writeFileSync(cut, bytes.subarray(0, n));
      assert.throws(() => loadObject(cut), new RegExp(`cannot load checkpoint ${cut.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: `));
    }
  });

  test("kill -9 during a save leaves the previous checkpoint loadable", async () => {
    const file = path.join(dir, "killed.pt");
    saveObject({ version: "old" }, file);
    const script = path.join(dir, "writer.ts");
    const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/torch/serialization/index.js");
    fs.writeFileSync(
      script,
      `import { saveObject, StorageRecord, TensorRecord } from ${JSON.stringify(src)};
       const storage = new StorageRecord({ dtype: "uint8", bytes: new Uint8Array(64 << 20) });
       process.stdout.write("ready\\n");
       for (;;) saveObject({ version: "new", t: new TensorRecord({ storage, shape: [64 << 20] }) }, ${JSON.stringify(file)});\n`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    await new Promise((r) => setTimeout(r, 300)); // mid-way through some save
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const v = loadObject(file) as { version: string };
    assert.ok(v.version === "old" || v.version === "new");
    for (const f of fs.readdirSync(dir).filter((f) => f.startsWith(".killed.pt."))) fs.rmSync(path.join(dir, f));
  });
});
