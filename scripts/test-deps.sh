#!/usr/bin/env bash
# What the tests need beyond Node: Debian's Chromium for the browser tests, and
# Java 17 with Maven for the Neo4j test server. Installed when we can (CI runs
# as root); elsewhere a missing one skips its tests, and in CI (CI=true) fails them.
set -euo pipefail
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} for the browser and Neo4j tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
