// Fixed-size int lists (`int[2]`, `SymInt[4]` in the schema) given the wrong length, and the other
// calls issue 23's fuzzing found crashing the process: each is a JS error, never a signal. Each
// call runs in a child process, so a crash fails the test instead of ending it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/ops/${name}`, import.meta.url));
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", fixture(script), ...args], { encoding: "utf8", maxBuffer: 64 << 20 });

test("the calls the fuzzing found crashing are JS errors naming op and parameter", () => {
  const list = run("known-crasher.ts", ["--list"]);
  assert.equal(list.status, 0, list.stderr);
  const cases = JSON.parse(list.stdout) as string[];
  assert.ok(cases.length >= 7);
  for (const name of cases) {
    const r = run("known-crasher.ts", [name]);
    assert.equal(r.signal, null, `${name} killed the process with ${r.signal}`);
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim()) as { threw?: string; returned?: boolean };
    assert.ok(out.threw !== undefined, `${name} returned instead of throwing`);
    if (name.startsWith("nativeChannelShuffle")) {
      assert.match(out.threw, /^Error: torch\.nativeChannelShuffle .*(divisible by groups|must be positive)/s);
    } else {
      assert.match(out.threw, /^TypeError: .*argument '(padding|output_size|blocksize|kernel_size)' must be (Sym)?[Ii]nt\[\d\]/s, name);
    }
  }
});

test("every op's fixed-size int list of a wrong length: an error, never a crash", () => {
  const r = run("fixed-lists-sweep.ts", []);
  const lastCall = r.stderr.trim().split("\n").at(-1);
  assert.equal(r.signal, null, `the sweep crashed with ${r.signal} at: ${lastCall}`);
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  const done = lines.at(-1)!.done as number;
  assert.ok(done > 100, `${done} calls`);
  for (const o of lines.slice(0, -1)) {
    // With one overload, binding itself refuses the list, naming the parameter.
    if (o.single) {
      assert.ok(o.type === true && String(o.error).includes(`argument '${String(o.param)}'`), `${String(o.label)}: ${String(o.error)}`);
    }
  }
});

test("one integer, or a one-element list, still stands for int[N], as in PyTorch", async () => {
  const { default: torch } = await import("../src/torch-plugin/index.js");
  const x = torch.randn([1, 1, 4, 4]);
  assert.deepEqual(torch.maxPool2d(x, 2).shape, [1, 1, 2, 2]);
  assert.deepEqual(torch.maxPool2d(x, [2]).shape, [1, 1, 2, 2]);
  assert.deepEqual(torch.reflectionPad2d(x, [1]).shape, [1, 1, 6, 6]);
  assert.deepEqual(torch.reflectionPad2d(x, 1).shape, [1, 1, 6, 6]);
  // An empty list where the schema's default is `[]` (max_pool2d's stride: "same as kernel_size").
  assert.deepEqual(torch.maxPool2d(x, 2, []).shape, [1, 1, 2, 2]);
});
