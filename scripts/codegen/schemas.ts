// Where the generator finds each libtorch version's native_functions.yaml, and which version a
// yaml belongs to (read from the torch/version.py that ships beside it in python3-torch).
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** The libtorch versions (major.minor) the generated surface covers, oldest first. */
export const SURFACE_VERSIONS = ["1.13", "2.6"] as const;

const YAML_IN_DIST = join("torchgen", "packaged", "ATen", "native", "native_functions.yaml");

/** The cache folder scripts/codegen/fetch-schema.sh extracts a version's python3-torch into. */
export function schemaCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "pystematic", "schemas");
}

/**
 * The dist-packages folders tried when no path is given: the host's python3-torch, the Debian 13
 * environment's (scripts of the libtorch 2.x work keep it at /var/cache/pystematic/trixie), and
 * the per-version extractions of scripts/codegen/fetch-schema.sh.
 */
function defaultDistDirs(): string[] {
  const dirs = [
    "/usr/lib/python3/dist-packages",
    join(process.env.PYSTEMATIC_TRIXIE_ROOT ?? "/var/cache/pystematic/trixie", "usr", "lib", "python3", "dist-packages"),
  ];
  for (const v of SURFACE_VERSIONS) dirs.push(join(schemaCacheDir(), `torch-${v}`, "usr", "lib", "python3", "dist-packages"));
  return dirs;
}

/** `major.minor` of the python3-torch a native_functions.yaml came with, from its torch/version.py. */
export function versionOfYaml(yamlPath: string): string | undefined {
  // <dist>/torchgen/packaged/ATen/native/native_functions.yaml -> <dist>/torch/version.py
  const dist = resolve(dirname(yamlPath), "..", "..", "..", "..");
  const versionPy = join(dist, "torch", "version.py");
  if (!existsSync(versionPy)) return undefined;
  const m = /__version__\s*=\s*['"](\d+)\.(\d+)/.exec(readFileSync(versionPy, "utf8"));
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/**
 * Each version's yaml path. `args` are `<version>=<path>` (explicit) or plain paths (the version
 * read from the torch/version.py beside them); versions not given come from the default places.
 */
export function findSchemas(args: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const a of args) {
    const eq = /^(\d+\.\d+)=(.*)$/.exec(a);
    const path = eq ? eq[2]! : a;
    const version = eq ? eq[1]! : versionOfYaml(path);
    if (!existsSync(path)) throw new Error(`generate.ts: schema file '${path}' does not exist`);
    if (!version) throw new Error(`generate.ts: cannot tell the torch version of '${path}' (no torch/version.py beside it): pass it as <major.minor>=${path}`);
    found.set(version, path);
  }
  for (const dist of defaultDistDirs()) {
    const path = join(dist, YAML_IN_DIST);
    if (!existsSync(path)) continue;
    const version = versionOfYaml(path);
    if (version && !found.has(version)) found.set(version, path);
  }
  return found;
}
