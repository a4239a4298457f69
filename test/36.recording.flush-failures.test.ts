// A flush that fails (a full disk) is an error naming the file, never a silent loss: at exit the
// process says which records were lost and exits non-zero; a failed flush keeps its records.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LineFile } from "../src/recording/backends/line-file.js";

const child = fileURLToPath(new URL("./fixtures/recording/full-disk-child.ts", import.meta.url));
const canMount = process.getuid?.() === 0 && spawnSync("unshare", ["--mount", "true"]).status === 0;

test("records that cannot be written at exit are reported with their file, and the exit code says so", { skip: canMount ? false : "needs root and unshare to mount a small tmpfs" }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-rec36-"));
  try {
    // A private mount namespace: the 256 KB tmpfs vanishes with the process.
    // (scalars.csv's 200 lines may still fit in its last page; the event file's records cannot.)
    const script = `mount -t tmpfs -o size=256k tmpfs "$1" && exec "$2" --import tsx "$3" "$1/run" "$1/filler"`;
    const result = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, "sh", dir, process.execPath, child], {
      encoding: "utf8",
    });
    assert.match(result.stdout, /buffered/, result.stderr);
    assert.notEqual(result.status, 0, "a run that lost records does not exit 0");
    assert.match(result.stderr, /records lost at exit: Cannot write \d+ bytes of records to '.*\/run\/events\.out\.tfevents\.[^']+': .*ENOSPC/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a failed flush keeps its lines for the next one and names the file", () => {
  const file = new LineFile("/dev/full");
  file.append("a line\n");
  assert.throws(() => file.flush(), (e: NodeJS.ErrnoException) => e.code === "ENOSPC" && /Cannot write 7 bytes of records to '\/dev\/full'/.test(e.message));
  assert.throws(() => file.flush(), /Cannot write 7 bytes/, "the line is still pending");
  assert.throws(() => file.close(), /Cannot write 7 bytes/);
});
