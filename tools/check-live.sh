#!/usr/bin/env bash
# Checks that `live`, the alias that serves Discord and the deferred jobs, runs the function's current code and
# configuration: the version it points at has the same code (CodeSha256), environment, memory, timeout, runtime,
# handler, architecture, SnapStart, role, layers, logging and tracing as $LATEST, which every deploy updates.
#
#   tools/check-live.sh <dev|staging|prod>
#
# Run it after a bare `sam deploy` (tools/deploy.sh runs it itself). It fails when a deploy changed $LATEST without
# publishing a version (a value given only with `sam deploy --parameter-overrides`, an edit in the console), or when
# `live` was pointed at another version by hand (a rollback). Needs the AWS CLI with the stage's credentials.
# Exit codes: 0 live runs $LATEST; 1 it does not (what differs is printed); 2 it could not check.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "check-live: $*" >&2; exit 2; }
say() { echo "check-live: $*" >&2; }

[ $# -eq 1 ] || die "usage: tools/check-live.sh <dev|staging|prod>"
stage=$1
command -v aws >/dev/null 2>&1 || die "'aws' is not on PATH"
# shellcheck source=tools/stack.sh
. tools/stack.sh

fn=$(function_name) || die "cannot read stack $stack in $region"
[ -n "$fn" ] && [ "$fn" != None ] || die "stack $stack has no FunctionName output: is it deployed?"
version=$(live_version "$fn")
[ "$version" != none ] || die "function $fn has no alias live: is the stack deployed?"

# What decides how the function behaves, one JSON member per line as the AWS CLI prints it, sorted, so that the
# order the service lists the environment in does not count.
settings() {
  aws lambda get-function-configuration --region "$region" --function-name "$fn" --qualifier "$1" --output json \
    --query '{code: CodeSha256, environment: Environment.Variables, memory: MemorySize, timeout: Timeout,
              runtime: Runtime, handler: Handler, architectures: Architectures, snapstart: SnapStart.ApplyOn,
              role: Role, layers: Layers[].Arn, logging: LoggingConfig, tracing: TracingConfig.Mode}' \
    | sed -e 's/^[[:space:]]*//' -e 's/,$//' | LC_ALL=C sort
}
live=$(settings live) || die "cannot read $fn:live"
latest=$(settings '$LATEST') || die "cannot read $fn:\$LATEST"

if [ "$live" = "$latest" ]; then
  say "live (version $version) runs the function's current code and configuration"
  exit 0
fi
{
  echo "check-live: live (version $version) does not run the function's current code and configuration (\$LATEST):"
  diff <(echo "$live") <(echo "$latest") | sed -n -e 's/^< /  live:    /p' -e 's/^> /  $LATEST: /p' || true
  cat <<MESSAGE
Either a deploy changed \$LATEST without publishing a version (a value given only with
\`sam deploy --parameter-overrides\`, an edit in the console), or live was pointed at another version by
hand (a rollback: then this is expected until the fix is deployed). To publish what samconfig.toml and
the stack's parameters say: tools/deploy.sh $stage (RUNBOOK.md, section 6).
MESSAGE
} >&2
exit 1
