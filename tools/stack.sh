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
# is printed and returned, never taken for a missing alias.
live_version() {
  local out
  if out=$(aws lambda get-alias --region "$region" --function-name "$1" --name live --query FunctionVersion --output text 2>&1); then
    echo "$out"
  elif [[ $out == *ResourceNotFoundException* ]]; then
    echo none
  else
    echo "$out" >&2
    return 1
  fi
}

# The newest published version of the function ("none" before the first).
newest_version() {
  local newest
  newest=$(aws lambda list-versions-by-function --region "$region" --function-name "$1" --query 'Versions[-1].Version' \
    --output text) || return 1
  if [ "$newest" = '$LATEST' ]; then echo none; else echo "$newest"; fi
}
