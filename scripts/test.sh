#!/usr/bin/env bash
# The whole test suite: type check, then every vitest test (unit tests in each
# package, cross-package tests in test/). TESTING.md says what runs where.
set -euo pipefail
cd "$(dirname "$0")/.."
# Browser tests drive Debian's Chromium; install it when we can (CI runs as root).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# The Neo4j tests start a real Neo4j 5.26 from Maven Central; they need Java 17 and Maven.
if { ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; } && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Java 17 and Maven for the Neo4j tests" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi
pnpm --silent typecheck
pnpm --silent vitest
