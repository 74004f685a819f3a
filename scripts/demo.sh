#!/usr/bin/env bash
# The main job on the bundled example, in the embedded store (one SQLite file,
# no server): generate the small synthetic town, import it (all or nothing),
# print its statistics, analyse it and save the results into the store,
# simulate removing its key players and the recovery that follows, write a
# partnership profile for Housing (audited in the store), list the records
# due for review, verify the store's audit trail, and end with the viewer
# serving the analysed example on 127.0.0.1 (its URL printed; it keeps
# running after the demo, until you stop it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.out/demo
store="$out/ocgnet.db"
export OCGNET_USER=demo OCGNET_JUSTIFICATION="bundled example"
# A viewer left running by an earlier demo is stopped first.
if [ -f "$out/viewer.pid" ]; then kill "$(cat "$out/viewer.pid")" 2>/dev/null || true; fi
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
pnpm --silent --dir apps/viewer build >"$out/viewer-build.log" 2>&1 || { cat "$out/viewer-build.log" >&2; exit 1; }
# Run the CLI's node process directly (not through pnpm) so its pid is the server's.
nohup node --import tsx packages/cli/src/bin.ts view "$store" >"$out/viewer.out" 2>"$out/viewer.log" </dev/null &
echo $! >"$out/viewer.pid"
for _ in $(seq 1 150); do grep -q 'http://' "$out/viewer.out" 2>/dev/null && break; sleep 0.2; done
url=$(grep -o 'http://[^ ]*' "$out/viewer.out" | head -n 1 || true)
if [ -z "$url" ]; then cat "$out/viewer.log" >&2; echo "the viewer did not start" >&2; exit 1; fi
echo "Viewer on the analysed example: $url"
echo "(it keeps running; stop it with: kill $(cat "$out/viewer.pid"))"
