// The native checkpoint I/O under torch.save / torch.load (native/io/): CRC-32 against
// zlib's, threaded positional writes and reads (pieces larger and smaller than the chunk size),
// byte-identical files, recycled load memory, Python reading what the threaded writer wrote.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import * as zlib from "node:zlib";
import torch, { Tensor } from "../src/torch-plugin/index.js";
import { encodeCheckpoint, StorageRecord } from "../src/torch/serialization/index.js";
import { nativeFileIO } from "../src/torch/serialization/native-io.js";
import { toRecords } from "../src/torch/serialization/torch-io.js";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const PY = "/usr/bin/python3";
const io = nativeFileIO();

/** Deterministic, non-repeating bytes. */
function pattern(n: number, seed = 1): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function withDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(join(tmpdir(), "pst-nio-"));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("crc32 equals zlib.crc32 for every length 0..300 at unaligned starts, large buffers and running values", () => {
  const data = pattern(6_000_017);
  for (let start = 0; start < 17; start++) {
    for (let len = 0; len <= 300; len++) {
      const view = data.subarray(start, start + len);
      assert.equal(io.crc32(view), zlib.crc32(view), `start ${start} length ${len}`);
    }
  }
  for (const [start, len] of [[3, 1 << 20], [0, 4_000_064], [5, 6_000_000], [1, 65_537]] as const) {
    const view = data.subarray(start, start + len);
    assert.equal(io.crc32(view), zlib.crc32(view));
    assert.equal(io.crc32(view, 0xdeadbeef), zlib.crc32(view, 0xdeadbeef));
  }
  // A running CRC over two parts equals the CRC of the whole.
  const a = data.subarray(0, 1000);
  const b = data.subarray(1000, 5000);
  assert.equal(io.crc32(b, io.crc32(a)), zlib.crc32(data.subarray(0, 5000)));
  // Other views than Uint8Array count their bytes.
  const f32 = new Float32Array(data.buffer, data.byteOffset + 4096, 1000);
  assert.equal(io.crc32(f32), zlib.crc32(data.subarray(4096, 4096 + 4000)));
});

