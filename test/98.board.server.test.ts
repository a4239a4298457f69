// pystematic board, server side: which directories are runs, their status, parameters, sweep
// marker and values in every form (ours, fifteen's, TensorBoard 2.x's), live reading of growing
// and torn event files, restarts, and a server that reads only what it should.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startBoard, type Board, type RunSummary } from "../src/board/index.js";
import { EventFileWriter } from "../src/recording/index.js";
import { eventType } from "../src/recording/proto.js";
import { scanRecords } from "../src/recording/record-file.js";
import { decodeEvent } from "../src/board/event-decoder.js";
import { int64ToNumber, type DecodedEvent } from "../src/board/event-tail.js";
import { Recorder } from "../src/recording/index.js";
import { makeBoardRuns, sweepAccuracy, sweepLoss, STEPS, SWEEP_ID, SWEEP_LRS, HOSTILE_TAG, HOSTILE_TEXT, type FixtureRuns } from "./fixtures/board/make-runs.js";

let root: string;
let runs: FixtureRuns;
let board: Board;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pst-board98-"));
  runs = makeBoardRuns(root);
  board = await startBoard({ dirs: [root], port: 0 });
});

after(async () => {
  await board?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function summaries(b: Board = board): Promise<RunSummary[]> {
  const response = await fetch(`${b.url}api/runs`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { runs: RunSummary[] }).runs;
}

function byName(list: RunSummary[], name: string): RunSummary {
  const run = list.find((r) => r.name === name);
  assert.ok(run, `no run ${name} in ${list.map((r) => r.name).join(", ")}`);
  return run;
}

async function scalars(runId: string, tag: string, b: Board = board): Promise<{ steps: number[]; wallTimes: number[]; values: number[] }> {
  const response = await fetch(`${b.url}api/scalars?run=${encodeURIComponent(runId)}&tag=${encodeURIComponent(tag)}`);
  assert.equal(response.status, 200);
  const all = new Float64Array(await response.arrayBuffer());
  const n = all[0]!;
  return { steps: [...all.subarray(1, 1 + n)], wallTimes: [...all.subarray(1 + n, 1 + 2 * n)], values: [...all.subarray(1 + 2 * n)] };
}

/** A GET with the path sent exactly as given (fetch would normalise `..`). */
function rawGet(port: number, requestPath: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path: requestPath, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    request.on("error", reject);
    request.end();
  });
}

const f32 = (v: number): number => Math.fround(v);

test("finds pystematic, fifteen and TensorBoard 2.x run directories, and nothing else", async () => {
  const list = await summaries();
  assert.deepEqual(list.map((r) => [r.name, r.kind]).sort(), [
    ["experiments/mnist-fifteen", "fifteen"],
    ["output/eval/2026-11-30_09-00-00_intr01", "pystematic"],
    ["output/hostile/2026-12-02_08-00-00_xss001", "pystematic"],
    ["output/train/2026-12-01_10-00-00_run000", "pystematic"],
    ["output/train/2026-12-01_10-01-00_run001", "pystematic"],
    ["output/train/2026-12-01_10-02-00_run002", "pystematic"],
    ["output/train/2026-12-01_10-03-00_run003", "pystematic"],
    ["tb2/run_a", "tensorboard"],
  ]);
  for (const run of list) assert.deepEqual(run.problems, [], run.name);
});

test("the board's event decoder gives what protobufjs gives, for every record of every fixture file", () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else if (entry.name.includes("tfevents")) files.push(path.join(dir, entry.name));
    }
  };
  walk(root);
  const plain = (event: DecodedEvent): unknown => JSON.parse(JSON.stringify({ ...event, step: int64ToNumber(event.step) }));
  let records = 0, scalarValues = 0;
  for (const file of files) {
    for (const record of scanRecords(fs.readFileSync(file)).records) {
      const reference = eventType().decode(record) as unknown as DecodedEvent & { fileVersion?: string };
      const ours = decodeEvent(record);
      const { fileVersion: _ignored, ...withoutVersion } = plain(reference) as Record<string, unknown>;
      assert.deepEqual(plain(ours), withoutVersion, file);
      records++;
      scalarValues += ours.summary?.value.filter((v) => v.simpleValue !== undefined).length ?? 0;
    }
  }
  assert.ok(files.length >= 7 && records > 300 && scalarValues > 400, `${files.length} files, ${records} records, ${scalarValues} scalars`);
  // Negative steps (int64) and damage.
  const negative = Buffer.from(eventType().encode({ wallTime: 1.5, step: -3, summary: { value: [{ tag: "t", simpleValue: 0.5 }] } }).finish());
  assert.deepEqual(plain(decodeEvent(negative)), { wallTime: 1.5, step: -3, summary: { value: [{ tag: "t", simpleValue: 0.5 }] } });
  assert.throws(() => decodeEvent(negative.subarray(0, negative.length - 2)));
});

