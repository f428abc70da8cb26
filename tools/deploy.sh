#!/usr/bin/env bash
# Deploys one stage and checks that `live` (which serves Discord and the deferred jobs) runs what was
# deployed. The other way to deploy is SAM's own, `sam build && sam deploy --config-env <stage>`; use this one
# in CI and whenever a parameter is given on the command line:
#
#   mvn -B package && tools/deploy.sh <dev|staging|prod> [Key=Value ...]      # CI: the jar the tests ran on
#   tools/deploy.sh <dev|staging|prod> [Key=Value ...]                        # builds with Maven if need be
#   ROLL_FORWARD=1 tools/deploy.sh <stage>      # after a rollback by hand: may move live past the rolled-back version
#
# Key=Value pairs override samconfig.toml's parameter_overrides for this deploy (e.g. MemorySize=2048);
# a parameter passed neither here nor in samconfig.toml keeps the stack's current value.
#
# It runs `sam build` itself, always: template.yaml builds the function with the Makefile, which unpacks
# target/valine-orchestrator.jar when it is newer than pom.xml and src/main (so the jar is not built twice)
# and runs Maven otherwise. What ships is then the current sources, never an older .aws-sam/build.
#
# Why it records a digest: SAM publishes a new version, and moves `live`, only when the package or the
# template's unresolved text changes, not when only a parameter's value does (template.yaml says more). The
# Makefile records template.yaml's and samconfig.toml's SHA-256 in the package; this script replaces that with a
# digest (tools/deploy-digest.sh) of what `sam build` produced and every parameter's value, the ones given here
# and the ones the stack keeps, so any change to what the function runs changes the package and publishes.
# Then tools/check-live.sh checks that `live` runs $LATEST.
set -euo pipefail
set -f  # parameter values are split on spaces below, never glob-expanded
cd "$(dirname "$0")/.."

die() { echo "deploy: $*" >&2; exit 1; }
say() { echo "deploy: $*" >&2; }

[ $# -ge 1 ] || die "usage: tools/deploy.sh <dev|staging|prod> [Key=Value ...]"
stage=$1
shift
for tool in sam aws make unzip; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on PATH"
done
# shellcheck source=tools/stack.sh
. tools/stack.sh

# The overrides: samconfig.toml's, then the command line's (a later value for the same name wins).
# sam's own quoting is not supported, so a value may hold no spaces or quotes.
params=()
add() {
  local pair=$1 kept=() existing
  [[ $pair =~ ^[A-Za-z0-9]+=[^[:space:]\"\'\\]*$ ]] || die "not Key=Value without spaces or quotes: $pair"
  case "$pair" in *REPLACE_ME*) die "$pair: replace the REPLACE_ME values in samconfig.toml ([$stage.deploy.parameters])" ;; esac
  [ "${pair%%=*}" != DeployDigest ] || die "DeployDigest is no longer a parameter of template.yaml: remove it from samconfig.toml (or the command line)"
  for existing in ${params[@]+"${params[@]}"}; do
    [ "${existing%%=*}" = "${pair%%=*}" ] || kept+=("$existing")
  done
  params=(${kept[@]+"${kept[@]}"} "$pair")
}
for pair in $(samconfig parameter_overrides) "$@"; do
  add "$pair"
done

# The stack's current parameters: what CloudFormation keeps for a parameter this deploy does not pass.
previous=$(mktemp)
trap 'rm -f "$previous"' EXIT
stack_exists=true
if ! error=$(aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
    --query 'Stacks[0].Parameters[].[ParameterKey,ParameterValue]' --output text 2>&1 >"$previous"); then
  case "$error" in
    *"does not exist"*) stack_exists=false; : >"$previous" ;;
    *) die "cannot read stack $stack: $error" ;;
  esac
fi

# Where live is, and whether it may move, before anything is built: a stack whose first change set was never
# executed is still to be created; a stack that is busy or broken cannot take a deploy; live pointed elsewhere
# by hand is a rollback this deploy would undo.
before=none
if $stack_exists; then
  status=$(stack_status) || die "cannot read stack $stack (above)"
  case "$status" in
    REVIEW_IN_PROGRESS) stack_exists=false; : >"$previous" ;;  # sam deploy creates it, from the template's defaults
    ROLLBACK_COMPLETE | ROLLBACK_FAILED)
      die "stack $stack is $status: its first create failed. Delete it (and the log group: README.md, \"Deploy\"), then deploy again:
    aws cloudformation delete-stack --region $region --stack-name $stack" ;;
    *_IN_PROGRESS | *_FAILED)
      die "stack $stack is $status: wait for it to settle, or see why:
    aws cloudformation describe-stack-events --region $region --stack-name $stack --max-items 10" ;;
  esac
