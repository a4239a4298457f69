// iterate(): a progress bar with rate and ETA on the master's terminal, plain periodic lines
// when not a terminal, nothing on other ranks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { getRankProvider, setRankProvider } from "../src/index.js";
import { iterate, type ProgressStream } from "../src/torch-plugin/index.js";
import { formatProgress } from "../src/torch-plugin/iterate.js";

function stream(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    columns: 100,
    text: "",
    write(t: string) {
      this.text += t;
    },
  };
}

test("formatProgress: tqdm's layout with percentage, counts, elapsed<ETA and rate", () => {
  assert.equal(formatProgress(450, 1000, 12, "train", 0), "train:  45% 450/1000 [00:12<00:14, 37.50it/s]");
  assert.equal(formatProgress(5, 10, 1, undefined, 10), " 50%|█████     | 5/10 [00:01<00:01, 5.00it/s]");
  assert.equal(formatProgress(3, undefined, 6, "x", 10), "x: 3it [00:06, 2.00s/it]");
  assert.equal(formatProgress(0, 10, 0, undefined, 0), "  0% 0/10 [00:00<?, ?it/s]");
  assert.equal(formatProgress(1, 7200, 2, undefined, 0), "  0% 1/7200 [00:02<3:59:58, 2.00s/it]");
});

test("on a terminal: one redrawn line ending in 100% and a newline; items pass through unchanged", () => {
  const out = stream(true);
  const items = [...iterate([1, 2, 3], { desc: "epoch 1", stream: out })];
  assert.deepEqual(items, [1, 2, 3]);
  assert.ok(out.text.startsWith("\repoch 1:   0%|"), JSON.stringify(out.text));
  assert.match(out.text, /\repoch 1: 100%\|█+\| 3\/3 \[00:00<00:00, [\d.]+it\/s\]\u001b\[K\n$/);
  assert.equal(out.text.split("\n").length, 2, "a single line");
});

test("not a terminal: plain lines at the interval and at the end; total from length, size or the option", () => {
  const out = stream(false);
  for (const _ of iterate(new Set([1, 2, 3, 4]), { stream: out, interval: 3600 })) void _;
  assert.match(out.text, /^100% 4\/4 \[00:00<00:00, [\d.]+it\/s\]\n$/);
  const every = stream(false);
  for (const _ of iterate((function* () { yield 1; yield 2; })(), { stream: every, interval: 0, total: 2 })) void _;
  assert.deepEqual(
    every.text.replace(/\n$/, "").split("\n").map((l) => l.split(" [")[0]),
    [" 50% 1/2", "100% 2/2", "100% 2/2"],
  );
});

test("breaking out of the loop closes the bar; async iterables work with for await", async () => {
  const out = stream(false);
  for (const x of iterate([1, 2, 3, 4], { stream: out, interval: 3600 })) if (x === 2) break;
  assert.match(out.text, /^ 25% 1\/4 /);
  const asyncOut = stream(false);
  async function* gen() {
    yield "a";
    yield "b";
  }
  const seen: string[] = [];
  for await (const x of iterate(gen(), { stream: asyncOut, interval: 3600 })) seen.push(x);
  assert.deepEqual(seen, ["a", "b"]);
  assert.match(asyncOut.text, /^2it \[/);
});

test("on ranks other than the master: the iterable itself, no output", () => {
  const previous = getRankProvider();
  setRankProvider({ getRank: () => 1, getNumProcesses: () => 2, isMaster: () => false });
  try {
    const data = [1, 2];
    const out = stream(true);
    assert.equal(iterate(data, { stream: out }), data);
    assert.equal(out.text, "");
  } finally {
    setRankProvider(previous);
  }
  assert.throws(() => iterate(5 as never), /iterate\(\): expected an iterable/);
});
