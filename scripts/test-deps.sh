#!/usr/bin/env bash
# What the tests need beyond Node: Debian's Chromium for the browser tests,
# Debian's tesseract-ocr for reading the viewer's exported images back (OCR),
# and Java 17 with Maven for the Neo4j test server. Installed when we can (CI
# runs as root); elsewhere a missing one skips its tests, and in CI (CI=true) fails them.
set -euo pipefail
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx eng; } || missing+=(tesseract-ocr tesseract-ocr-eng)
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} for the browser, OCR and Neo4j tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
