// What SummaryWriter writes, decoded with the independent wire decoder (not the writer's protos).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { SummaryWriter } from "../src/recording/index.js";
import { decodeEvents, decodePng, Message, summaryValues } from "./fixtures/recording/wire.js";

function withDir(fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-rec31-"));
  try {
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const f32 = (x: number): number => Math.fround(x);

test("an event file is named events.out.tfevents.<secs>.<host> and opens with file_version", () => {
  withDir((dir) => {
    const before = Math.floor(Date.now() / 1000);
    const writer = new SummaryWriter(dir);
    writer.close();
    const name = path.basename(writer.path);
    const match = /^events\.out\.tfevents\.(\d+)\.(.+)$/.exec(name);
    assert.ok(match, name);
    assert.ok(Number(match[1]) >= before && Number(match[1]) <= before + 2);
    assert.equal(match[2], os.hostname());
    const [first, ...rest] = decodeEvents(fs.readFileSync(writer.path));
    assert.equal(first!.string(3), "brain.Event:2");
    assert.equal(first!.int(2), 0);
    assert.ok(Math.abs(first!.double(1) - Date.now() / 1000) < 60);
    assert.equal(rest.length, 0);
  });
});

test("scalars: tags, steps and float32 values, wall time per event", () => {
  withDir((dir) => {
    const writer = new SummaryWriter(dir);
    writer.addScalar("train/loss", 0.25, 0);
    writer.addScalar("train/loss", 0.125, 1);
    writer.addScalar("lr", 1e-3, 1);
    writer.addScalar("big", 3.3, 2 ** 40);
    writer.addScalar("bool", true, 3);
    writer.addScalar("bigint", 7n, 4);
    writer.addScalar("tensor", { shape: [1], dtype: "float64", toTypedArray: () => new Float64Array([2.5]) }, 5);
    writer.close();
    const values = summaryValues(decodeEvents(fs.readFileSync(writer.path)));
    assert.deepEqual(
      values.map((v) => [v.tag, v.step, v.value.float(2)]),
      [
        ["train/loss", 0, 0.25], ["train/loss", 1, 0.125], ["lr", 1, f32(1e-3)], ["big", 2 ** 40, f32(3.3)],
        ["bool", 3, 1], ["bigint", 4, 7], ["tensor", 5, 2.5],
      ],
    );
    assert.throws(
      () => new SummaryWriter(dir).addScalar("t", { shape: [2], dtype: "float32", toTypedArray: () => new Float32Array(2) }, 0),
      /Scalar 't' must hold exactly one element, got a tensor of shape \[2\]/,
    );
  });
});

test("scalars of one step share one event; other records and new steps keep the recorded order", () => {
  withDir((dir) => {
    const writer = new SummaryWriter(dir);
    writer.addScalar("a", 1, 5);
    writer.addScalar("b", 2, 5);
    writer.addText("t", "x", 5);
    writer.addScalar("c", 3, 5);
    writer.addScalar("a", 4, 6);
    writer.addScalar("explicit", 5, 6, 1234.5);
    writer.close();
    const events = decodeEvents(fs.readFileSync(writer.path)).slice(1);
    const shape = events.map((e) => [e.int(2), e.message(5).messages(1).map((v) => v.string(1))]);
    assert.deepEqual(shape, [[5, ["a", "b"]], [5, ["t"]], [5, ["c"]], [6, ["a"]], [6, ["explicit"]]]);
    assert.equal(events[4]!.double(1), 1234.5);
  });
});

test("images: Summary.Image with PNG bytes that decode to the pixels given", () => {
  withDir((dir) => {
    const writer = new SummaryWriter(dir);
    // CHW float 3x2x2 in [0, 1]; pixel (y, x) channel c = (c + 1) * (y * 2 + x + 1) / 12
    const chw = Array.from({ length: 3 }, (_, c) => Array.from({ length: 2 }, (_, y) => Array.from({ length: 2 }, (_, x) => ((c + 1) * (y * 2 + x + 1)) / 12)));
    writer.addImage("img/rgb", chw, 7);
    writer.close();
    const [value] = summaryValues(decodeEvents(fs.readFileSync(writer.path)));
    assert.equal(value!.tag, "img/rgb");
    assert.equal(value!.step, 7);
    const image = value!.value.message(4);
    assert.deepEqual([image.int(1), image.int(2), image.int(3)], [2, 2, 3]); // height, width, colorspace RGB
    const png = decodePng(image.bytesOf(4));
    assert.deepEqual([png.width, png.height, png.channels], [2, 2, 3]);
    const expected: number[] = [];
    for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) for (let c = 0; c < 3; c++) expected.push(Math.trunc((((c + 1) * (y * 2 + x + 1)) / 12) * 255));
    assert.deepEqual([...png.pixels], expected);
  });
});

/** TensorFlow's default bucket limits, computed here independently of the writer. */
function tfLimits(): number[] {
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  return [...pos.map((v) => -v).reverse().concat([-Number.MAX_VALUE]).sort((a, b) => a - b), 0, ...pos, Number.MAX_VALUE];
}

test("a record larger than the write buffer is written whole, in order", () => {
  withDir((dir) => {
    const writer = new SummaryWriter(dir, { maxBufferBytes: 4096 });
    // xorshift32 bytes: incompressible for any zlib build (a multiplicative hash of i was not
    // for the system zlib a distribution's Node links)
    let x = 2463534242;
    const noise = Uint8Array.from({ length: 3 * 64 * 64 }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) & 0xff;
    });
    writer.addScalar("before", 1, 1);
    writer.addImage("noise", { data: noise, shape: [3, 64, 64] }, 2);
    writer.addScalar("after", 3, 3);
    writer.close();
    const values = summaryValues(decodeEvents(fs.readFileSync(writer.path)));
    assert.deepEqual(values.map((v) => [v.tag, v.step]), [["before", 1], ["noise", 2], ["after", 3]]);
    const png = values[1]!.value.message(4).bytesOf(4);
    assert.ok(png.length > 4096);
    const decoded = decodePng(png);
    assert.deepEqual([decoded.pixels[0], decoded.pixels[1], decoded.pixels[2]], [noise[0], noise[4096], noise[8192]]);
  });
});

