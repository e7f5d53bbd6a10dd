#!/usr/bin/env bash
# `npm test`'s first step: eslint and the four type checks at once (each is one CPU-bound process; CI has two
# cores). Both always run to the end; the step fails if either failed. Output is each tool's own.
set -uo pipefail
cd "$(dirname "$0")/.."
npm run --silent lint &
lint=$!
npm run --silent typecheck
typecheck=$?
wait "$lint"
lint_status=$?
if [ "$lint_status" -ne 0 ] || [ "$typecheck" -ne 0 ]; then
  echo "lint exit $lint_status, typecheck exit $typecheck" >&2
  exit 1
fi