test("status: finished and failed from the log's end record, interrupted without one, file times for folders without a log", async () => {
  const list = await summaries();
  assert.deepEqual(list.filter((r) => r.experiment === "train").map((r) => r.status), ["finished", "finished", "failed", "finished"]);
  assert.equal(byName(list, "output/eval/2026-11-30_09-00-00_intr01").status, "interrupted");
  assert.equal(byName(list, "experiments/mnist-fifteen").status, "finished");
  assert.equal(byName(list, "tb2/run_a").status, "finished");
});

test("a run: experiment, start time from its directory name, parameters.yaml, sweep marker, hparams, last and best values", async () => {
  const run = byName(await summaries(), "output/train/2026-12-01_10-01-00_run001");
  assert.equal(run.experiment, "train");
  assert.equal(run.startTime, new Date(2026, 11, 1, 10, 1, 0).getTime());
  assert.deepEqual({ ...run.params, output_dir: null }, { batch_size: 32, debug: false, lr: 0.01, optimizer: "adam", output_dir: null, random_seed: 101 });
  assert.deepEqual(run.sweep, { id: SWEEP_ID, index: 1, count: 4, overrides: { lr: 0.01, optimizer: "adam" } });
  assert.deepEqual(run.hparams, { lr: 0.01, optimizer: "adam" });
  const losses = Array.from({ length: STEPS }, (_, s) => f32(sweepLoss(1, s)));
  assert.deepEqual(run.scalars["train/loss"], { count: STEPS, lastStep: STEPS - 1, last: losses.at(-1), min: Math.min(...losses), max: Math.max(...losses) });
  assert.equal(run.scalars["val/accuracy"]!.max, f32(sweepAccuracy(1, STEPS - 1)));
  assert.deepEqual([run.images, run.histograms, run.texts], [["samples/input"], ["weights/layer1"], ["notes"]]);
});

test("scalar points come back exactly, in step order, with their wall times", async () => {
  const run = byName(await summaries(), "output/train/2026-12-01_10-03-00_run003");
  const points = await scalars(run.id, "train/loss");
  assert.deepEqual(points.steps, Array.from({ length: STEPS }, (_, s) => s));
  assert.deepEqual(points.values, points.steps.map((s) => f32(sweepLoss(3, s))));
  assert.ok(points.wallTimes.every((t) => t > 1.7e9 && t < 4e9));
});

test("TensorBoard 2.x forms: tensor scalars (float_val and float64 tensor_content), [k, 3] histograms, string-tensor text", async () => {
  const run = byName(await summaries(), "tb2/run_a");
  assert.deepEqual(Object.keys(run.scalars), ["epoch_loss", "epoch_lr"]);
  const loss = await scalars(run.id, "epoch_loss");
  assert.deepEqual(loss.values, Array.from({ length: 40 }, (_, s) => f32(1 / (s + 1))));
  assert.deepEqual(loss.wallTimes.slice(0, 3), [1_700_000_000, 1_700_000_001, 1_700_000_002]);
  const lr = await scalars(run.id, "epoch_lr");
  assert.deepEqual(lr.values, Array.from({ length: 40 }, (_, s) => 0.1 * 0.95 ** s), "float64 values are not rounded to float32");
  const histograms = (await (await fetch(`${board.url}api/histograms?run=${run.id}&tag=tf2/weights`)).json()) as { step: number; histogram: unknown }[];
  assert.deepEqual(histograms.map((h) => [h.step, h.histogram]), [
    [0, { buckets: [-1, 0, 3, 0, 1, 5, 1, 2, 2], min: -1, max: 2, num: 10 }],
    [10, { buckets: [-2, 0, 4, 0, 2, 6], min: -2, max: 2, num: 10 }],
  ]);
  const texts = (await (await fetch(`${board.url}api/texts?run=${run.id}&tag=tf2/notes`)).json()) as { text: string }[];
  assert.deepEqual(texts.map((t) => t.text), ["written by a TensorBoard 2.x writer"]);
});

