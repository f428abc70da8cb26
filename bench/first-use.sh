#!/usr/bin/env bash
# What single steps cost the first time a fresh JVM does them, on one pinned CPU with Lambda's JIT
# defaults: the evidence behind cold-path choices in docs/benchmarks.md (which SHA-512, no String.format
# on the /status path, our signature verifier against BouncyCastle's).
#
#   bench/first-use.sh            # 9 fresh JVMs per step (RUNS=15 bench/first-use.sh for more)
#
# Writes target/bench/first-use.md. Needs the JDK, Maven and taskset.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-9}
OUT=target/bench
mkdir -p "$OUT"
source bench/lib.sh

echo "building..." >&2
mvn -q -B package -DskipTests
CP="target/valine-orchestrator.jar:target/test-classes"
# A key and a signature made in a JVM of their own: signing would warm up what the verifier steps measure.
read -r KEY TIMESTAMP SIGNATURE < <(java -cp "$CP" dev.valine.orchestrator.probe.FirstUseProbe sign)

{
  echo "| first use (fresh JVM, 1 CPU, C1) | min µs | median µs | max µs |"
  echo "|---|---|---|---|"
  for step in sha512-bouncycastle sha512-jdk string-format verifier-bouncycastle verifier-ours; do
    results=$(for _ in $(seq 1 "$RUNS"); do
      taskset -c 0 java "${LAMBDA_FLAGS[@]}" -cp "$CP" dev.valine.orchestrator.probe.FirstUseProbe "$step" "$KEY" "$TIMESTAMP" \
        "$SIGNATURE" | grep '^PROBE'
    done)
    probe_row "$results" first_use_us "$step"
  done
  echo
  machine_line "$RUNS"
} | tee "$OUT/first-use.md"
