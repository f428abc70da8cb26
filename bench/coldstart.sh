#!/usr/bin/env bash
# Cold-start probe: process start -> handler response, in fresh JVMs with Lambda's JIT defaults.
#
#   bench/coldstart.sh            # 10 runs per configuration (RUNS=20 bench/coldstart.sh for more)
#   MEMORY=1024m bench/coldstart.sh   # size the JVM like a 1024 MB Lambda function
#   TABLE=1 bench/coldstart.sh        # with shared state: TRACE_TABLE_NAME on dynalite (needs Node.js 20+)
#   ROWS=1cpu bench/coldstart.sh      # only the one-pinned-CPU rows without AppCDS (what Lambda under 1.8 GB gets)
#   EVENTS="status deploy-client" bench/coldstart.sh   # only these requests (default: ping status deploy-client)
#   SECRET=1 bench/coldstart.sh       # tokens read from the SECRET_ID secret (Secrets Manager on loopback), as in Lambda
#
# For a signed PING, a first /status (GitHub on loopback) and a first /deploy-client (an operator's: claimed and
# handed to its job, which runs in-process as with `serve`), on 2 CPUs and pinned to one (taskset -c 0),
# without and with an AppCDS archive that the script builds. Prints min/median/max, peak RSS and the reply types
# (4 inline, 5 deferred), and writes the table to target/bench/coldstart.md and every run to coldstart-runs.txt.
# Needs only the JDK, Maven and taskset (util-linux). Without SECRET=1 no token is configured (GitHub's stand-in
# takes requests without one); with it, SECRET_ID names a secret that a Secrets Manager stand-in on loopback answers
# with fake tokens, no token variable is set, and the table also counts the stand-in's requests and the runs that
# logged the read before replying.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
OUT=target/bench
mkdir -p "$OUT"
source bench/lib.sh
# MEMORY=1024m sizes the JVM as a 1024 MB function sees its container (heap ergonomics follow the
# memory limit); unset, the JVM sizes itself from this host's RAM, which inflates RSS.
[ -n "${MEMORY:-}" ] && LAMBDA_FLAGS+=(-XX:MaxRAM="$MEMORY")

echo "building..." >&2
mvn -q -B package -DskipTests
JAR=target/valine-orchestrator.jar
# AppCDS takes jars only on the class path, so the probe classes travel as a jar too.
jar cf "$OUT/probe.jar" -C target/test-classes .
CP="$JAR:$OUT/probe.jar"
# The handler Lambda loads: from template.yaml once it exists, else the documented default.
HANDLER=""
if [ -f template.yaml ]; then
  HANDLER=$(sed -n 's/^ *Handler: *\([A-Za-z0-9_.$]*\)::handleRequest.*/\1/p' template.yaml | head -n 1)
fi
HANDLER=${HANDLER:-dev.valine.orchestrator.InteractionHandler}

java -cp "$CP" dev.valine.orchestrator.probe.EventMaker "$OUT/events"
java -cp "$CP" dev.valine.orchestrator.probe.FakeGitHub 0 > "$OUT/fake-github.out" &
GITHUB_PID=$!
trap 'kill $GITHUB_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do grep -q FAKE_GITHUB_PORT "$OUT/fake-github.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/FAKE_GITHUB_PORT=//p' "$OUT/fake-github.out")

PIDS=$GITHUB_PID
if [ "${SECRET:-}" = 1 ]; then
  java -cp "$CP" dev.valine.orchestrator.probe.FakeSecretsManager 0 > "$OUT/fake-secrets-manager.out" &
  PIDS="$PIDS $!"
  trap 'kill $PIDS 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do grep -q FAKE_SECRETS_MANAGER_REQUESTS "$OUT/fake-secrets-manager.out" 2>/dev/null && break; sleep 0.1; done
  # Its region, endpoint and placeholder keys (not credentials: the stand-in checks none).
  while read -r assignment; do export "${assignment?}"; done < <(sed -n 's/^export //p' "$OUT/fake-secrets-manager.out")
  export SECRET_ID=valine/bench-coldstart
  # The tokens come from the secret only when the environment has none (see Tokens.forApp).
  unset DISCORD_BOT_TOKEN GITHUB_TOKEN
