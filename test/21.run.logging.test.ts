import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { getLogger } from "../src/index.js";
import { getRankProvider, setRankProvider } from "../src/core/providers.js";
import { configureLogging, logWithStack, resetLogging, setLogRank } from "../src/core/run/logging.js";

/** What `fn` writes to stdout, with the real stdout silenced meanwhile. */
function captureStdout(fn: () => void, isTTY = false): string {
  const original = process.stdout.write;
  const originalTTY = process.stdout.isTTY;
  let out = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stdout.isTTY = isTTY;
  try {
    fn();
  } finally {
    process.stdout.write = original;
    process.stdout.isTTY = originalTTY;
  }
  return out;
}

const timestamp = String.raw`\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\]`;

test("getLogger: one logger per name", () => {
  assert.equal(getLogger("a.b"), getLogger("a.b"));
  assert.notEqual(getLogger("a.b"), getLogger("a.c"));
  assert.equal(getLogger("a.b").name, "a.b");
});

test("console: `[LEVEL] [name] message`, no debug records unless asked, printf-style arguments", () => {
  resetLogging();
  const log = getLogger("my.module");
  const out = captureStdout(() => {
    log.info("hello %s, %d", "world", 3);
    log.debug("hidden");
    log.warning("careful");
    log.warn("careful too");
    log.error("bad", { code: 1 });
  });
  assert.equal(out, "[INFO] [my.module] hello world, 3\n[WARNING] [my.module] careful\n[WARNING] [my.module] careful too\n[ERROR] [my.module] bad { code: 1 }\n");
});

test("log file: records with a timestamp, debug records with debug on, stacks in the file only", () => {
  const dir = mkdtempSync(join(tmpdir(), "pystematic-log-"));
  try {
    const file = join(dir, "log.txt");
    configureLogging({ logFile: file, debug: true, rank: null });
    const log = getLogger("file.test");
    const error = new TypeError("it broke");
    const out = captureStdout(() => {
      log.debug("details");
      log.info("progress");
      logWithStack(log, "error", "Experiment ended with an error: it broke", error);
    });
    resetLogging();
    captureStdout(() => log.info("after the run"));
    assert.equal(out, "[DEBUG] [file.test] details\n[INFO] [file.test] progress\n[ERROR] [file.test] Experiment ended with an error: it broke\n");
    const lines = readFileSync(file, "utf8").split("\n");
    assert.match(lines[0]!, new RegExp(`^${timestamp} \\[DEBUG\\] \\[file.test\\] details$`));
    assert.match(lines[1]!, new RegExp(`^${timestamp} \\[INFO\\] \\[file.test\\] progress$`));
    assert.match(lines[2]!, new RegExp(`^${timestamp} \\[ERROR\\] \\[file.test\\] Experiment ended with an error: it broke$`));
    assert.equal(lines[3], "TypeError: it broke");
    assert.match(lines[4]!, /^\s+at /);
    assert.ok(!readFileSync(file, "utf8").includes("after the run"), "records after the run stay out of the file");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("rank tag: after the level for subprocesses, and the global rank in distributed runs", () => {
  const log = getLogger("ranked");
  setLogRank(2);
  assert.equal(captureStdout(() => log.info("x")), "[INFO] [RANK 2] [ranked] x\n");
  setLogRank(null);
  const single = getRankProvider();
  setRankProvider({ getRank: () => 3, getNumProcesses: () => 4, isMaster: () => false });
  try {
    assert.equal(captureStdout(() => log.info("y")), "[INFO] [RANK 3] [ranked] y\n");
  } finally {
    setRankProvider(single);
  }
  assert.equal(captureStdout(() => log.info("z")), "[INFO] [ranked] z\n");
});

test("colour only on a TTY, and not with NO_COLOR", () => {
  const log = getLogger("coloured");
  const previous = process.env.NO_COLOR;
  delete process.env.NO_COLOR;
  try {
    assert.equal(captureStdout(() => log.info("c"), true), "\u001b[34m[INFO]\u001b[0m \u001b[32m[coloured]\u001b[0m c\n");
    assert.equal(captureStdout(() => log.error("e"), true), "\u001b[31m[ERROR]\u001b[0m \u001b[32m[coloured]\u001b[0m e\n");
    process.env.NO_COLOR = "1";
    assert.equal(captureStdout(() => log.info("c"), true), "[INFO] [coloured] c\n");
  } finally {
    if (previous === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = previous;
  }
});
