// The `pystematic` bin: runs experiments defined in a .ts or .js file, with the file's own entry
// points turned off so each experiment runs once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const tsScript = fileURLToPath(new URL("./fixtures/core/cli-script.ts", import.meta.url));
const jsScript = fileURLToPath(new URL("./fixtures/core/plain-script.js", import.meta.url));
const emptyScript = fileURLToPath(new URL("./fixtures/core/empty-script.js", import.meta.url));

function pystematic(args: string[]) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, ["--import", "tsx", bin, ...args], { encoding: "utf8", env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("lists the experiments of a TypeScript file, named as the bin was called", () => {
  const r = pystematic([tsScript]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Usage: pystematic ${tsScript.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} \\[group \\.\\.\\.\\] <experiment> \\[options\\]\n`));
  assert.match(r.stdout, /\n {4}eval {5}Evaluate a checkpoint\.\n/);
  // The script's own globalEntrypoint() was turned off: one listing only.
  assert.equal(r.stdout.match(/Usage:/g)?.length, 1);
});

test("runs a group member once, with its options", () => {
  const r = pystematic([tsScript, "tools", "eval", "--ckpt", "model.pt"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n"), ['RESULT tools/eval {"device":"cpu","ckpt":"model.pt"}']);
});

test("runs a JavaScript file; the script sees itself as the program", () => {
  const r = pystematic([jsScript, "hello", "--who", "you"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'RESULT hello you argv=["hello","--who","you"]\n');
});

test("usage errors of the bin and of the script's CLI exit 2", () => {
  const none = pystematic([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^Error: No script given\.\nUsage: pystematic <file\.ts\|file\.js> \[group \.\.\.\] <experiment> \[options\]\n$/);
  const missing = pystematic(["does-not-exist.ts"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^Error: Cannot find script 'does-not-exist\.ts'\./);
  const unknown = pystematic([jsScript, "helo"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^Error: Unknown experiment 'helo'\. Did you mean 'hello'\?\nRun 'pystematic .*plain-script\.js --help' to list the experiments\.\n$/);
  const empty = pystematic([emptyScript]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /^Error: '.*empty-script\.js' defines no experiments/);
  const help = pystematic(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: pystematic/);
});

test("main's exception through the bin: exit 1 with the stack", () => {
  const r = pystematic([tsScript, "crash"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error: boom in main\n\s+at /);
});

test("a script that would load as CommonJS gets a clear error, exit 2", async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "pst-cjs-"));
  try {
    const script = join(dir, "train.ts");
    writeFileSync(script, "export {};\n");
    writeFileSync(join(dir, "package.json"), '{ "name": "x" }\n');
    const r = pystematic([script, "train"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /would load as CommonJS \(.*package\.json has no "type": "module"\).*\n.*name the script \.mts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