fi

if [ "${TABLE:-}" = 1 ]; then
  start_dynalite
  PIDS="$PIDS $DYNALITE_PID"
  trap 'kill $PIDS 2>/dev/null || true' EXIT
  export TRACE_TABLE_NAME=bench-coldstart
  # The template creates the table in Lambda; here `serve` does, once, before any timed run.
  timeout 60 java -jar "$JAR" serve --port 0 > "$OUT/table.out" 2>&1 &
  SERVE_PID=$!
  for _ in $(seq 1 300); do grep -q "listening" "$OUT/table.out" 2>/dev/null && break; sleep 0.1; done
  kill $SERVE_PID 2>/dev/null || true
fi

DISCORD_PUBLIC_KEY=$(cat "$OUT/events/public-key.txt")
export DISCORD_PUBLIC_KEY
export STAGE=prod GITHUB_REPO=octo-org/deploy-service GITHUB_API_BASE="http://127.0.0.1:$PORT" STATUS_WORKFLOWS=deploy.yml
export SIGNATURE_MAX_AGE_SECONDS=3600 ENABLE_JSON_LOGGING=true LOG_LEVEL=INFO
# The user of deploy-client.json, so that /deploy-client is an operator's: deferred at once, claimed, handed to a job.
export OPERATOR_USER_IDS=100000000000000004 DEPLOY_WORKFLOW=deploy.yml
unset AWS_LAMBDA_FUNCTION_NAME AWS_XRAY_DAEMON_ADDRESS JAVA_TOOL_OPTIONS

# The Secrets Manager stand-in's request count so far (0 without SECRET=1).
secret_reads() {
  if [ "${SECRET:-}" = 1 ]; then sed -n 's/FAKE_SECRETS_MANAGER_REQUESTS=//p' "$OUT/fake-secrets-manager.out" | tail -n 1; else echo 0; fi
}

