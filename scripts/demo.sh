#!/usr/bin/env bash
# The main job on the bundled example, in the embedded store (one SQLite file,
# no server): generate the small synthetic town, import it (all or nothing),
# print its statistics, analyse it and save the results into the store,
# simulate removing its key players and the recovery that follows, write a
# partnership profile for Housing (audited in the store), list the records
# due for review, and verify the store's audit trail.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.out/demo
store="$out/ocgnet.db"
export OCGNET_USER=demo OCGNET_JUSTIFICATION="bundled example"
rm -rf "$out"
pnpm --silent ocgnet generate --size small --seed 42 --out "$out"
pnpm --silent ocgnet import "$out" --store "$store"
pnpm --silent ocgnet stats "$store"
pnpm --silent ocgnet analyse --store "$store" --write-back --out "$out/analysis" --top 15
pnpm --silent ocgnet disrupt "$store" --strategy keyplayer --steps 5 --recovery replacement=0.5,triadic=0.1
pnpm --silent ocgnet profile --store "$store" --subject ocg:OCG02 --audience partner-agency:housing --format html \
  --out "$out/profile-OCG02-housing.html" --who demo --justification "bundled example" --recipients Housing
pnpm --silent ocgnet store review "$store" --as-of 2026-06-30 | head -n 12
pnpm --silent ocgnet store info "$store"
echo "Partnership profile for Housing: $out/profile-OCG02-housing.html (audited in $store: ocgnet store audit $store --events)"
