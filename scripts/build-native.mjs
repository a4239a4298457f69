// Builds the native addon with cmake-js against the libtorch named by LIBTORCH / Torch_DIR, or
// Debian's libtorch-dev. Incremental: an already configured build tree is only re-made.
//
// One build directory per libtorch: `build/` for the first one built here, `build/torch-<major>.
// <minor>/` for another (e.g. libtorch 2.6 in scripts/torch-env.sh's Debian 13 chroot, which sees
// the same work tree). Each records the libtorch it links (build/.../torch-library), and
// src/torch/native.ts loads the build whose libtorch exists where it runs. PYSTEMATIC_BUILD_DIR
// names the directory instead.
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// `npm install` runs this as the package's install script (so npm does not also run node-gyp on
// binding.gyp): there, a machine without libtorch or Node's headers gets a note, not a failed
// install (pystematic runs without libtorch; `npm run setup` builds later).
const fromNpmInstall = process.argv.includes("--from-npm-install");
function giveUp(message) {
  console.error(message);
  if (fromNpmInstall) console.error("pystematic: native addon not built now; `npm run setup` (or `npm run build:native`) builds it.");
  process.exit(fromNpmInstall ? 0 : 1);
}

function findTorchDir() {
  const candidates = [];
  if (process.env.Torch_DIR) candidates.push(process.env.Torch_DIR);
  if (process.env.LIBTORCH) {
    candidates.push(join(process.env.LIBTORCH, "share/cmake/Torch"));
    // A pip `torch` package: <site-packages>/torch
    candidates.push(join(process.env.LIBTORCH, "torch/share/cmake/Torch"));
  }
  if (!process.env.Torch_DIR && !process.env.LIBTORCH) {
    candidates.push("/usr/lib/x86_64-linux-gnu/cmake/Torch", "/usr/lib/aarch64-linux-gnu/cmake/Torch");
  }
  return candidates.find((dir) => existsSync(join(dir, "TorchConfig.cmake")));
}

const torchDir = findTorchDir();
if (!torchDir) {
  giveUp(
    [
      "pystematic: no libtorch found.",
      process.env.LIBTORCH || process.env.Torch_DIR
        ? `  Looked for TorchConfig.cmake under LIBTORCH=${process.env.LIBTORCH ?? ""} Torch_DIR=${process.env.Torch_DIR ?? ""}.`
        : "  Debian's libtorch-dev is not installed.",
      "  Fix: run `npm run setup` as root on Debian (installs libtorch-dev), or point LIBTORCH at a",
      "  libtorch folder (the one holding share/cmake/Torch), e.g. the `torch` folder of a pip install:",
      "    LIBTORCH=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))') npm run build:native",
    ].join("\n"),
  );
}

// The libtorch's version (its CMake package version) and the real file of its c10 library: the
// record that tells builds against different libtorch installs apart (Debian 12's and 13's have
// the same paths but different library files).
function torchVersion(dir) {
  const text = readFileSync(join(dir, "TorchConfigVersion.cmake"), "utf8");
  const version = /set\(PACKAGE_VERSION "(\d+)\.(\d+)[^"]*"\)/.exec(text);
  if (!version) throw new Error(`pystematic: no PACKAGE_VERSION in ${join(dir, "TorchConfigVersion.cmake")}`);
  return `${version[1]}.${version[2]}`;
}
function torchLibrary(dir) {
  // Debian: <libdir>/cmake/Torch beside <libdir>/libc10.so; libtorch zips and pip: <prefix>/share/cmake/Torch.
  const candidates = [join(resolve(dir, "../.."), "libc10.so"), join(resolve(dir, "../../.."), "lib/libc10.so")];
  const found = candidates.find((file) => existsSync(file));
  return found ? realpathSync(found) : resolve(dir);
}
const version = torchVersion(torchDir);
const library = torchLibrary(torchDir);
const recordName = "torch-library";
const readRecord = (dir) => (existsSync(join(dir, recordName)) ? readFileSync(join(dir, recordName), "utf8").trim() : undefined);

