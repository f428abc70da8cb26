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
(cd tools/dynalite && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
node tools/dynalite/node_modules/dynalite/cli.js --port "$PORT" --host 127.0.0.1 --createTableMs 20 >/dev/null 2>&1 &
DYNALITE=$!
trap 'kill $DYNALITE 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done

# dynalite accepts any credentials; these are placeholders, not keys.
export AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=local-dynalite AWS_SECRET_ACCESS_KEY=local-dynalite
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$PORT"
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
