#!/usr/bin/env bash
# The main job on the bundled example: generate the small synthetic town,
# import it (all or nothing), print its statistics, analyse it and simulate
# removing its key players and the recovery that follows, and write a
# partnership profile for Housing (audited). No server
# needed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.out/demo
rm -rf "$out"
pnpm --silent ocgnet generate --size small --seed 42 --out "$out"
pnpm --silent ocgnet import "$out" --out "$out/graph.ocgnet.ndjson"
pnpm --silent ocgnet stats "$out/graph.ocgnet.ndjson"
pnpm --silent ocgnet analyse "$out/graph.ocgnet.ndjson" --out "$out/analysis" --top 15
pnpm --silent ocgnet disrupt "$out/graph.ocgnet.ndjson" --strategy keyplayer --steps 5 --recovery replacement=0.5,triadic=0.1
pnpm --silent ocgnet profile "$out/graph.ocgnet.ndjson" --subject ocg:OCG02 --audience partner-agency:housing --format html \
  --out "$out/profile-OCG02-housing.html" --who demo --justification "bundled example" --recipients Housing --audit-log "$out/audit.log"
echo "Partnership profile for Housing: $out/profile-OCG02-housing.html (audit trail: $out/audit.log)"
