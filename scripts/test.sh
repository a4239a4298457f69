#!/usr/bin/env bash
# The README's test command (what CI runs): set up what is missing, build, type-check, run the
# whole suite on the host's libtorch, then every libtorch-touching test file again on libtorch 2.6
# in the Debian 13 chroot of scripts/torch-env.sh (its own build directory, its own
# /usr/bin/python3 with torch 2.6 for fixtures and interop). One summary line per environment.
#
#   PYSTEMATIC_TEST_ENVS="host trixie"   which environments run (default: both)
#   scripts/test.sh [TEST_FILE...]       only these files (each still in both environments,
#                                        the chroot taking only the libtorch-touching ones)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

envs=${PYSTEMATIC_TEST_ENVS:-host trixie}
started=$SECONDS
logs=$(mktemp -d)
# The chroot's TAP log must be inside the repository to be visible from there.
env_log="$repo/.test-logs/trixie.$$.tap"
trap 'rm -rf "$logs" "$env_log"' EXIT

if (($#)); then files=("$@"); else files=(test/*.test.ts); fi

# Test files that touch libtorch: tensors, ops, nn, optim, data, serialization, the plugin and
# distributed (40-92), signals (29: the native trap), the pytorch/examples ports and faults of
# distributed runs (93, 94), and fifteen's checkpoints, which load tensors (95). The rest (core,
# recording, board, fifteen's metadata and directory) runs on the host only.
touches_libtorch() {
  local number
  number=$(basename "$1" | grep -oE '^[0-9]+' || echo 0)
  number=$((10#$number))
  ((number >= 40 && number <= 94)) || ((number == 29 || number == 95))
}

# The chroot is made (debootstrap and apt: mostly downloads and unpacking) while the host builds
# and tests.
ensure_pid=
if [[ " $envs " == *" trixie "* ]]; then
  bash scripts/torch-env.sh ensure >"$logs/torch-env.log" 2>&1 &
  ensure_pid=$!
fi

summaries=()
failed=0
# run_suite NAME LOG COMMAND...: runs node's test runner (spec output to the terminal, TAP into
# LOG) and records "NAME: N passed, N failed, N skipped (files, minutes)".
run_suite() {
  local name=$1 log=$2; shift 2
  local begun=$SECONDS status=0
  "$@" || status=$?
  local count
  count() { grep -E "^# $1 [0-9]+" "$log" | tail -1 | grep -oE '[0-9]+$' || echo "?"; }
  local line
  line="$name: $(count pass) passed, $(count fail) failed, $(count skipped) skipped, $(count todo) todo"
  line+=" (${suite_files} files, $(((SECONDS - begun) / 60)) min $(((SECONDS - begun) % 60)) s)"
  ((status == 0)) || line+=" FAILED (exit $status)"
  ((status == 0)) || failed=1
  summaries+=("$line")
  echo "[test] $line"
}

node_test=(node --import tsx --test --test-concurrency=2
  --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap)

for env in $envs; do
  case $env in
    host)
      bash scripts/setup.sh
      # pystematic board: the browser tests drive Debian's chromium (test/99.board.browser.test.ts),
      # installed here only, never by the quickstart.
      if [[ ! -x /usr/bin/chromium ]]; then
        export DEBIAN_FRONTEND=noninteractive
        if [[ $(id -u) -eq 0 ]]; then
          apt-get install -y -qq chromium >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; }
        else
          echo "[test] chromium is missing and cannot be installed without root: the board's browser tests will be skipped" >&2
        fi
      fi
      npx tsc -p tsconfig.check.json
      suite_files=${#files[@]}
      run_suite "host (python3 torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'))" \
        "$logs/host.tap" "${node_test[@]}" --test-reporter-destination="$logs/host.tap" "${files[@]}"
      ;;
    trixie)
      torch_files=()
      for f in "${files[@]}"; do touches_libtorch "$f" && torch_files+=("$f"); done
      ((${#torch_files[@]})) || continue
      # dist/ (child-process tests) and node_modules come from the host through the bind mount.
      [[ -d dist ]] || npx tsc -p tsconfig.json
      if ! wait "$ensure_pid"; then
        cat "$logs/torch-env.log" >&2
        echo "[test] making the Debian 13 chroot failed" >&2
        exit 1
      fi
      bash scripts/torch-env.sh run node scripts/build-native.mjs
      suite_files=${#torch_files[@]}
      mkdir -p "$repo/.test-logs"
      run_suite "trixie chroot (python3 torch $(bash scripts/torch-env.sh run /usr/bin/python3 -c 'import torch; print(torch.__version__)'))" \
        "$env_log" bash scripts/torch-env.sh run "${node_test[@]}" --test-reporter-destination="$env_log" "${torch_files[@]}"
      ;;
    *) echo "[test] unknown environment '$env' in PYSTEMATIC_TEST_ENVS (host, trixie)" >&2; exit 2 ;;
  esac
done

echo
echo "[test] ==== summary ($(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s in all) ===="
for line in "${summaries[@]}"; do echo "[test] $line"; done
exit $failed
