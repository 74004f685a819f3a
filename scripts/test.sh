#!/usr/bin/env bash
# The whole default test suite: type check, lint and format check (ESLint with
# typescript-eslint, Prettier), then every vitest test (unit tests in each
# package, cross-package tests in test/) except the soaks, which `pnpm soak`
# runs. TESTING.md says what runs where.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-deps.sh
pnpm --silent typecheck
pnpm --silent lint
pnpm --silent vitest
