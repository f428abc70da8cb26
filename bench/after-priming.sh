#!/usr/bin/env bash
# What a first command still loads and builds after SnapStart priming: our stand-in for a restore. In one
# JVM per run (Lambda's C1 flags, one pinned CPU): build the app from the environment, prime it
# (SnapStartPriming.prime(), then the after-restore hook), then the first /status and the first
# /debug-last. GitHub and DynamoDB (dynalite) on loopback; the Lambda API is never called (the commands
# answer inline).
#
#   bench/after-priming.sh            # 5 runs (RUNS=10 bench/after-priming.sh for more)
#
# Writes target/bench/after-priming.md, and the classes each first command loaded (first run) to
# target/bench/after-priming-classes.txt. Needs the JDK, Maven, Node.js 20+ and taskset.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
OUT=target/bench
mkdir -p "$OUT"
source bench/lib.sh

if [ "${SKIP_BUILD:-}" != 1 ]; then
  echo "building..." >&2
  mvn -q -B package -DskipTests
fi
CP="target/valine-orchestrator.jar:target/test-classes"
java -cp "$CP" dev.valine.orchestrator.probe.EventMaker "$OUT/events"

(cd tools/dynalite && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
node tools/dynalite/node_modules/dynalite/cli.js --port "$PORT" --host 127.0.0.1 --createTableMs 20 >/dev/null 2>&1 &
DYNALITE=$!
java -cp "$CP" dev.valine.orchestrator.probe.FakeGitHub 0 > "$OUT/fake-github.out" &
GITHUB=$!
trap 'kill $DYNALITE $GITHUB 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
for _ in $(seq 1 50); do grep -q FAKE_GITHUB_PORT "$OUT/fake-github.out" 2>/dev/null && break; sleep 0.1; done
GITHUB_PORT=$(sed -n 's/FAKE_GITHUB_PORT=//p' "$OUT/fake-github.out")

export DISCORD_PUBLIC_KEY=$(cat "$OUT/events/public-key.txt")
export STAGE=dev GITHUB_REPO=octo-org/deploy-service GITHUB_API_BASE="http://127.0.0.1:$GITHUB_PORT" STATUS_WORKFLOWS=deploy.yml
export SIGNATURE_MAX_AGE_SECONDS=3600 ENABLE_JSON_LOGGING=true LOG_LEVEL=INFO ENABLE_DEBUG_CMD=true
# dynalite accepts any credentials; these are placeholders, not keys.
export TRACE_TABLE_NAME=bench-after-priming AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=local-dynalite AWS_SECRET_ACCESS_KEY=local-dynalite
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$PORT"
unset AWS_LAMBDA_FUNCTION_NAME AWS_XRAY_DAEMON_ADDRESS JAVA_TOOL_OPTIONS

results=""
for run in $(seq 1 "$RUNS"); do
  lines=$(taskset -c 0 java "${LAMBDA_FLAGS[@]}" -Xlog:class+load:stderr -cp "$CP" dev.valine.orchestrator.probe.AfterPrimingProbe \
    "$OUT/events" 2>"$OUT/after-priming.err" | grep '^PROBE') || { cat "$OUT/after-priming.err" >&2; exit 1; }
  results+="$lines"$'\n'
  if [ "$run" = 1 ]; then
    # Class-load lines between the markers: what each first command loaded.
    awk '/^PROBE-MARK/ {step=$2; print "== after " step; next} step != "" && /class,load/ {print "  " $2}' \
      "$OUT/after-priming.err" > "$OUT/after-priming-classes.txt"
  fi
done

row() {
  local step=$1 label=$2 values
  values=$(echo "$results" | grep "step=$step " )
  printf "| %s | %s | %s | %s |\n" "$label" \
    "$(echo "$values" | sed -n 's/.*new_classes=\([0-9]*\).*/\1/p' | median)" \
    "$(echo "$values" | sed -n 's/.*took_us=\([0-9]*\).*/\1/p' | median | awk '{printf "%.1f", $1 / 1000}')" \
    "$(echo "$values" | sed -n 's/.*type=\([0-9]*\).*/\1/p' | sort -u | tr '\n' ' ')"
}
{
  echo "| after priming, same JVM (1 CPU, C1) | new classes (median) | ms to the reply (median) | reply type |"
  echo "|---|---|---|---|"
  row first_status "first /status"
  row first_debug_last "first /debug-last"
  echo
  echo "Priming itself: $(echo "$results" | grep 'step=primed' | sed -n 's/.*took_us=\([0-9]*\).*/\1/p' | median | awk '{printf "%.0f", $1 / 1000}') ms (median)."
  machine_line "$RUNS"
} | tee "$OUT/after-priming.md"
