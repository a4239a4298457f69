#!/usr/bin/env bash
# Checks that binding.gyp builds the same native/ sources as CMakeLists.txt: compares the
# source lists, then builds with node-gyp in a scratch copy and loads the result.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake_sources=$(grep -oE 'native/[a-z_/-]+\.cpp' CMakeLists.txt | sort -u)
gyp_sources=$(grep -oE 'native/[a-z_/-]+\.cpp' binding.gyp | sort -u)
if [[ "$cmake_sources" != "$gyp_sources" ]]; then
  echo "binding.gyp and CMakeLists.txt list different sources:"; diff <(echo "$cmake_sources") <(echo "$gyp_sources") || true
  exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r binding.gyp native scripts package.json "$scratch/"
ln -s "$PWD/node_modules" "$scratch/node_modules"
(cd "$scratch" && npx --yes node-gyp rebuild --nodedir=/usr -j 2 >"$scratch/gyp.log" 2>&1) || { tail -40 "$scratch/gyp.log"; exit 1; }
node -e "const m = require('$scratch/build/Release/pystematic_native.node'); if (typeof m.opCall !== 'function') process.exit(1); console.log('binding.gyp: built and loaded (' + Object.keys(m).length + ' exports)')"