fi
if $stack_exists; then
  fn=$(function_name) || die "cannot read stack $stack (above)"
  if [ -z "$fn" ] || [ "$fn" = None ]; then
    die "stack $stack ($status) has no FunctionName output: it is not this template's stack, or it was changed by hand"
  fi
  before=$(live_version "$fn") || die "cannot read the alias live of $fn (above)"
  current=$(stack_version) || die "cannot read the resources of stack $stack (above)"
  # Deploying moves live to what this build publishes, which may be the code it was rolled back from.
  if [ "$before" != none ] && [ "$current" != none ] && [ "$current" != "$before" ] && [ "${ROLL_FORWARD:-}" != 1 ]; then
    die "live is on version $before, but the stack's version is $current: live was pointed there by hand (a rollback).
  This deploy would move live to this build. If the build has the fix, run: ROLL_FORWARD=1 tools/deploy.sh $stage $*"
  fi
fi

# The build, from the current sources (the Makefile reuses an up-to-date jar); sam build empties the build
# directory first. The handler's class must be at the package's root, where Lambda loads it from.
built=.aws-sam/build
code=$built/InteractionsFunction
say "sam build (reuses target/valine-orchestrator.jar when it is newer than pom.xml and src/main)"
sam build --template-file template.yaml --build-dir "$built"
handler=$(awk '$1 == "Handler:" { sub(/::.*/, "", $2); gsub(/\./, "/", $2); print $2 ".class"; exit }' template.yaml)
if [ -z "$handler" ] || [ ! -f "$code/$handler" ]; then
  die "sam build left no $code/$handler: the package would not start"
fi
# sam deploy drops a value for a parameter the template does not have, silently; it would still change the digest.
known=$(awk '/^[^ #]/ { inside = ($0 ~ /^Parameters:/) } inside && /^  [A-Za-z0-9]+:/ { sub(/:.*/, ""); print $1 }' "$built/template.yaml")
for pair in ${params[@]+"${params[@]}"}; do
  grep -qx "${pair%%=*}" <<<"$known" || die "${pair%%=*} is not a parameter of template.yaml: check its spelling (samconfig.toml or the command line)"
done

digest=$(bash tools/deploy-digest.sh "$code" "$built/template.yaml" "$previous" ${params[@]+"${params[@]}"})
# The same file the Makefile wrote (Makefile: inputs), now naming every input.
inputs=$code/META-INF/valine-orchestrator/deploy-inputs.txt
[ -f "$inputs" ] || die "sam build left no $inputs: the Makefile is not the one this script expects"
printf '%s  %s\n' "$digest" "deploy digest: the package, the built template and every parameter's value" >"$inputs"

say "stack $stack, deploy digest $digest; live is on version $before"

# sam reads an empty value only in quotes (Key=""), e.g. AlertChannelId= to turn alerts off.
overrides=""
for pair in ${params[@]+"${params[@]}"}; do
  if [ -z "${pair#*=}" ]; then overrides+="$pair\"\" "; else overrides+="$pair "; fi
done
# The built template, named explicitly: it is what the digest covers. SAM looks for samconfig.toml next to
# the template it is given, so the config file is named too.
sam deploy --config-env "$stage" --config-file "$PWD/samconfig.toml" --template-file "$PWD/$built/template.yaml" \
  --parameter-overrides "${overrides% }"

after=$(live_version "$(function_name)") || die "deployed, but cannot read the alias live (above): run tools/check-live.sh $stage"
checked=0
bash tools/check-live.sh "$stage" || checked=$?
case $checked in
  0) ;;
  1) die "live does not run this deploy (above). If you declined the change set, nothing was deployed;
  otherwise see RUNBOOK.md, section 6.1." ;;
  *) die "deployed, but could not check live (above): run tools/check-live.sh $stage once that is fixed" ;;
esac
if [ "$before" = "$after" ]; then
  say "live stays on version $after: nothing the function runs changed (or the change set was not executed)"
else
  say "live moved from version $before to $after, which runs deploy digest $digest"
fi
