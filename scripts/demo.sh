#!/usr/bin/env bash
# The main job on the embedded demo defaults, everything offline or against a local AWS endpoint
# (moto on 127.0.0.1, started and stopped by the commands themselves):
#   1. validate the three demo stacks' config
#   2. plan every phase offline (inventories in out/demo/)
#   3. compliance report of every phase (our rules + checkov), with evidence bundles
#   4. a quarterly access review cycle, DR drills and a GDPR erasure request against the local endpoint
#   5. the monthly KPI executive summary from bundled sample exports (out/demo/kpi/)
# Installs what it needs on first run. Exit status: the first step that failed.
source "$(dirname "$0")/_venv.sh"
OUT="${OUT:-out/demo}"
rm -rf "$OUT"
mkdir -p "$OUT"
step() { printf '\n==> %s\n' "$*" >&2; }

step "config: validate the demo stacks"
for phase in foundation automation analytics; do
  supportops config validate --stack "demo-$phase"
done

step "plan: the foundation phase, offline (tree), and every phase's inventory"
supportops plan --stack demo-foundation --inventory-out "$OUT/demo-foundation.inventory.json"
for phase in automation analytics; do
  supportops plan --stack "demo-$phase" --format json --out "$OUT/demo-$phase.inventory.json"
  echo "planned demo-$phase -> $OUT/demo-$phase.inventory.json"
done

step "comply: PCI DSS 4.0, GDPR and HIPAA controls on every phase (rules + checkov)"
for phase in foundation automation analytics; do
  supportops comply --stack "demo-$phase" --format html --out "$OUT/compliance/demo-$phase.html" \
    --evidence "$OUT/compliance/demo-$phase.evidence"
  echo "demo-$phase: report $OUT/compliance/demo-$phase.html, evidence $OUT/compliance/demo-$phase.evidence"
done
supportops evidence verify "$OUT/compliance/demo-foundation.evidence"

step "access review: a whole quarterly cycle against a local AWS endpoint"
supportops access-review demo --out "$OUT/access-review"

step "DR drills: restore, measure RTO/RPO against targets, clean up (local AWS endpoint)"
supportops dr demo --out "$OUT/dr-drills"

step "privacy: a GDPR erasure request against a local AWS endpoint (dry run, execute, verification, evidence)"
supportops privacy demo --out "$OUT/privacy"

step "kpi: the monthly executive summary from the bundled sample exports of the KPI queries"
# Exit 1 means a KPI missed its target (the sample month misses some); the summary is written anyway.
supportops kpi report --stack demo-analytics --month 2026-11 \
  --exports stacks/supportops/stacks/components/analytics/sample_exports --out "$OUT/kpi" \
  || { rc=$?; [ "$rc" -eq 1 ] || exit "$rc"; }

step "done: reports and evidence bundles are under $OUT/"
