#!/usr/bin/env bash
# Extracts a libtorch version's native_functions.yaml (with the torch/version.py beside it) from
# Debian's python3-torch package, for scripts/codegen/generate.ts on a machine that lacks that
# version's Python torch. Uses a private apt configuration; installs nothing.
#
#   bash scripts/codegen/fetch-schema.sh [2.6|1.13]      (default 2.6)
#
# Writes ${XDG_CACHE_HOME:-~/.cache}/pystematic/schemas/torch-<version>/ (generate.ts looks there).
set -euo pipefail

version="${1:-2.6}"
case "$version" in
  2.6) suite=trixie ;;
  1.13) suite=bookworm ;;
  *) echo "fetch-schema.sh: no Debian suite known for torch $version (known: 2.6, 1.13)" >&2; exit 2 ;;
esac

cache="${XDG_CACHE_HOME:-$HOME/.cache}/pystematic/schemas"
dest="$cache/torch-$version"
yaml="$dest/usr/lib/python3/dist-packages/torchgen/packaged/ATen/native/native_functions.yaml"
if [[ -f "$yaml" ]]; then
  echo "$yaml"
  exit 0
fi

mkdir -p "$cache"
work="$(mktemp -d "$cache/.tmp.XXXXXX")"
trap 'rm -rf --one-file-system "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/deb"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" >"$work/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o Dir::State::status=/dev/null
  -o APT::Sandbox::User=root
)
apt-get "${apt_opts[@]}" -qq update
(cd "$work/deb" && apt-get "${apt_opts[@]}" -qq download python3-torch)
dpkg-deb -x "$work"/deb/python3-torch_*.deb "$work/root"
[[ -f "$work/root/usr/lib/python3/dist-packages/torchgen/packaged/ATen/native/native_functions.yaml" ]] || {
  echo "fetch-schema.sh: the $suite python3-torch package has no native_functions.yaml" >&2
  exit 1
}
# Only what the generator reads: the schema and the version beside it.
mkdir -p "$work/keep/usr/lib/python3/dist-packages/torchgen/packaged/ATen/native" "$work/keep/usr/lib/python3/dist-packages/torch"
cp "$work/root/usr/lib/python3/dist-packages/torchgen/packaged/ATen/native/native_functions.yaml" \
  "$work/keep/usr/lib/python3/dist-packages/torchgen/packaged/ATen/native/"
cp "$work/root/usr/lib/python3/dist-packages/torch/version.py" "$work/keep/usr/lib/python3/dist-packages/torch/"
rm -rf --one-file-system "$dest"
mv "$work/keep" "$dest"
echo "$yaml"
