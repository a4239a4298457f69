// Help layout details, in process: long flags, wrapping, defaults, choices, the empty listing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { experiment, group, parameter, UsageError } from "../src/core/index.js";
import { experimentHelp, listing, styleFor } from "../src/core/help.js";

const plain = styleFor({ isTTY: false } as NodeJS.WriteStream);

test("long flags put their help on the next line; every line fits 80 columns", () => {
  const exp = experiment(
    {
      name: "long",
      params: {
        aVeryLongParameterNameThatNeedsRoom: parameter({ type: "int", default: 1, help: "Short." }),
        text: parameter({ help: "word ".repeat(40).trim() }),
      },
    },
    () => {},
  );
  const lines = experimentHelp(exp, "prog long", plain).split("\n");
  const i = lines.indexOf("  --a-very-long-parameter-name-that-needs-room <int>");
  assert.ok(i > 0, lines.join("\n"));
  assert.match(lines[i + 1]!, /^ {20,}Short\. Default: 1\.$/);
  assert.ok(lines.every((l) => l.length <= 80));
  assert.ok(lines.filter((l) => l.includes("word")).length >= 3);
});

test("defaults shown: the experiment's override, defaultHelp, lists; computed ones without defaultHelp are left out", () => {
  const exp = experiment(
    {
      name: "defaults-help",
      params: {
        over: parameter({ type: "int", default: 1 }),
        computed: parameter({ type: "int", default: () => 3 }),
        sizes: parameter({ type: "int", multiple: true, default: [1, 2] }),
        empty: parameter({ default: "" }),
        mode: parameter({ allowedValues: ["alpha", "beta", "gamma", "delta", "epsilon"], required: true }),
      },
      defaults: { over: 5 },
    },
    () => {},
  );
  const text = experimentHelp(exp, "p", plain);
  assert.match(text, /--over <int> +Default: 5\.\n/);
  assert.match(text, /--computed <int>\n/);
  assert.match(text, /--sizes <int\.\.\.> +Default: \[1, 2\]\.\n/);
  assert.match(text, /--empty <value> +Default: ""\.\n/);
  assert.match(text, /--mode <choice> +One of: alpha, beta, gamma, delta, epsilon\. Required\.\n/);
});

test("an empty script lists nothing; an unknown name without close ones lists what exists", async () => {
  assert.equal(listing([], "prog", plain), "Usage: prog [group ...] <experiment> [options]\n\nNo experiments defined yet.\n");
  const g = group({ name: "only-group" });
  g.experiment({ name: "alpha" }, () => {});
  await assert.rejects(g.cli(["zzzzzzzz"], { exitOnError: false }), (e: Error) => e instanceof UsageError && /Available: alpha\./.test(e.message));
  await assert.rejects(g.cli(["--x"], { exitOnError: false }), /give the experiment name first/);
});
