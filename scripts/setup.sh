#!/usr/bin/env bash
# One-step setup: system packages (Debian, as root), npm dependencies, native addon, TypeScript.
# Idempotent and quiet when everything is already there; never rebuilds what did not change.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# --- System packages -------------------------------------------------------------------------
# libtorch-dev: the C++ library we bind. libopenblas0-pthread: ~20x faster BLAS than the
# reference one libtorch would otherwise use. libgloo-dev: c10d's Gloo headers.
# python3-torch: the same libtorch from Python (benchmarks, fixtures, interop tests).
pkgs=(libopenblas0-pthread libgloo-dev python3-torch python3-yaml)
if [[ -z "${LIBTORCH:-}" && -z "${Torch_DIR:-}" ]]; then pkgs=(libtorch-dev "${pkgs[@]}"); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    say "missing system packages: ${missing[*]}"
    say "install them as root (apt-get install ${missing[*]}), or set LIBTORCH=/path/to/libtorch"
    exit 1
  fi
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- npm dependencies ------------------------------------------------------------------------
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error >/dev/null
fi

# --- Native addon and TypeScript -------------------------------------------------------------
node scripts/build-native.mjs
npx tsc -p tsconfig.json