# One run: milliseconds from just before exec to the probe's response timestamp, peak RSS in KiB, the reply's
# type, the stand-in's requests during the run and whether the run logged the secret's read before it replied.
run_once() {
  local pin=$1 cds=$2 event=$3 start line reads_before
  local cmd=(java "${LAMBDA_FLAGS[@]}")
  [ "$cds" = yes ] && cmd+=(-XX:SharedArchiveFile="$OUT/app.jsa" -Xshare:auto)
  local expect='"type\":1'
  # The first /status counts when it answers at all: inline (type 4) or deferred (type 5) in time.
  [ "$event" = status ] && expect='"type\":4|"type\":5'
  [ "$event" = deploy-client ] && expect='"type\":5'
  cmd+=(-cp "$CP" dev.valine.orchestrator.probe.ColdStartProbe "$HANDLER" "$OUT/run.json" "$expect")
  [ "$pin" = 1 ] && cmd=(taskset -c 0 "${cmd[@]}")
  reads_before=$(secret_reads)
  start=$(date +%s%3N)
  # API Gateway stamps arrival; here it is "now", so the command budget pays for the cold start, as in Lambda.
  sed "s/1111111111111/$start/" "$OUT/events/$event.json" > "$OUT/run.json"
  if ! "${cmd[@]}" >"$OUT/probe.out" 2>"$OUT/probe.err" || ! line=$(grep '^PROBE responded' "$OUT/probe.out"); then
    echo "probe failed ($event, $pin cpu, cds=$cds):" >&2; cat "$OUT/probe.err" >&2; exit 1
  fi
  local responded=${line#*responded_at_ms=}; responded=${responded%% *}
  local rss=${line#*peak_rss_kib=}; rss=${rss%% *}
  local type=${line#*reply_type=}; type=${type%% *}
  # The read's log line comes before the PROBE line only when the read finished before the reply.
  local logged
  logged=$(awk '/^PROBE responded/ {exit} /read the bot.s tokens from Secrets Manager/ {n = 1} END {print n + 0}' "$OUT/probe.out")
  # The stand-in reports its count within ~10 ms of a request; the run's process has exited by now.
  [ "${SECRET:-}" = 1 ] && sleep 0.05
  echo "$((responded - start)) $rss $type $(($(secret_reads) - reads_before)) $logged"
}

# The archive is tied to this JDK build and this jar; it is rebuilt on every run of the script.
if [ "${ROWS:-}" != 1cpu ]; then
echo "training the AppCDS archive..." >&2
rm -f "$OUT/app.jsa"
sed "s/1111111111111/$(date +%s%3N)/" "$OUT/events/status.json" > "$OUT/run.json"
java "${LAMBDA_FLAGS[@]}" -XX:ArchiveClassesAtExit="$OUT/app.jsa" -cp "$CP" dev.valine.orchestrator.probe.ColdStartProbe \
  "$HANDLER" "$OUT/run.json" "Deploy status" > "$OUT/training.out" 2>&1 || { cat "$OUT/training.out" >&2; exit 1; }
fi


summary() {
  local results=$1 ms rss types
  ms=$(echo "$results" | awk '{print $1}' | sort -n)
  rss=$(echo "$results" | awk '{print $2}' | sort -n)
  # e.g. "4×7 5×3": how many runs got each reply type.
  types=$(echo "$results" | awk '{print $3}' | sort -n | uniq -c | awk '{printf "%s%s×%s", (NR > 1 ? " " : ""), $2, $1}')
  printf "| %s | %s | %s | %.1f | %.1f | %s |" "$(echo "$ms" | head -n 1)" "$(echo "$ms" | median)" "$(echo "$ms" | tail -n 1)" \
    "$(echo "$rss" | median | awk '{print $1 / 1024}')" "$(echo "$rss" | tail -n 1 | awk '{print $1 / 1024}')" "$types"
  if [ "${SECRET:-}" = 1 ]; then
    printf " %s | %s |" "$(echo "$results" | awk '{n += $4} END {print n}')" "$(echo "$results" | awk '{n += $5} END {print n}')"
  fi
}

# Every run of this sitting, for a closer look than the table's: "event cpus cds= ms rss_kib type secret_reads logged"
# (the last two 0 without SECRET=1).
: > "$OUT/coldstart-runs.txt"
{
  if [ "${SECRET:-}" = 1 ]; then
    echo "| request | CPUs | AppCDS | min ms | median ms | max ms | peak RSS median MiB | peak RSS max MiB | reply types | secret reads | reads logged before the reply |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
  else
    echo "| request | CPUs | AppCDS | min ms | median ms | max ms | peak RSS median MiB | peak RSS max MiB | reply types |"
    echo "|---|---|---|---|---|---|---|---|---|"
  fi
  for event in ${EVENTS:-ping status deploy-client}; do
    for pin in 2 1; do
      for cds in no yes; do
        if [ "${ROWS:-}" = 1cpu ] && { [ "$pin" != 1 ] || [ "$cds" != no ]; }; then continue; fi
        echo "$event $pin cpu cds=$cds ..." >&2
        results=$(for _ in $(seq 1 "$RUNS"); do run_once "$pin" "$cds" "$event"; done)
        case $event in
          ping) label="signed PING" ;;
          status) label="first /status${SECRET:+ (tokens from the secret)}" ;;
          *) label="first /$event (deferred at once)" ;;
        esac
        echo "| $label | $pin | $cds $(summary "$results")"
        echo "$results" | sed "s/^/$event ${pin}cpu cds=$cds /" >> "$OUT/coldstart-runs.txt"
      done
    done
  done
} | tee "$OUT/coldstart.md"
echo "JDK: $(java -version 2>&1 | head -n 1); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); runs per row: $RUNS; memory: ${MEMORY:-host default}; table: ${TABLE:-none}; secret: ${SECRET:-none}" | tee -a "$OUT/coldstart.md"
