# shellcheck shell=bash
# Shared by tools/deploy.sh and tools/check-live.sh (sourced, not run): a stage's stack as samconfig.toml names it,
# and the function and `live` alias in it. Expects $stage, die() and the working directory at the project's root.

case "${stage:-}" in
  dev | staging | prod) ;;
  *) die "unknown stage '${stage:-}': dev, staging or prod" ;;
esac

# A string value of [<stage>.deploy.parameters] in samconfig.toml.
samconfig() {
  awk -v section="[$stage.deploy.parameters]" -v key="$1" '
    /^\[/ { inside = ($0 == section) }
    inside && $0 ~ ("^" key "[ \t]*=") {
      value = $0
      sub(/^[^=]*= *"/, "", value)
      sub(/" *$/, "", value)
      print value
      exit
    }' samconfig.toml
}
stack=$(samconfig stack_name)
region=$(samconfig region)
if [ -z "$stack" ] || [ -z "$region" ]; then
  die "samconfig.toml has no stack_name and region under [$stage.deploy.parameters]"
fi

# The function's name, from the stack's outputs.
function_name() {
  aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='FunctionName'].OutputValue" --output text
}

# The version `live` points at; "none" when the function has no such alias. Any other error (credentials, access)
# is printed and returned, never taken for a missing alias. The CLI's stderr is kept apart: a warning it prints on
# success must not become the version.
live_version() {
  local out err status=0
  err=$(mktemp)
  out=$(aws lambda get-alias --region "$region" --function-name "$1" --name live --query FunctionVersion --output text 2>"$err") \
    || status=$?
  if [ "$status" -eq 0 ]; then
    echo "$out"
  elif grep -q ResourceNotFoundException "$err"; then
    echo none
    status=0
  else
    cat "$err" >&2
  fi
  rm -f "$err"
  return "$status"
}

# The stack's status, e.g. UPDATE_COMPLETE.
stack_status() {
  aws cloudformation describe-stacks --region "$region" --stack-name "$stack" --query 'Stacks[0].StackStatus' --output text
}

# The version the stack publishes and points `live` at: its one AWS::Lambda::Version resource (SAM names it after the
# package, and keeps the old ones out of the stack when it publishes another). "none" before the first. A version
# published by an update that then rolled back, or by hand, is not the stack's: only `live` pointed elsewhere by hand
# differs from it. Only a settled stack has one such resource: while an update runs (or after one failed) there may be
# two, and the new one exists before the alias moves, so then this fails with the status.
stack_version() {
  local status arn
  status=$(stack_status) || return 1
  case "$status" in
    *_IN_PROGRESS | *_FAILED)
      echo "stack $stack is $status: wait for it to settle (aws cloudformation describe-stack-events --region $region --stack-name $stack --max-items 10)" >&2
      return 1 ;;
  esac
  # At most 100 resources are listed; this stack has far fewer.
  arn=$(aws cloudformation describe-stack-resources --region "$region" --stack-name "$stack" \
    --query "StackResources[?ResourceType=='AWS::Lambda::Version'].PhysicalResourceId" --output text) || return 1
  case "$arn" in
    "" | None) echo none ;;
    *[[:space:]]*) echo "stack $stack has more than one version resource: $arn" >&2; return 1 ;;
    *:*) echo "${arn##*:}" ;;
    *) echo "unexpected version resource: $arn" >&2; return 1 ;;
  esac
}
