// The signal trap for runs that never load libtorch: native/interrupt.cpp built alone as
// pystematic_signals.node (CMakeLists.txt), which loads in milliseconds. The Recorder's step()
// is where such a run notices the signal (src/core/run/interrupt.ts). Null where it is not built.
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SignalTrap } from "./interrupt.js";

interface SignalsAddon {
  interruptInstall(): void;
  interruptUninstall(): void;
  interruptTake(): number;
}

const addonFile = join("Release", "pystematic_signals.node");

function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return dir;
}

/** Candidates in order: the first build, then those against other libtorch installs (any fits: no libtorch inside). */
function candidates(buildRoot: string): string[] {
  const dirs = [buildRoot];
  try {
    for (const entry of readdirSync(buildRoot).sort()) if (entry.startsWith("torch-")) dirs.push(join(buildRoot, entry));
  } catch {
    return [];
  }
  return dirs.map((dir) => join(dir, addonFile)).filter((path) => existsSync(path));
}

let loaded: SignalTrap | null | undefined;

/** The trap, loaded on first use; null when no build of it loads here. */
export function coreSignalTrap(): SignalTrap | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const root = packageRoot();
  if (root === null) return loaded;
  const require = createRequire(import.meta.url);
  for (const path of candidates(join(root, "build"))) {
    try {
      const addon = require(path) as SignalsAddon;
      loaded = { install: addon.interruptInstall, uninstall: addon.interruptUninstall, take: addon.interruptTake };
      break;
    } catch {
      // Built for another system (a newer C library): try the next build.
    }
  }
  return loaded;
}
