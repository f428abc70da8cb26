#!/usr/bin/env bash
# What claiming an interaction adds to a command's reply (once per interaction: a conditional PutItem in
# the state table before the command runs), in fresh JVMs with Lambda's JIT defaults, against dynalite
# (npm, in memory) on loopback. A local server measures the client's own cost, not DynamoDB's latency
# (single-digit milliseconds in the same region). Two kinds of cold JVM: "cold", where the claim's classes
# load on the first claim, and "primed", where a throwaway client first claimed through a loopback
# stand-in, as SnapStart priming does before the snapshot.
#
#   bench/claims.sh              # 10 fresh JVMs of each kind (RUNS=20 bench/claims.sh for more)
#
# Writes target/bench/claims.md. Needs the JDK, Maven and Node.js 20+.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
OUT=target/bench
mkdir -p "$OUT"
source bench/lib.sh

echo "building..." >&2
mvn -q -B package -DskipTests
start_dynalite
trap 'kill $DYNALITE_PID 2>/dev/null || true' EXIT
CP="target/valine-orchestrator.jar:target/test-classes"

TABLE=bench-claims
java -cp "$CP" dev.valine.orchestrator.probe.ClaimCostProbe create "$TABLE"   # not timed: the runs below start cold
rm -f "$OUT/claims.md.tmp"
for mode in cold primed; do
  results=$(for _ in $(seq 1 "$RUNS"); do
    java "${LAMBDA_FLAGS[@]}" -cp "$CP" dev.valine.orchestrator.probe.ClaimCostProbe "$mode" "$TABLE" | grep '^PROBE'
  done)
  {
    echo "| $mode: step (fresh JVM, C1, dynalite on loopback) | min | median | max |"
    echo "|---|---|---|---|"
    probe_row "$results" build_ms "build the DynamoDB client, ms (not on the reply path when primed)"
    probe_row "$results" prepare_ms "first read (GetItem, as App.prime does), ms"
    probe_row "$results" first_claim_ms "first claim (conditional PutItem), ms"
    probe_row "$results" first_repeat_ms "first replay refused (ConditionalCheckFailed), ms"
    probe_row "$results" warm_claim_median_us "warm claim (median of 200), µs"
    probe_row "$results" warm_repeat_median_us "warm replay refused (median of 200), µs"
    probe_row "$results" memory_claim_median_us "claim in memory, no table (median of 200), µs"
    echo
  } | tee -a "$OUT/claims.md.tmp"
done
{ cat "$OUT/claims.md.tmp"; machine_line "$RUNS"; } > "$OUT/claims.md" && rm -f "$OUT/claims.md.tmp"
machine_line "$RUNS"
