#!/usr/bin/env bash
# The soaks, kept out of `pnpm test`: random kill -9 of 100,000-record imports
# into each store, the large Neo4j and GDS runs, the viewer's frame times.
# About an hour on 2 cores. TESTING.md lists them; BENCHMARKS.md records results.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-deps.sh
pnpm --silent vitest --config vitest.soak.config.ts "$@"
