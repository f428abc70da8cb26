#!/usr/bin/env bash
# Did a change make the cold path slower? Interleaved A/B of the first /status (one pinned CPU, C1, no
# AppCDS) between a git revision and the working tree, so both see the same machine drift.
#
#   bench/ab-coldstart.sh 23c9600              # 12 runs each (RUNS=20 for more)
#   EVENT=ping bench/ab-coldstart.sh 23c9600   # a signed PING instead of the first /status
#
# Prints each run and the medians of time and peak RSS. Needs git, the JDK, Maven and taskset.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BASE=${1:?usage: bench/ab-coldstart.sh <git revision>}
RUNS=${RUNS:-12}
EVENT=${EVENT:-status}
case "$EVENT" in
  status) EXPECT="Deploy status" ;;
  ping) EXPECT='"type\":1' ;;
  *) echo "EVENT must be status or ping" >&2; exit 2 ;;
esac
OLD=$(mktemp -d)
trap 'git worktree remove --force "$OLD" >/dev/null 2>&1 || true; kill ${GH:-0} 2>/dev/null || true' EXIT

prepare() { # directory: build the jar and the probe classes, make events signed with a fresh key
  (cd "$1" && mvn -q -B package -DskipTests && mkdir -p target/bench \
    && jar cf target/bench/probe.jar -C target/test-classes . \
    && java -cp target/valine-orchestrator.jar:target/bench/probe.jar dev.valine.orchestrator.probe.EventMaker target/bench/events >/dev/null)
}
git worktree add -q "$OLD" "$BASE"
echo "building $BASE and the working tree..." >&2
prepare "$OLD"
prepare .

java -cp target/valine-orchestrator.jar:target/test-classes dev.valine.orchestrator.probe.FakeGitHub 0 > target/bench/ab-github.out &
GH=$!
for _ in $(seq 1 50); do grep -q FAKE_GITHUB_PORT target/bench/ab-github.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/FAKE_GITHUB_PORT=//p' target/bench/ab-github.out)

run() { # directory -> "ms rss_kib"
  local dir=$1 start line
  start=$(date +%s%3N)
  sed "s/1111111111111/$start/" "$dir/target/bench/events/$EVENT.json" > "$dir/target/bench/run.json"
  line=$(cd "$dir" && DISCORD_PUBLIC_KEY=$(cat target/bench/events/public-key.txt) STAGE=prod GITHUB_REPO=octo-org/deploy-service \
    GITHUB_API_BASE="http://127.0.0.1:$PORT" STATUS_WORKFLOWS=deploy.yml SIGNATURE_MAX_AGE_SECONDS=3600 \
    taskset -c 0 java "${LAMBDA_FLAGS[@]}" -cp target/valine-orchestrator.jar:target/bench/probe.jar \
    dev.valine.orchestrator.probe.ColdStartProbe dev.valine.orchestrator.InteractionHandler target/bench/run.json "$EXPECT" \
    2>/dev/null | grep '^PROBE responded')
  local responded=${line#*responded_at_ms=}; responded=${responded%% *}
  local rss=${line#*peak_rss_kib=}; rss=${rss%% *}
  echo "$((responded - start)) $rss"
}
results=$(for _ in $(seq 1 "$RUNS"); do echo "base $(run "$OLD")"; echo "work $(run .)"; done)
echo "$results"
for side in base work; do
  printf "%s: median %s ms, peak RSS median %s KiB\n" "$side" \
    "$(echo "$results" | awk -v s=$side '$1==s {print $2}' | median)" "$(echo "$results" | awk -v s=$side '$1==s {print $3}' | median)"
done