test("crc32's portable path (no PCLMULQDQ) equals zlib.crc32 too", () => {
  const script = `
    import * as zlib from "node:zlib";
    import { nativeFileIO } from "./src/torch/serialization/native-io.js";
    const io = nativeFileIO();
    const b = Buffer.alloc(100_003);
    for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) >>> 24;
    let bad = 0;
    for (let s = 0; s < 9; s++) for (let n = 0; n < 200; n++) if (io.crc32(b.subarray(s, s + n)) !== zlib.crc32(b.subarray(s, s + n))) bad++;
    if (io.crc32(b.subarray(7)) !== zlib.crc32(b.subarray(7))) bad++;
    console.log(JSON.stringify({ accelerated: io.crc32Accelerated(), bad }));
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { ...process.env, PYSTEMATIC_NO_PCLMUL: "1" },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim()), { accelerated: false, bad: 0 });
});

test("writeAt writes buffers at their offsets and returns their CRCs, threaded or not, pieces bigger and smaller than the chunk", () => {
  withDir((dir) => {
    for (const [total, chunk] of [
      [0, undefined],
      [50_000, 1000],
      [9_500_000, 1_000_003], // past the threading threshold: one writer, CRCs on other threads
    ] as const) {
      const sizes = total === 0 ? [0, 5, 999, 1000, 1001] : [0, 1, 999, 1000, 1001, 4321, total];
      const buffers = sizes.map((n, i) => pattern(n, i + 7));
      const offsets: number[] = [];
      let at = 17;
      for (const b of buffers) {
        offsets.push(at);
        at += b.length + 13; // gaps stay zero
      }
      const file = join(dir, `w${total}.bin`);
      const fd = fs.openSync(file, "w");
      let crcs: number[];
      try {
        crcs = io.writeAt(fd, offsets, buffers, total > 0, chunk);
      } finally {
        fs.closeSync(fd);
      }
      assert.deepEqual(crcs, buffers.map((b) => zlib.crc32(b)));
      const back = fs.readFileSync(file);
      buffers.forEach((b, i) => {
        if (b.length > 0) assert.ok(back.subarray(offsets[i], offsets[i]! + b.length).equals(b), `buffer ${i}`);
      });
    }
  });
});

test("readAt fills buffers from their offsets with or without CRCs; short files and bad descriptors give clear errors", () => {
  withDir((dir) => {
    const file = join(dir, "r.bin");
    const content = pattern(10_000_000, 3);
    fs.writeFileSync(file, content);
    const fd = fs.openSync(file, "r");
    try {
      for (const chunk of [undefined, 999, 1_048_583]) {
        const spans: [number, number][] = [[0, 0], [1, 1], [5, 998], [1000, 1001], [3, 9_000_000], [9_999_000, 1000]];
        const into = spans.map(([, n]) => new Uint8Array(n));
        const crcs = io.readAt(fd, spans.map(([o]) => o), into, true, chunk);
        spans.forEach(([o, n], i) => assert.ok(Buffer.from(into[i]!).equals(content.subarray(o, o + n)), `span ${i}`));
        assert.deepEqual(crcs, into.map((b) => zlib.crc32(b)));
        assert.equal(io.readAt(fd, [7], [new Uint8Array(10)], false, chunk), undefined);
      }
      assert.throws(() => io.readAt(fd, [9_999_990], [new Uint8Array(100)], false), /unexpected end of file/);
    } finally {
      fs.closeSync(fd);
    }
    const rd = fs.openSync(file, "r");
    fs.closeSync(rd);
    assert.throws(() => io.readAt(rd, [0], [new Uint8Array(10)], false), /EBADF/);
    const ro = fs.openSync(file, "r");
    try {
      assert.throws(() => io.writeAt(ro, [0], [new Uint8Array(10)], false), /EBADF/);
    } finally {
      fs.closeSync(ro);
    }
    assert.throws(() => io.writeAt(0, [0, 1], [new Uint8Array(1)], false), /offsets and buffers differ/);
  });
});

/** What the threaded file writer wrote, against the in-memory encoder's bytes for the same value. */
function assertSameBytes(value: Record<string, Tensor>, file: string, forceZip64: boolean): void {
  torch.save(value, file, { forceZip64 });
  const expected = encodeCheckpoint(toRecords(value), { forceZip64 });
  assert.ok(fs.readFileSync(file).equals(Buffer.from(expected)), "file bytes differ from encodeCheckpoint's");
}

test("torch.save's threaded writer gives the same bytes as the streaming encoder, zip64 included", () => {
  withDir((dir) => {
    const value = {
      big: torch.randn([2_500_000]), // 10 MB: threaded path, several pieces
      small: torch.arange(10, { dtype: "float32" }),
      empty: torch.zeros([0]),
      ints: torch.tensor([1, 2, 3], { dtype: "int64" }),
    };
    assertSameBytes(value, join(dir, "a.pt"), false);
    assertSameBytes(value, join(dir, "b.pt"), true);
    // Saving over an existing file replaces it (the old one is released in the background).
    const file = join(dir, "a.pt");
    torch.save({ x: torch.ones([3]) }, file);
    const back = torch.load(file) as Record<string, Tensor>;
    assert.deepEqual(Array.from(back.x!.toTypedArray() as Float32Array), [1, 1, 1]);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["a.pt", "b.pt"]);
  });
});

test("Python's torch.load reads a threaded, zip64 save of large tensors", () => {
  withDir((dir) => {
    const file = join(dir, "big.pt");
    const a = torch.arange(3_000_000, { dtype: "float32" });
    const b = torch.randn([1_000_001]);
    torch.save({ a, b, view: a.select(0, 5) }, file, { forceZip64: true });
    const r = spawnSync(
      PY,
      [
        "-c",
        `
import torch, json
d = torch.load(${JSON.stringify(file)})
print(json.dumps({"a0": d["a"][0].item(), "aLast": d["a"][-1].item(), "aSum": d["a"].double().sum().item(),
  "bSum": d["b"].double().sum().item(), "view": d["view"].item(), "n": d["b"].numel()}))
`,
      ],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as Record<string, number>;
    assert.equal(out.a0, 0);
    assert.equal(out.aLast, 2_999_999);
    assert.equal(out.aSum, (2_999_999 * 3_000_000) / 2);
    assert.equal(out.n, 1_000_001);
    assert.equal(out.view, 5);
    assert.ok(Math.abs(out.bSum! - b.double().sum().item()) < 1e-6);
  });
});

test("loaded large storages compute, free, and their memory is reused by the next load", () => {
  withDir((dir) => {
    const file = join(dir, "m.pt");
    const w = torch.randn([3, 1_000_000]);
    torch.save({ w, row: w.select(0, 2), small: torch.ones([4]) }, file);
    const expectedSum = w.double().sum().item();
    const rowSum = w.select(0, 2).double().sum().item();
    const useOnce = (): void => {
      const loaded = torch.load(file) as Record<string, Tensor>;
      assert.equal(loaded.w!.double().sum().item(), expectedSum);
      assert.equal(loaded.row!.double().sum().item(), rowSum);
      // Writes through a view reach the shared storage, as in Python.
      loaded.row!.mul_(0);
      assert.equal(loaded.w!.select(0, 2).abs().sum().item(), 0);
      assert.equal(loaded.w!.add(1).shape.join(), "3,1000000");
    };
    useOnce();
    gc();
    const before = torch.memory.stats().cachedBytes;
    assert.ok(before >= 12_000_000, `freed storage kept for reuse (${before})`);
    const again = torch.load(file) as Record<string, Tensor>;
    assert.ok(torch.memory.stats().cachedBytes <= before - 12_000_000, "the next load of the same size reused it");
    assert.equal(again.w!.double().sum().item(), expectedSum);
    assert.deepEqual(Array.from(again.small!.toTypedArray() as Float32Array), [1, 1, 1, 1]);
    // Storages stay resizable, as any other tensor's.
    const grown = (again.w! as unknown as { resize_(shape: number[]): Tensor }).resize_([4, 1_000_000]);
    assert.deepEqual(grown.shape, [4, 1_000_000]);
    assert.equal(grown.select(0, 0).double().sum().item(), w.select(0, 0).double().sum().item());
  });
});

test("torch.load's read views are detached afterwards; a bare storage comes back with bytes of its own", () => {
  withDir((dir) => {
    const file = join(dir, "s.pt");
    const r = spawnSync(
      PY,
      ["-c", `import torch; torch.save({"storage": torch.tensor([1.5, -2, 3]).storage(), "t": torch.arange(2000000.)}, ${JSON.stringify(file)})`],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = torch.load(file) as { storage: StorageRecord; t: Tensor };
    gc();
    assert.ok(out.storage instanceof StorageRecord);
    assert.deepEqual(Array.from(new Float32Array(out.storage.bytes.slice().buffer)), [1.5, -2, 3]);
    assert.ok(out.t instanceof Tensor);
    assert.equal(out.t.double().sum().item(), (1999999 * 2000000) / 2);
  });
});

test("torch.load with verifyCrc checks the storages the threads read", () => {
  withDir((dir) => {
    const file = join(dir, "c.pt");
    torch.save({ t: torch.arange(3_000_000, { dtype: "float32" }) }, file);
    assert.equal((torch.load(file, { verifyCrc: true }) as { t: Tensor }).t.double().sum().item(), (2_999_999 * 3_000_000) / 2);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    fs.writeFileSync(file, bytes);
    assert.throws(() => torch.load(file, { verifyCrc: true }), /CRC-32 mismatch in archive\/data\/0/);
    assert.ok(torch.load(file) !== undefined); // unchecked by default, as Python
  });
});

test("a Python set of tensors loads with its members as live tensors, shared with other references", () => {
  const dir = fs.mkdtempSync(join(tmpdir(), "pst-set-"));
  try {
    const file = join(dir, "set.pt");
    const r = spawnSync("/usr/bin/python3", ["-c", `import torch; t = torch.arange(4.); torch.save({"s": {t}, "l": [t]}, ${JSON.stringify(file)})`], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const v = torch.load(file) as { s: Set<Tensor>; l: Tensor[] };
    const [member] = [...v.s];
    assert.ok(member instanceof Tensor);
    assert.deepEqual(member.toArray(), [0, 1, 2, 3]);
    assert.equal(member, v.l[0]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