test("our histograms: TensorFlow's buckets, outer edges clipped to the data's range, counts kept", async () => {
  const run = byName(await summaries(), "output/train/2026-12-01_10-00-00_run000");
  const entries = (await (await fetch(`${board.url}api/histograms?run=${run.id}&tag=weights/layer1`)).json()) as { step: number; histogram: { buckets: number[]; min: number; max: number; num: number } }[];
  assert.deepEqual(entries.map((e) => e.step), [0, 20, 40]);
  for (const { histogram } of entries) {
    const counts = histogram.buckets.filter((_, i) => i % 3 === 2);
    assert.equal(counts.reduce((a, b) => a + b, 0), 200);
    assert.equal(histogram.buckets[0], histogram.min);
    assert.equal(histogram.buckets.at(-2), histogram.max);
  }
});

test("images are served as the PNG the Recorder wrote, by index", async () => {
  const run = byName(await summaries(), "output/train/2026-12-01_10-02-00_run002");
  const list = (await (await fetch(`${board.url}api/images?run=${run.id}&tag=samples/input`)).json()) as { step: number; width: number; height: number }[];
  assert.deepEqual(list.map((e) => [e.step, e.width, e.height]), [[0, 16, 16], [20, 16, 16], [40, 16, 16]]);
  const png = await fetch(`${board.url}api/image?run=${run.id}&tag=samples/input&index=2`);
  assert.equal(png.headers.get("content-type"), "image/png");
  assert.equal(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString(), "PNG");
  assert.equal((await fetch(`${board.url}api/image?run=${run.id}&tag=samples/input&index=3`)).status, 404);
});

test("hostile tags and text are data: the API returns them verbatim as JSON strings", async () => {
  const run = byName(await summaries(), "output/hostile/2026-12-02_08-00-00_xss001");
  assert.deepEqual(Object.keys(run.scalars), [HOSTILE_TAG]);
  const texts = (await (await fetch(`${board.url}api/texts?run=${run.id}&tag=${encodeURIComponent(HOSTILE_TAG)}`)).json()) as { text: string }[];
  assert.equal(texts[0]!.text, HOSTILE_TEXT);
});

test("reads only: path traversal, unknown routes and writes are refused; nothing outside the folders is served", async () => {
  const secret = path.join(os.tmpdir(), `pst-board-secret-${process.pid}.txt`);
  fs.writeFileSync(secret, "SECRET-CONTENT");
  try {
    const relativeSecret = path.relative(path.join(root, "output"), secret);
    const attempts = [
      "/ui/../server.ts", "/ui/..%2fserver.ts", "/ui/%2e%2e/%2e%2e/package.json", "/vendor/../../../package.json",
      "/ui/../../../../../../etc/passwd", "//etc/passwd", "/api/../../etc/passwd", `/ui/${encodeURIComponent(`../../${relativeSecret}`)}`,
      `/api/scalars?run=${encodeURIComponent(`../${relativeSecret}`)}&tag=x`, `/api/image?run=r1&tag=${encodeURIComponent(secret)}&index=0`,
      "/api/file?path=/etc/passwd", "/output/train/2026-12-01_10-00-00_run000/parameters.yaml",
    ];
    for (const attempt of attempts) {
      const { status, body } = await rawGet(board.port, attempt);
      assert.ok(status === 404 || status === 400, `${attempt}: ${status}`);
      assert.ok(!body.includes("SECRET-CONTENT") && !body.includes("root:") && !body.includes('"name": "pystematic"'), attempt);
    }
    assert.equal((await rawGet(board.port, "/api/runs", {}, "POST")).status, 405);
    assert.equal((await rawGet(board.port, "/api/runs", {}, "DELETE")).status, 405);
    // A page on another site reaching us through a DNS name it controls.
    assert.equal((await rawGet(board.port, "/api/runs", { host: "evil.example:80" })).status, 403);
    const page = await fetch(board.url);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  } finally {
    fs.rmSync(secret, { force: true });
  }
});

