#!/usr/bin/env bash
# The whole test suite: type check, then every vitest test (unit tests in each
# package, cross-package tests in test/). TESTING.md says what runs where.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm --silent typecheck
pnpm --silent vitest
