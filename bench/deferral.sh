#!/usr/bin/env bash
# Cost of handing a deferred job to an asynchronous Lambda invocation, in fresh JVMs with Lambda's JIT
# defaults: building the invoker (the AWS SDK's SigV4 signer and URLConnection HTTP client), the first
# invoke, and the median warm invoke, against a loopback server that answers 202 like Lambda.
#
#   bench/deferral.sh            # 10 fresh JVMs (RUNS=20 bench/deferral.sh for more)
#
# Writes target/bench/deferral.md. Needs only the JDK and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
OUT=target/bench
mkdir -p "$OUT"
LAMBDA_FLAGS=(-XX:+TieredCompilation -XX:TieredStopAtLevel=1)

echo "building..." >&2
mvn -q -B package -DskipTests
CP="target/valine-orchestrator.jar:target/test-classes"

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

results=$(for _ in $(seq 1 "$RUNS"); do
  java "${LAMBDA_FLAGS[@]}" -cp "$CP" dev.valine.orchestrator.probe.DeferralCostProbe | grep '^PROBE'
done)
field() { echo "$results" | sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
row() {
  local values; values=$(field "$1" | sort -n)
  printf "| %s | %s | %s | %s |\n" "$2" "$(echo "$values" | head -n 1)" "$(echo "$values" | median)" "$(echo "$values" | tail -n 1)"
}
{
  echo "| step (fresh JVM, C1) | min | median | max |"
  echo "|---|---|---|---|"
  row build_ms "build the invoker (SDK SigV4 signer, credentials, URLConnection client), ms"
  row first_invoke_ms "first async invoke, ms"
  row warm_invoke_median_us "warm async invoke (median of 50), µs"
  echo
  echo "JDK: $(java -version 2>&1 | head -n 1); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); nproc: $(nproc); runs: $RUNS"
} | tee "$OUT/deferral.md"