test("binds 127.0.0.1 by default; bad arguments are errors that name the parameter", async () => {
  assert.match(board.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  await assert.rejects(startBoard({ dirs: [path.join(root, "missing")], port: 0 }), /startBoard\(\): '.*missing' is not a folder/);
  await assert.rejects(startBoard({ dirs: [root], port: 70000 }), /startBoard\(\): port must be an integer in 0\.\.65535/);
});

test("live: points appended to an event file appear; a torn last record is waited for, never an error", async () => {
  const dir = path.join(root, "live", "run");
  const recorder = new Recorder(dir, { file: false });
  recorder.scalar("live/x", 1);
  recorder.step();
  recorder.flush();
  await new Promise((r) => setTimeout(r, 1100)); // the board rescans for new runs every second
  let run = byName(await summaries(), "live/run");
  assert.equal(run.scalars["live/x"]!.count, 1);
  const file = fs.readdirSync(dir).find((n) => n.includes("tfevents"))!;
  // A writer caught mid-record: the first part of an event is on disk, the rest comes later.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pst-board98-scratch-"));
  const writer = new EventFileWriter(scratch);
  writer.writeEvent({ wallTime: Date.now() / 1000, step: 7, summary: { value: [{ tag: "live/x", simpleValue: 7 }] } });
  writer.close();
  const lastRecord = lastFrame(fs.readFileSync(writer.path));
  fs.rmSync(scratch, { recursive: true, force: true });
  const eventPath = path.join(dir, file);
  recorder.close();
  fs.appendFileSync(eventPath, lastRecord.subarray(0, 10));
  await new Promise((r) => setTimeout(r, 600));
  run = byName(await summaries(), "live/run");
  assert.deepEqual(run.problems, []);
  assert.equal(run.scalars["live/x"]!.count, 1);
  fs.appendFileSync(eventPath, lastRecord.subarray(10));
  await new Promise((r) => setTimeout(r, 600));
  run = byName(await summaries(), "live/run");
  assert.deepEqual(run.problems, []);
  assert.deepEqual(run.scalars["live/x"], { count: 2, lastStep: 7, last: 7, min: 1, max: 7 });
});

/** The last TFRecord frame of an event file. */
function lastFrame(file: Buffer): Buffer {
  let at = 0, start = 0;
  while (at < file.length) {
    start = at;
    at += 16 + Number(file.readBigUInt64LE(at));
  }
  return file.subarray(start);
}

test("a damaged record stops that file there: the records before it are kept, the damage is reported", async () => {
  const dir = path.join(root, "damaged", "run");
  const recorder = new Recorder(dir, { file: false });
  for (let s = 0; s < 3; s++) {
    recorder.scalar("d", s);
    recorder.step();
  }
  recorder.close();
  const file = path.join(dir, fs.readdirSync(dir).find((n) => n.includes("tfevents"))!);
  const bytes = fs.readFileSync(file);
  bytes[bytes.length - 6] ^= 0xff; // inside the last record's data: its CRC no longer matches
  fs.writeFileSync(file, bytes);
  await new Promise((r) => setTimeout(r, 1100));
  const run = byName(await summaries(), "damaged/run");
  assert.equal(run.scalars.d!.count, 2);
  assert.equal(run.problems.length, 1);
  assert.match(run.problems[0]!, /data CRC mismatch in the record at byte \d+/);
});

test("a restarted run: steps from every event file, the later wall time winning where steps repeat", async () => {
  const dir = path.join(root, "restarted", "run");
  const recorder = new Recorder(dir, { file: false });
  for (let s = 0; s < 10; s++) {
    recorder.scalar("r", 100 + s);
    recorder.step();
  }
  recorder.close();
  await new Promise((r) => setTimeout(r, 1100)); // a later second: the new file's wall times are later
  const resumed = new Recorder(dir, { file: false });
  resumed.loadStateDict({ count: 5 });
  for (let s = 5; s < 12; s++) {
    resumed.scalar("r", 200 + s);
    resumed.step();
  }
  resumed.close();
  assert.equal(fs.readdirSync(dir).filter((n) => n.includes("tfevents")).length, 2);
  await new Promise((r) => setTimeout(r, 1100));
  const run = byName(await summaries(), "restarted/run");
  const points = await scalars(run.id, "r");
  assert.deepEqual(points.steps, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(points.values, [100, 101, 102, 103, 104, 205, 206, 207, 208, 209, 210, 211]);
});

test("the sweep driver's marker is what the board groups by", async () => {
  const members = (await summaries()).filter((r) => r.sweep?.id === SWEEP_ID);
  assert.deepEqual(members.map((r) => [r.sweep!.index, r.sweep!.overrides.lr]), SWEEP_LRS.map((lr, i) => [i, lr]));
});

test("`pystematic board <dir> --port 0` serves the runs and prints its address; a missing folder exits 2", async () => {
  const bin = path.resolve("src/bin.ts");
  const child = spawn(process.execPath, ["--import", "tsx", bin, "board", root, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /pystematic board: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const list = (await (await fetch(`${url}api/runs`)).json()) as { runs: RunSummary[] };
    assert.ok(list.runs.length >= 8);
  } finally {
    child.kill("SIGTERM");
  }
  const missing = spawn(process.execPath, ["--import", "tsx", bin, "board", path.join(root, "nope")], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  missing.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => missing.on("exit", resolve));
  assert.equal(code, 2);
  assert.match(stderr, /^Error: '.*nope' is not a folder\n$/);
});
