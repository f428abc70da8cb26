#!/usr/bin/env bash
# Checks that `live`, the alias that serves Discord and the deferred jobs, runs the function's current code and
# configuration: the version it points at has the same code (CodeSha256), environment, memory, timeout, runtime,
# handler, architecture, SnapStart, role, layers, logging and tracing as $LATEST, which every deploy updates.
#
#   tools/check-live.sh <dev|staging|prod>
#
# Run it after a bare `sam deploy` (tools/deploy.sh runs it itself), and before deploying after a rollback.
# It fails when a deploy changed $LATEST without publishing a version (a value given only with
# `sam deploy --parameter-overrides`, a `sam deploy` of an older build, a change of the stack's parameters in the
# console, an edit of the function in the console), and when `live` was pointed at another version by hand (a
# rollback: the stack's version is another). Needs the AWS CLI with the stage's credentials. Prints no value of
# a variable whose name says token, secret or password (versions from before the tokens moved to Secrets Manager
# hold them).
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

fn=$(function_name) || die "cannot read stack $stack in $region (above)"
if [ -z "$fn" ] || [ "$fn" = None ]; then
  die "stack $stack has no FunctionName output: is it deployed?"
fi
version=$(live_version "$fn") || die "cannot read the alias live of $fn (above)"
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
live=$(settings live) || die "cannot read $fn:live (above)"
latest=$(settings "\$LATEST") || die "cannot read $fn:\$LATEST (above)"

if [ "$live" = "$latest" ]; then
  say "live (version $version) runs the function's current code and configuration"
  exit 0
fi

# Only now, as it needs the stack settled: which version the stack points live at.
current=$(stack_version) || die "cannot tell a rollback from an unpublished change (above)"

# Inputs of the last `sam build` here, when the Makefile wrote them (tools/deploy.sh writes one digest line).
built=.aws-sam/build/InteractionsFunction/META-INF/valine-orchestrator/deploy-inputs.txt
stale_build=false
if [ -f "$built" ] && grep -q '  template.yaml$' "$built"; then
  if command -v sha256sum >/dev/null 2>&1; then sha256sum=(sha256sum); else sha256sum=(shasum -a 256); fi
  recorded=$(awk '{ print $2 }' "$built" | tr '\n' ' ')
  # shellcheck disable=SC2086  # the recorded names, one word each
  [ "$("${sha256sum[@]}" $recorded 2>/dev/null)" = "$(cat "$built")" ] || stale_build=true
fi

{
  echo "check-live: live (version $version) does not run the function's current code and configuration (\$LATEST):"
  # Only the lines that differ; a variable named like a token keeps its name and loses its value.
  diff <(echo "$live") <(echo "$latest") \
    | sed -n -e 's/^< /  live:    /p' -e 's/^> /  $LATEST: /p' \
    | sed -E '/"SECRET_ID":/!s/^(  [^ ]+ +"[A-Za-z0-9_]*(TOKEN|Token|token|PASSWORD|Password|password|SECRET|Secret|secret)[A-Za-z0-9_]*": ).*/\1(value not shown)/' \
    || true
  if [ "$current" != none ] && [ "$current" != "$version" ]; then
    cat <<MESSAGE
The stack's version is $current, not live's: live was pointed at version $version by hand (a rollback).
That is expected until the fix is deployed: the next deploy that publishes moves live to the new version
(tools/deploy.sh asks for ROLL_FORWARD=1 first). To undo the rollback instead (live runs version $current
again, the code it was rolled back from):
  aws lambda update-alias --region $region --function-name $fn --name live --function-version $current
MESSAGE
  else
    cat <<MESSAGE
A deploy changed \$LATEST without publishing a version: a value given only with
\`sam deploy --parameter-overrides\`, a \`sam deploy\` of an older build, a change of the stack's
parameters or of the function in the console. To publish what samconfig.toml and the stack's
parameters say: tools/deploy.sh $stage (RUNBOOK.md, section 6.1).
MESSAGE
  fi
  if $stale_build; then
    echo "The package in .aws-sam/build was built before template.yaml or samconfig.toml last changed: run sam build first."
  fi
} >&2
exit 1
