#!/usr/bin/env bash
# What the first /status, /debug-last, /verify-run and /deploy-client (inline half, then the deferred half:
# dispatch, one poll, last edit) still load after SnapStart priming, in the same JVM: an app configured as
# in Lambda (shared state in DynamoDB, deferral through Lambda; GitHub, Discord, DynamoDB, Lambda and the
# deployed targets on loopback stand-ins with fake keys) is primed as before a snapshot, then asked each
# command once. Lambda's JIT defaults; one fresh JVM per run.
#
#   bench/after-priming.sh            # 5 runs (RUNS=10 bench/after-priming.sh for more)
#   PIN=1 bench/after-priming.sh      # on one pinned CPU (taskset -c 0), as a function under 1.8 GB runs
#
# Writes target/bench/after-priming.md, and the classes the last run's commands loaded to
# target/bench/after-priming-classes.txt (/status, /debug-last) and after-priming-ops-classes.txt (the ops
# commands). Needs only the JDK and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
OUT=target/bench
mkdir -p "$OUT"
source bench/lib.sh

echo "building..." >&2
mvn -q -B package -DskipTests
CP="target/valine-orchestrator.jar:target/test-classes"

PINNING=()
[ "${PIN:-}" = 1 ] && PINNING=(taskset -c 0)
results=$(for _ in $(seq 1 "$RUNS"); do
  "${PINNING[@]}" java "${LAMBDA_FLAGS[@]}" -Xlog:class+load=info -cp "$CP" dev.valine.orchestrator.probe.AfterPrimingProbe > "$OUT/after-priming.log"
  grep '^PROBE ' "$OUT/after-priming.log"
done)
# Everything loaded between the first command's start and the end of the second, then by the ops commands.
loaded() { grep 'class,load' | sed 's/.*class,load\] \([^ ]*\).*/\1/'; }
sed -n '/^PROBE-MARK status/,/^PROBE-MARK verify-run/p' "$OUT/after-priming.log" | loaded > "$OUT/after-priming-classes.txt" || true
sed -n '/^PROBE-MARK verify-run/,/^PROBE-MARK end/p' "$OUT/after-priming.log" | loaded > "$OUT/after-priming-ops-classes.txt" || true
{
  echo "| after priming, same JVM (C1, stand-ins on loopback) | min | median | max |"
  echo "|---|---|---|---|"
  probe_row "$results" prime_ms "priming (throwaway app on stand-ins, then the app's clients), ms"
  probe_row "$results" status_new_classes "first /status: classes loaded"
  probe_row "$results" status_ms "first /status, ms"
  probe_row "$results" debug_last_new_classes "first /debug-last: classes loaded"
  probe_row "$results" debug_last_ms "first /debug-last, ms"
  probe_row "$results" verify_run_new_classes "first /verify-run (inline): classes loaded"
  probe_row "$results" verify_run_ms "first /verify-run, ms"
  probe_row "$results" deploy_inline_new_classes "first /deploy-client, inline half (deferred): classes loaded"
  probe_row "$results" deploy_inline_ms "first /deploy-client, inline half, ms"
  probe_row "$results" deploy_job_new_classes "first /deploy-client, deferred half (dispatch, poll, last edit): classes loaded"
  probe_row "$results" deploy_job_ms "first /deploy-client, deferred half, ms"
  probe_row "$results" lambda_clients_built_after_priming "Lambda clients built after priming"
  probe_row "$results" app_table_calls_in_priming "calls priming sent the app's own upstreams (its table's warm-up read)"
  echo
  machine_line "$RUNS"
} | tee "$OUT/after-priming.md"
