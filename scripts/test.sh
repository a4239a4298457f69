#!/usr/bin/env bash
# The README's test command: set up what is missing, build, type-check, run the fast suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -p tsconfig.check.json
# --- pystematic board: the browser tests drive Debian's chromium (test/99.board.browser.test.ts).
# Installed here only, never by the quickstart; needs root (or sudo) and apt.
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" = 0 ]; then apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
  elif command -v sudo >/dev/null; then sudo -E apt-get install -y chromium >/dev/null || { sudo apt-get update >/dev/null && sudo -E apt-get install -y chromium >/dev/null; }
  else echo "test.sh: chromium is missing and cannot be installed without root: the board's browser tests will be skipped" >&2
  fi
fi
# --- end of the board's block.
# Each test file runs in its own process; two at a time on this 2-core machine.
exec node --import tsx --test --test-concurrency=2 test/*.test.ts
