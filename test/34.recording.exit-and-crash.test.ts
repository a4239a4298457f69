// Buffered records survive process.exit(), the end of the event loop, SIGINT and SIGTERM (exit
// 130/143, without the Recorder's listener deferring a busy process: test/29); SIGKILL
// loses only the unflushed tail and leaves the file readable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readEvents } from "../src/recording/index.js";

const child = fileURLToPath(new URL("./fixtures/recording/writer-child.ts", import.meta.url));

interface Ended { code: number | null; signal: NodeJS.Signals | null; dir: string }

function runChild(mode: string, sendSignal?: NodeJS.Signals): Promise<Ended> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-rec34-"));
  const proc = spawn(process.execPath, ["--import", "tsx", child, dir, mode], { stdio: ["ignore", "pipe", "inherit"] });
  proc.stdout.on("data", (chunk: Buffer) => {
    if (sendSignal && chunk.toString().includes("ready")) proc.kill(sendSignal);
  });
  return new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal, dir })));
}

function recorded(dir: string): { tags: string[]; csv: string } {
  const file = fs.readdirSync(dir).find((f) => f.includes("tfevents"))!;
  const tags = readEvents(path.join(dir, file)).flatMap((e) => (e.summary?.value ?? []).map((v) => `${v.tag}@${e.step}`));
  return { tags, csv: fs.readFileSync(path.join(dir, "scalars.csv"), "utf8") };
}

const allLoss = ["loss@0", "loss@1", "loss@2", "loss@3", "loss@4"];
const csv = "step, tag, value\n0, loss, 0\n1, loss, 1\n2, loss, 2\n3, loss, 3\n4, loss, 4\n";

for (const [mode, signal] of [["exit", undefined], ["natural", undefined], ["signal", "SIGTERM"], ["signal", "SIGINT"]] as const) {
  test(`buffered records are flushed when the process ends by ${signal ?? mode}`, async () => {
    const ended = await runChild(mode, signal);
    try {
      // An interrupted process exits as the signal would have (src/core/run/interrupt.ts).
      if (signal) assert.equal(ended.code, 128 + os.constants.signals[signal], "the signal still ends the process");
      else assert.equal(ended.code, mode === "exit" ? 3 : 0);
      assert.deepEqual(recorded(ended.dir), { tags: allLoss, csv });
    } finally {
      fs.rmSync(ended.dir, { recursive: true, force: true });
    }
  });
}

test("a program's own SIGTERM handler decides the exit; records are flushed all the same", async () => {
  const ended = await runChild("own-handler", "SIGTERM");
  try {
    assert.equal(ended.code, 7);
    assert.deepEqual(recorded(ended.dir), { tags: allLoss, csv });
  } finally {
    fs.rmSync(ended.dir, { recursive: true, force: true });
  }
});

test("SIGKILL loses only the unflushed tail; the file stays readable", async () => {
  const ended = await runChild("kill", "SIGKILL");
  try {
    assert.equal(ended.signal, "SIGKILL");
    assert.deepEqual(recorded(ended.dir), { tags: allLoss, csv });
  } finally {
    fs.rmSync(ended.dir, { recursive: true, force: true });
  }
});