test("histograms: TensorFlow's default buckets, empty runs collapsed, exact statistics", () => {
  withDir((dir) => {
    const values = [...new Float32Array([-2, -0.5, 0, 0, 0.001, 1, 1.05, 3, 1000])];
    const writer = new SummaryWriter(dir);
    writer.addHistogram("weights", new Float32Array(values), 3);
    writer.close();
    const [value] = summaryValues(decodeEvents(fs.readFileSync(writer.path)));
    assert.equal(value!.tag, "weights");
    const histo = value!.value.message(5);
    assert.equal(histo.double(1), -2);
    assert.equal(histo.double(2), 1000);
    assert.equal(histo.double(3), values.length);
    assert.equal(histo.double(4), values.reduce((a, b) => a + b, 0));
    assert.equal(histo.double(5), values.reduce((a, b) => a + b * b, 0));
    const limits = histo.packedDoubles(6), counts = histo.packedDoubles(7);
    assert.equal(limits.length, counts.length);
    // Independent model: count per default bucket (value in [limit[i-1], limit[i])), then collapse.
    const all = tfLimits();
    const perBucket = all.map((limit, i) => values.filter((v) => v < limit && (i === 0 || v >= all[i - 1]!)).length);
    const expLimits: number[] = [], expCounts: number[] = [];
    for (let i = 0; i < all.length; ) {
      let end = all[i]!, count = perBucket[i]!;
      i++;
      if (count === 0) while (i < all.length && perBucket[i] === 0) { end = all[i]!; count = 0; i++; }
      expLimits.push(end);
      expCounts.push(count);
    }
    assert.deepEqual(limits, expLimits);
    assert.deepEqual(counts, expCounts);
    assert.equal(counts.reduce((a, b) => a + b, 0), values.length);
    // 1 and 1.05 fall into the same 10%-wide bucket, 0 and 0 together.
    assert.ok(counts.includes(2));
    assert.throws(() => new SummaryWriter(dir).addHistogram("bad", [1, NaN], 0), /Histogram 'bad': values must be finite, got NaN/);
  });
});

