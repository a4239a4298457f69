// TFRecord framing and CRC32C: check values, round trips, corruption and torn tails.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readEvents, EventFileWriter } from "../src/recording/index.js";
import { crc32c, maskedCrc32c } from "../src/recording/crc32c.js";
import { frameRecord, scanRecords } from "../src/recording/record-file.js";
import { crc32cBitwise, mask } from "./fixtures/recording/wire.js";

test("CRC32C matches the standard check value and TensorBoard's masked check value", () => {
  assert.equal(crc32c(Buffer.from("123456789")), 0xe3069283);
  assert.equal(maskedCrc32c(Buffer.from("\x1a\x11CRC test, one two", "latin1")), 0x5794d08a);
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

test("the table-driven CRC equals a bitwise CRC on every length and offset", () => {
  const bytes = Buffer.alloc(300);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff;
  for (let start = 0; start < 9; start++) {
    for (let end = start; end <= bytes.length; end += 13) {
      assert.equal(crc32c(bytes, start, end), crc32cBitwise(bytes.subarray(start, end)), `${start}..${end}`);
    }
  }
  assert.equal(maskedCrc32c(bytes), mask(crc32cBitwise(bytes)));
});

test("records round-trip through framing, with the layout length, crc, data, crc", () => {
  const payloads = [Buffer.from(""), Buffer.from("a"), Buffer.alloc(70000, 3)];
  const file = Buffer.concat(payloads.map(frameRecord));
  assert.equal(file.length, payloads.reduce((n, p) => n + p.length + 16, 0));
  assert.equal(file.readBigUInt64LE(0), 0n);
  assert.equal(file.readUInt32LE(8), mask(crc32cBitwise(file.subarray(0, 8))));
  const scan = scanRecords(file);
  assert.equal(scan.tornTail, false);
  assert.deepEqual(scan.records.map((r) => Buffer.from(r)), payloads);
});

test("a flipped bit in a length or in data is reported as a CRC mismatch with its offset", () => {
  const file = Buffer.concat([frameRecord(Buffer.from("first")), frameRecord(Buffer.from("second"))]);
  const lengthHit = Buffer.from(file);
  lengthHit[21 + 1] ^= 1; // second record's length (first record is 5 + 16 = 21 bytes)
  assert.throws(() => scanRecords(lengthHit), /length CRC mismatch in the record at byte 21/);
  const dataHit = Buffer.from(file);
  dataHit[21 + 12] ^= 0x40;
  assert.throws(() => scanRecords(dataHit), /data CRC mismatch in the record at byte 21/);
  const crcHit = Buffer.from(file);
  crcHit[file.length - 1] ^= 0x80;
  assert.throws(() => scanRecords(crcHit), /data CRC mismatch/);
});

test("a file cut anywhere inside its last record yields every earlier record", () => {
  const payloads = ["one", "two", "three"].map((s) => Buffer.from(s));
  const file = Buffer.concat(payloads.map(frameRecord));
  const lastStart = file.length - (5 + 16);
  for (let cut = lastStart + 1; cut < file.length; cut++) {
    const scan = scanRecords(file.subarray(0, cut));
    assert.equal(scan.tornTail, true, `cut at ${cut}`);
    assert.deepEqual(scan.records.map(String), ["one", "two"]);
  }
  assert.deepEqual(scanRecords(file.subarray(0, lastStart)).records.map(String), ["one", "two"]);
});

test("readEvents stops cleanly at a torn last event; damage keeps the good events before it and says where", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-rec30-"));
  try {
    const writer = new EventFileWriter(dir, { flushSecs: 0 });
    for (let step = 1; step <= 3; step++) {
      writer.writeEvent({ wallTime: 1, step, summary: { value: [{ tag: "x", simpleValue: step / 2 }] } });
    }
    writer.close();
    const whole = fs.readFileSync(writer.path);
    const events = readEvents(writer.path);
    assert.equal(events[0]!.fileVersion, "brain.Event:2");
    assert.deepEqual(events.slice(1).map((e) => [e.step, e.summary!.value[0]!.simpleValue]), [[1, 0.5], [2, 1], [3, 1.5]]);

    fs.writeFileSync(writer.path, whole.subarray(0, whole.length - 3));
    assert.deepEqual(readEvents(writer.path).map((e) => e.step), [0, 1, 2]);

    const corrupt = Buffer.from(whole);
    corrupt[whole.length - 6] ^= 0xff;
    fs.writeFileSync(writer.path, corrupt);
    const told: string[] = [];
    assert.deepEqual(readEvents(writer.path, { onDamage: (m) => told.push(m) }).map((e) => e.step), [0, 1, 2]);
    assert.equal(told.length, 1);
    assert.match(told[0]!, /data CRC mismatch in the record at byte \d+; kept the 3 events before it$/);
    assert.throws(() => readEvents(writer.path, { strict: true }), /data CRC mismatch/);

    // Garbage after valid records (the case: 12+ bytes appended) keeps all of them.
    fs.writeFileSync(writer.path, Buffer.concat([whole, Buffer.alloc(16, 0x5a)]));
    assert.deepEqual(readEvents(writer.path, { onDamage: () => {} }).map((e) => e.step), [0, 1, 2, 3]);
    // Without a handler the damage is a process warning naming the file.
    const warnings: Error[] = [];
    const listener = (w: Error): number => warnings.push(w);
    process.on("warning", listener);
    try {
      assert.equal(readEvents(writer.path).length, 4);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listener);
    }
    assert.ok(warnings.some((w) => w.message.includes(writer.path) && w.message.includes("length CRC mismatch")), String(warnings));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
