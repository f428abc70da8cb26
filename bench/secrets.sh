#!/usr/bin/env bash
# What reading the tokens' secret (SECRET_ID) adds to a command, in fresh JVMs with Lambda's JIT defaults,
# against the loopback Secrets Manager stand-in (AWS_ENDPOINT_URL_SECRETS_MANAGER): after SnapStart priming
# (client built, nothing read) the first read, a warm read and a cache hit; without priming (serve) the
# client's build and first read together.
#
#   bench/secrets.sh            # 10 fresh JVMs per mode (RUNS=20 bench/secrets.sh for more)
#
# Writes target/bench/secrets.md. Needs only the JDK and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
OUT=target/bench
mkdir -p "$OUT"
source bench/lib.sh

echo "building..." >&2
mvn -q -B package -DskipTests
CP="target/valine-orchestrator.jar:target/test-classes"

run() {
  for _ in $(seq 1 "$RUNS"); do
    # nodelay: the stand-in's header and body go out as two writes; without it Nagle and delayed ACKs add ~40 ms
    # to every read on a reused connection, a cost of the stand-in that Secrets Manager does not have.
    java "${LAMBDA_FLAGS[@]}" -Dsun.net.httpserver.nodelay=true -cp "$CP" dev.valine.orchestrator.probe.SecretCostProbe "$1" 2>/dev/null \
      | grep '^PROBE'
  done
}
primed=$(run primed)
cold=$(run cold)
{
  echo "| step (fresh JVM, C1) | min | median | max |"
  echo "|---|---|---|---|"
  probe_row "$primed" app_reads_in_priming "reads of the app's secret during priming"
  probe_row "$primed" first_read_after_priming_us "first read after priming (the first command after a restore), µs"
  probe_row "$primed" warm_read_median_us "warm read, cache forgotten (every 15 min, or after a 401), median of 50, µs"
  probe_row "$primed" cache_hit_ns "cache hit (every other command), ns"
  probe_row "$cold" cold_first_read_ms "without priming: build the client and the first read, ms"
  echo
  machine_line "$RUNS"
} | tee "$OUT/secrets.md"
