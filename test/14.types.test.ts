// Type inference into main: test/fixtures/core/types.check.ts must compile, and each of its
// `@ts-expect-error` lines must be an error (tsc reports an unused directive otherwise).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

test("parameter types flow into main, and wrong uses do not compile", () => {
  const fixture = readFileSync(here("./fixtures/core/types.check.ts"), "utf8");
  assert.ok((fixture.match(/@ts-expect-error/g) ?? []).length >= 12, "the fixture holds the wrong uses");
  let output = "";
  try {
    execFileSync(process.execPath, [tsc, "-p", here("./fixtures/core/tsconfig.types.json")], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    output = `${err.stdout ?? ""}${err.stderr ?? ""}`;
  }
  assert.equal(output, "");
});
