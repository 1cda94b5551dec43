#!/usr/bin/env bash
# The main job on the embedded demo defaults: validate config, plan every phase offline
# (inventories written to out/demo/). Installs what it needs on first run.
source "$(dirname "$0")/_venv.sh"
OUT="${OUT:-out/demo}"
mkdir -p "$OUT"
for phase in foundation automation analytics; do
  supportops config validate --stack "demo-$phase"
done
supportops plan --stack demo-foundation --inventory-out "$OUT/demo-foundation.inventory.json"
for phase in automation analytics; do
  supportops plan --stack "demo-$phase" --format json --out "$OUT/demo-$phase.inventory.json"
  echo "planned demo-$phase -> $OUT/demo-$phase.inventory.json"
done
