# shellcheck shell=bash disable=SC2034  # sets variables for the scripts that source it
# Shared by the benchmark scripts: source it after `cd` to the repository root.

# Lambda's java17/java21 runtimes stop the JIT at C1 by default.
LAMBDA_FLAGS=(-XX:+TieredCompilation -XX:TieredStopAtLevel=1)

# Median of the numbers on stdin, one per line.
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# `probe_row <results> <field> <label>`: one table row (min, median, max) of a numeric field of the
# "PROBE field=value ..." lines in <results>.
probe_row() {
  local values
  values=$(echo "$1" | sed -n "s/.*$2=\([0-9]*\).*/\1/p" | sort -n)
  printf "| %s | %s | %s | %s |\n" "$3" "$(echo "$values" | head -n 1)" "$(echo "$values" | median)" "$(echo "$values" | tail -n 1)"
}

# The line under each table: what it was measured on.
machine_line() {
  echo "JDK: $(java -version 2>&1 | sed -n 1p); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); nproc: $(nproc); runs: $1"
}

# `start_dynalite`: dynalite (npm) on a free loopback port, and the AWS settings that point the SDK at it
# (exported). Sets DYNALITE_PID for the caller's EXIT trap. dynalite accepts any credentials; these are
# placeholders, not keys.
start_dynalite() {
  (cd tools/dynalite && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  node tools/dynalite/node_modules/dynalite/cli.js --port "$port" --host 127.0.0.1 --createTableMs 20 >/dev/null 2>&1 &
  DYNALITE_PID=$!
  for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
  export AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=local-dynalite AWS_SECRET_ACCESS_KEY=local-dynalite
  export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$port"
}
