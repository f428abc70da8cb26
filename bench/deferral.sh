#!/usr/bin/env bash
# Cost of handing a deferred job to an asynchronous Lambda invocation, in fresh JVMs with Lambda's JIT
# defaults: building the invoker (the SDK's LambdaClient on the JDK's URLConnection, as the app builds it
# but with time to spare, as SnapStart priming does), the first invoke, and the median warm invoke,
# against a loopback server that answers 202 like Lambda. In production priming pays the cold figures.
#
#   bench/deferral.sh            # 10 fresh JVMs (RUNS=20 bench/deferral.sh for more)
#
# Writes target/bench/deferral.md. Needs only the JDK and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
OUT=target/bench
mkdir -p "$OUT"
source bench/lib.sh

echo "building..." >&2
mvn -q -B package -DskipTests
CP="target/valine-orchestrator.jar:target/test-classes"


results=$(for _ in $(seq 1 "$RUNS"); do
  java "${LAMBDA_FLAGS[@]}" -cp "$CP" dev.valine.orchestrator.probe.DeferralCostProbe | grep '^PROBE'
done)
{
  echo "| step (fresh JVM, C1) | min | median | max |"
  echo "|---|---|---|---|"
  probe_row "$results" build_ms "build the invoker (SDK LambdaClient, URLConnection HTTP client), ms"
  probe_row "$results" first_invoke_ms "first async invoke, ms"
  probe_row "$results" warm_invoke_median_us "warm async invoke (median of 50), µs"
  echo
  machine_line "$RUNS"
} | tee "$OUT/deferral.md"
