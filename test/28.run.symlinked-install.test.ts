// A project that reaches pystematic through a symlink (npm link, `file:` dependencies, workspaces)
// with a .ts script: tsx maps the library's dist/ frames to its src/ through source maps, and the
// library's files are real paths outside the project's node_modules. Children must still find the
// user's script.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { finished, makeTempDir, removeTempDir, repoRoot } from "./fixtures/run/process.js";

const script = `
import { experiment, launchSubprocess, globalEntrypoint, isSubprocess } from "pystematic";
export const linked = experiment({ params: {} }, async function linked() {
  if (isSubprocess()) {
    console.log("child ran");
    return;
  }
  const child = launchSubprocess({});
  console.log("child exit " + (await child.wait()));
});
globalEntrypoint();
`;

test("launchSubprocess from a .ts script of a project that links pystematic by symlink", async () => {
  const project = makeTempDir("pystematic-linked-");
  try {
    writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module" }));
    mkdirSync(join(project, "node_modules"));
    symlinkSync(repoRoot, join(project, "node_modules", "pystematic"));
    writeFileSync(join(project, "train.ts"), script);
    const bin = join(project, "node_modules", "pystematic", "dist", "bin.js");
    const child = spawn(process.execPath, [bin, "train.ts", "linked", "--output-dir", join(project, "out")], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const result = await finished(child);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /child exit 0/, result.stdout + result.stderr);
    assert.doesNotMatch(result.stderr, /No experiment/);
  } finally {
    removeTempDir(project);
  }
});
