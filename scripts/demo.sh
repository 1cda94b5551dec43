#!/usr/bin/env bash
# The main job on the embedded demo defaults, everything offline or against a local AWS endpoint
# (moto on 127.0.0.1, started and stopped by the commands themselves):
#   1. validate the demo stacks' config (three platform phases and the operations stack)
#   2. plan every phase offline (inventories in out/demo/)
#   3. compliance report of every stack in one run (our rules + checkov; plans and checkov results
#      cached), with evidence bundles
#   4. a quarterly access review cycle, DR drills and a GDPR erasure request against the local endpoint
#   5. the quarter's vulnerability-scan evidence (Inspector, from canned answers)
#   6. one control matrix over all of that evidence
#   7. a scheduled operations job end to end, and the run history
#   8. live compliance and drift: a phase materialised into the local endpoint, then changed behind
#      the stack's back
#   9. the monthly KPI executive summary from bundled sample exports (out/demo/kpi/)
# Installs what it needs on first run. Exit status: the first step that failed. Each step's time is
# printed after it.
source "$(dirname "$0")/_venv.sh"
OUT="${OUT:-out/demo}"
rm -rf "$OUT"
mkdir -p "$OUT"
step() {
  [ -n "${STEP:-}" ] && printf '    (%s: %ss)\n' "$STEP" $((SECONDS - T0)) >&2
  STEP="$*"
  T0=$SECONDS
  printf '\n==> %s\n' "$*" >&2
}
# A command whose exit 1 means "a finding or a missed target, the report is written": go on, any
# other failure stops the demo.
findings_ok() { "$@" || { rc=$?; [ "$rc" -eq 1 ] || exit "$rc"; }; }

step "config: validate the demo stacks"
for stack in foundation automation analytics operations; do
  supportops config validate --stack "demo-$stack"
done

step "plan: the foundation phase, offline (tree), and every phase's inventory"
supportops plan --stack demo-foundation --inventory-out "$OUT/demo-foundation.inventory.json"
for phase in automation analytics; do
  supportops plan --stack "demo-$phase" --format json --out "$OUT/demo-$phase.inventory.json"
  echo "planned demo-$phase -> $OUT/demo-$phase.inventory.json"
done

step "comply: PCI DSS 4.0, GDPR and HIPAA controls on every stack in one run (rules + checkov)"
supportops comply --all-stacks --format html,sarif --out "$OUT/compliance" \
  --evidence "$OUT/compliance/evidence"
supportops evidence verify "$OUT/compliance/evidence/demo-foundation"

step "access review: a whole quarterly cycle against a local AWS endpoint"
supportops access-review demo --evidence "$OUT/access-review"

step "DR drills: restore, measure RTO/RPO against targets, clean up (local AWS endpoint)"
supportops dr demo --evidence "$OUT/dr-drills"

step "privacy: a GDPR erasure request against a local AWS endpoint (dry run, execute, verification, evidence)"
supportops privacy demo --evidence "$OUT/privacy"

step "vulnerability scan: the quarter's Inspector findings and coverage as evidence (canned answers)"
supportops evidence collect vulnerability-scan --demo --period 2026-Q4 --evidence "$OUT/vulnerability-scan"
supportops evidence verify "$OUT/vulnerability-scan"

step "control matrix: compliance + access review + DR drills + privacy + vulnerability scan as evidence"
supportops report matrix "$OUT/compliance/evidence/demo-foundation" "$OUT/access-review/apply-execute" \
  "$OUT/access-review/review-after" "$OUT"/dr-drills/*/ "$OUT"/privacy/*/evidence "$OUT/vulnerability-scan" \
  -f html,json -o "$OUT/control-matrix" --soft-fail

step "operations: a scheduled DR drill end to end (bundle in a locked bucket, metric, notification, history)"
supportops ops demo --out "$OUT/operations"
supportops history --from "$OUT/operations/runs" -f table,html -o "$OUT/operations/history"

step "live: materialise a phase into a local endpoint, comply --live, then drift after an out-of-band change"
python -m supportops.cli.live_demo.demo "$OUT/live"

step "kpi: the monthly executive summary from the bundled sample exports of the KPI queries"
# Exit 1 means a KPI missed its target (the sample month misses some); the summary is written anyway.
findings_ok supportops kpi report --stack demo-analytics --month 2026-11 \
  --exports stacks/supportops/stacks/components/analytics/sample_exports --out "$OUT/kpi"

step "done: reports and evidence bundles are under $OUT/"
