// Which native addon build to load: one work tree may hold builds against several libtorch
// installs (scripts/build-native.mjs: `build/` and `build/torch-<major>.<minor>/`, e.g. the host's
// libtorch 1.13 and the Debian 13 chroot's 2.6 seeing the same files), and each only loads
// where its libtorch is installed.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const addonFile = join("Release", "pystematic_native.node");
/** Written by scripts/build-native.mjs: the real path of the libc10 the build links. */
const recordFile = "torch-library";

/**
 * The addon file under `buildRoot` (a package's `build/`) to load here: among the builds whose
 * recorded libtorch exists on this machine, the newest; a build without a record (made by an
 * older build script or node-gyp) only when no recorded one fits. `buildRoot/Release/...` when
 * nothing is built, so the caller's "not built" message names the usual place.
 */
export function nativeAddonPath(buildRoot: string): string {
  const dirs = [buildRoot];
  try {
    for (const entry of readdirSync(buildRoot).sort()) {
      if (entry.startsWith("torch-")) dirs.push(join(buildRoot, entry));
    }
  } catch {
    return join(buildRoot, addonFile);
  }
  let best: { path: string; mtimeMs: number } | undefined;
  let unrecorded: string | undefined;
  for (const dir of dirs) {
    const path = join(dir, addonFile);
    if (!existsSync(path)) continue;
    const record = join(dir, recordFile);
    if (!existsSync(record)) {
      unrecorded ??= path;
      continue;
    }
    if (!existsSync(readFileSync(record, "utf8").trim())) continue;
    const mtimeMs = statSync(path).mtimeMs;
    if (best === undefined || mtimeMs > best.mtimeMs) best = { path, mtimeMs };
  }
  return best?.path ?? unrecorded ?? join(buildRoot, addonFile);
}
