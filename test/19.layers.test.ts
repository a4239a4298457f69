// Each folder of src/ is one product, and imports run only down the layers (issue #22): neutral
// utilities, then the core and the torch binding side by side, then what builds on them, then
// the entries. Every module reference counts: imports, re-exports, dynamic and type imports,
// module augmentations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const srcDir = fileURLToPath(new URL("../src/", import.meta.url));

/** What each folder of src/ may import besides itself (src/index.ts, bin.ts, child.ts: anything). */
const allowed: Record<string, readonly string[]> = {
  util: [],
  core: ["util"],
  recording: ["util", "core"],
  torch: ["util"],
  fifteen: ["util", "core", "recording", "torch"],
  board: ["util", "core", "recording"],
  "torch-plugin": ["util", "core", "recording", "fifteen", "torch"],
};
const entries = new Set(["index.ts", "bin.ts", "child.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a source file names. */
function specifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      // A computed dynamic import (a user's script) names no file of ours.
      if (arg && ts.isStringLiteralLike(arg)) found.push(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      found.push(node.name.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr)) found.push(expr.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The folder of src/ a path lies in, "entry" for the entries, null outside src/. */
function layerOf(path: string): string | null {
  const rel = relative(srcDir, path);
  if (rel.startsWith("..")) return null;
  const [first, ...rest] = rel.split("/");
  return rest.length === 0 && entries.has(first!) ? "entry" : first!;
}

/** The upward or sideways imports of one file, as "file -> target" lines. */
function violations(file: string, text: string): string[] {
  const from = layerOf(file);
  const out: string[] = [];
  const name = relative(srcDir, file);
  if (from === null || (from !== "entry" && !(from in allowed))) return [`${name}: in no layer of this test (add its folder)`];
  for (const spec of specifiers(file, text)) {
    // The package's own entries from inside it would hide which layer is reached.
    if (spec === "pystematic" || spec.startsWith("pystematic/")) {
      out.push(`${name} -> ${spec} (a package entry)`);
      continue;
    }
    if (!spec.startsWith(".")) continue;
    const to = layerOf(resolve(dirname(file), spec));
    if (from === "entry" || to === from) continue;
    if (to === null || to === "entry" || !allowed[from]!.includes(to)) out.push(`${name} -> ${spec}`);
  }
  return out;
}

test("imports in src/ run only down the layers: the binding imports no core, recording, fifteen, board or plugin; the core no torch", () => {
  const files = sourceFiles(srcDir);
  assert.ok(files.length > 300, `scanned ${files.length} files`);
  const found = files.flatMap((file) => violations(file, readFileSync(file, "utf8")));
  assert.deepEqual(found, []);
});

test("the scan sees every kind of module reference, and flags what crosses a layer", () => {
  const at = (path: string) => join(srcDir, path);
  // The plugin's own arrows are all legitimate, and the scanner sees them (import, augmentation).
  const plugin = readFileSync(at("torch-plugin/plugin.ts"), "utf8");
  assert.ok(specifiers(at("torch-plugin/plugin.ts"), plugin).includes("../core/plugins.js"));
  assert.deepEqual(violations(at("torch-plugin/plugin.ts"), plugin), []);
  // bin.ts loads the core lazily; only string literals count.
  assert.ok(specifiers(at("bin.ts"), readFileSync(at("bin.ts"), "utf8")).some((s) => s.startsWith("./core/")));
  const upward = [
    'import { toSnakeCase } from "../../core/naming.js";',
    'export { Recorder } from "../../recording/index.js";',
    'const plugin = await import("../../torch-plugin/plugin.js");',
    'let t: import("../../fifteen/state.js").State;',
    'declare module "../../core/plugins.js" { interface PluginParams { x: number } }',
    'import "pystematic/torch";',
  ];
  for (const line of upward) {
    assert.equal(violations(at("torch/nn/fake.ts"), line).length, 1, line);
  }
  assert.equal(violations(at("core/fake.ts"), 'import { Tensor } from "../torch/tensor/tensor.js";').length, 1);
  assert.equal(violations(at("recording/fake.ts"), 'import type { Tensor } from "../torch/index.js";').length, 1);
  assert.equal(violations(at("util/fake.ts"), 'import { x } from "../core/naming.js";').length, 1);
  assert.deepEqual(violations(at("torch/nn/fake.ts"), 'import { toSnakeCase } from "../../util/naming.js";'), []);
  assert.deepEqual(violations(at("elsewhere/fake.ts"), ""), ["elsewhere/fake.ts: in no layer of this test (add its folder)"]);
});