test("text: a DT_STRING tensor tagged for the text plugin", () => {
  withDir((dir) => {
    const writer = new SummaryWriter(dir);
    writer.addText("notes", "# Title\n*ünïcode*", 2);
    writer.close();
    const [value] = summaryValues(decodeEvents(fs.readFileSync(writer.path)));
    assert.equal(value!.tag, "notes");
    assert.equal(value!.value.message(9).message(1).string(1), "text");
    const tensor = value!.value.message(8);
    assert.equal(tensor.int(1), 7); // DT_STRING
    assert.equal(tensor.all(8).map(String).join(), "# Title\n*ünïcode*");
  });
});

test("hparams: session_start_info in the run's own file, session_end_info on close", () => {
  withDir((dir) => {
    const writer = new SummaryWriter(dir);
    writer.addHparams({ lr: 0.01, optimizer: "adam", useGPU: true, layers: [64, 32], checkpoint: null });
    writer.addScalar("loss", 1, 0);
    writer.close();
    const values = summaryValues(decodeEvents(fs.readFileSync(writer.path)));
    assert.deepEqual(values.map((v) => v.tag), ["_hparams_/session_start_info", "loss", "_hparams_/session_end_info"]);
    const start = values[0]!.value;
    const plugin = start.message(9).message(1);
    assert.equal(plugin.string(1), "hparams");
    const data = new Message(plugin.bytesOf(2));
    assert.equal(data.int(1), 0); // version
    const info = data.message(3);
    const hparams = Object.fromEntries(info.messages(1).map((entry) => {
      const v = entry.message(2); // google.protobuf.Value: number 2, string 3, bool 4
      return [entry.string(1), v.has(2) ? v.double(2) : v.has(3) ? v.string(3) : v.varint(4) === 1n];
    }));
    assert.deepEqual(hparams, { lr: 0.01, optimizer: "adam", useGPU: true, layers: "[64,32]" });
    const sorted = JSON.stringify({ layers: "[64,32]", lr: 0.01, optimizer: "adam", useGPU: true });
    assert.equal(info.string(4), createHash("sha256").update(sorted).digest("hex"));
    assert.ok(Math.abs(info.double(5) - Date.now() / 1000) < 60);
    // The HParams plugin's null tensor: DT_FLOAT, shape [0].
    const tensor = start.message(8);
    assert.equal(tensor.int(1), 1);
    assert.equal(tensor.message(2).message(2).int(1), 0);
    const end = new Message(values[2]!.value.message(9).message(1).bytesOf(2)).message(4);
    assert.equal(end.int(1), 1); // STATUS_SUCCESS
  });
});

test("a directory has one shared writer; separate writers get unique file names", () => {
  withDir((dir) => {
    const a = SummaryWriter.forDirectory(dir);
    const b = SummaryWriter.forDirectory(path.join(dir, "."));
    assert.equal(a, b);
    const own = new SummaryWriter(dir);
    assert.notEqual(own.path, a.path);
    assert.match(path.basename(own.path), new RegExp(`\\.${process.pid}\\.\\d+$`));
    a.addScalar("x", 1, 1);
    a.close(); // b still holds it
    assert.equal(b.closed, false);
    b.addScalar("x", 2, 2);
    b.close();
    assert.equal(b.closed, true);
    own.close();
    assert.deepEqual(summaryValues(decodeEvents(fs.readFileSync(a.path))).map((v) => v.value.float(2)), [1, 2]);
    const c = SummaryWriter.forDirectory(dir);
    assert.notEqual(c, a);
    c.close();
    assert.equal(fs.readdirSync(dir).length, 3);
  });
});

test("buffered records reach the file on flush(), on a full buffer, and periodically", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-rec31-"));
  try {
    const writer = new SummaryWriter(dir, { flushSecs: 0.05, maxBufferBytes: 4096 });
    const size = (): number => fs.statSync(writer.path).size;
    const opened = size();
    writer.addScalar("a", 1, 1);
    assert.equal(size(), opened);
    writer.flush();
    const flushed = size();
    assert.ok(flushed > opened);
    for (let i = 0; i < 200; i++) writer.addScalar("a", i, i); // ~40 bytes each: fills 4 KiB
    assert.ok(size() > flushed);
    const before = size();
    writer.addScalar("late", 1, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(size() > before, "periodic flush");
    writer.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
