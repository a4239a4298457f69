#!/usr/bin/env bash
# The README's test command: set up what is missing, build, type-check, run the fast suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -p tsconfig.check.json
# Each test file runs in its own process; two at a time on this 2-core machine.
exec node --import tsx --test --test-concurrency=2 test/*.test.ts