function chooseBuildDir() {
  if (process.env.PYSTEMATIC_BUILD_DIR) return resolve(root, process.env.PYSTEMATIC_BUILD_DIR);
  const main = join(root, "build");
  const record = readRecord(main);
  if (record === library) return main;
  if (record === undefined) {
    if (!existsSync(join(main, "configured-for"))) return main;
    // A build from before the record existed: the host's, never the chroot's.
    const configuredDir = readFileSync(join(main, "configured-for"), "utf8").split("\n")[0];
    if (configuredDir === torchDir && !process.env.PYSTEMATIC_TORCH_ENV) return main;
  }
  return join(main, `torch-${version}`);
}
const buildDir = chooseBuildDir();
mkdirSync(buildDir, { recursive: true });

// The V8 headers of this very Node (tensor handles straight from V8, see CMakeLists.txt): an
// addon built against them runs only on this Node version.
function findNodeInclude() {
  const dir = join(dirname(process.execPath), "..", "include", "node");
  try {
    const h = readFileSync(join(dir, "node_version.h"), "utf8");
    const v = ["MAJOR", "MINOR", "PATCH"].map((k) => new RegExp(`#define NODE_${k}_VERSION (\\d+)`).exec(h)?.[1]).join(".");
    return v === process.versions.node && existsSync(join(dir, "v8.h")) ? dir : undefined;
  } catch {
    return undefined;
  }
}
const nodeInclude = findNodeInclude();
if (!nodeInclude) {
  giveUp(
    `pystematic: no V8 headers of this Node (${process.versions.node}) beside ${process.execPath}: install Node's headers ` +
      "(Debian: libnode-dev, or Node's official tarball, which ships include/node).",
  );
}

// Reconfigure only when the libtorch, the Node or CMakeLists.txt changed since the last configure.
const stamp = join(buildDir, "configured-for");
const stampText = (include) => `${torchDir}\n${include ?? ""}\n${process.versions.node}`;
const needConfigure =
  !existsSync(stamp) ||
  readFileSync(stamp, "utf8") !== stampText(nodeInclude) ||
  statSync(join(root, "CMakeLists.txt")).mtimeMs > statSync(stamp).mtimeMs;

const jobs = String(Math.max(1, (await import("node:os")).availableParallelism()));
const run = (cmd, args, { mayFail = false } = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (r.error) giveUp(`pystematic: cannot run ${cmd} (${r.error.message}); Debian: apt-get install cmake g++ make`);
  if (r.status !== 0 && mayFail) return undefined;
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? "");
    process.stderr.write(r.stderr ?? "");
    console.error(`pystematic: native build failed (${cmd} ${args.join(" ")})`);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
};

const configure = (include) => {
  console.log(`[setup] configuring the native addon against ${torchDir} (libtorch ${version}) in ${buildDir}`);
  run(process.execPath, [
    join(root, "node_modules/cmake-js/bin/cmake-js"),
    "configure",
    "--log-level",
    "error",
    "--out",
    buildDir,
    `--CDTorch_DIR=${torchDir}`,
    `--CDPST_NODE_INCLUDE=${include}`,
  ]);
  writeFileSync(stamp, stampText(include));
  writeFileSync(join(buildDir, `${recordName}.tmp`), `${library}\n`);
  renameSync(join(buildDir, `${recordName}.tmp`), join(buildDir, recordName));
};
if (needConfigure) configure(nodeInclude);
const build = ["--build", buildDir, "--config", "Release", "-j", jobs];
const out = run("cmake", build);
if (/Building CXX|Linking CXX/.test(out)) console.log(`[setup] native addon built (${buildDir})`);
if (readRecord(buildDir) !== library) {
  writeFileSync(join(buildDir, `${recordName}.tmp`), `${library}\n`);
  renameSync(join(buildDir, `${recordName}.tmp`), join(buildDir, recordName));
}
