#!/usr/bin/env bash
# Cost of the shared trace store in fresh JVMs with Lambda's JIT defaults: building the DynamoDB client
# (the SDK's DynamoDbClient on the JDK's URLConnection, as the app builds it but with time to spare, as
# SnapStart priming does), the first trace write and read, and warm ones, against dynalite (npm, in
# memory) on loopback. A local server measures the client's own cost, not DynamoDB's latency
# (single-digit milliseconds in the same region). In production priming pays the cold figures.
#
#   bench/dynamodb.sh            # 10 fresh JVMs (RUNS=20 bench/dynamodb.sh for more)
#
# Writes target/bench/dynamodb.md. Needs the JDK, Maven and Node.js 20+.
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

TABLE=bench-state
java -cp "$CP" dev.valine.orchestrator.probe.DynamoCostProbe create "$TABLE"   # not timed: the runs below start cold
results=$(for _ in $(seq 1 "$RUNS"); do
  java "${LAMBDA_FLAGS[@]}" -cp "$CP" dev.valine.orchestrator.probe.DynamoCostProbe "$TABLE" | grep '^PROBE'
done)
{
  echo "| step (fresh JVM, C1, dynalite on loopback) | min | median | max |"
  echo "|---|---|---|---|"
  probe_row "$results" build_ms "build the DynamoDB client, ms"
  probe_row "$results" first_write_ms "first trace write (PutItem), ms"
  probe_row "$results" first_read_ms "first newest-trace read (Query), ms"
  probe_row "$results" warm_write_median_us "warm write (median of 50), µs"
  probe_row "$results" warm_read_median_us "warm read (median of 50), µs"
  echo
  machine_line "$RUNS"
} | tee "$OUT/dynamodb.md"
