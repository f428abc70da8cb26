#!/usr/bin/env bash
# Deploys one stage and checks that `live` (which serves Discord and the deferred jobs) runs what was
# deployed. Use it instead of a bare `sam deploy`, after building either way:
#
#   mvn -B package && tools/deploy.sh <dev|staging|prod> [Key=Value ...]      # CI: the jar the tests ran on
#   sam build && tools/deploy.sh <dev|staging|prod> [Key=Value ...]           # the SAM habit
#
# Key=Value pairs override samconfig.toml's parameter_overrides for this deploy (e.g. MemorySize=2048);
# a parameter passed neither here nor in samconfig.toml keeps the stack's current value.
#
# It runs `sam build` itself, always: template.yaml builds the function with the Makefile, which unpacks
# target/valine-orchestrator.jar when it is newer than pom.xml and src/main (so the jar is not built twice)
# and runs Maven otherwise. What ships is then the current sources, never an older .aws-sam/build.
#
# Why a wrapper: SAM publishes a new version, and moves `live`, only when the version's logical id changes.
# template.yaml derives that id from the DeployDigest parameter, which this script computes with
# tools/deploy-digest.sh from what `sam build` produced (the function's files and the built template) and
# every parameter's value. Without it a deploy that changes only a parameter (a flag, SecretName, memory)
# would update $LATEST, which serves nothing. samconfig.toml holds a DeployDigest that CloudFormation
# refuses, so a bare `sam deploy` fails loudly.
set -euo pipefail
set -f  # parameter values are split on spaces below, never glob-expanded
cd "$(dirname "$0")/.."

die() { echo "deploy: $*" >&2; exit 1; }
say() { echo "deploy: $*" >&2; }

[ $# -ge 1 ] || die "usage: tools/deploy.sh <dev|staging|prod> [Key=Value ...]"
stage=$1
shift
case "$stage" in
  dev | staging | prod) ;;
  *) die "unknown stage '$stage': dev, staging or prod" ;;
esac
for tool in sam aws make unzip; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on PATH"
done

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
[ -n "$stack" ] && [ -n "$region" ] || die "samconfig.toml has no stack_name and region under [$stage.deploy.parameters]"

# The overrides: samconfig.toml's, then the command line's (a later value for the same name wins).
# sam's own quoting is not supported, so a value may hold no spaces or quotes.
params=()
add() {
  local pair=$1 kept=() existing
  [[ $pair =~ ^[A-Za-z0-9]+=[^[:space:]\"\'\\]*$ ]] || die "not Key=Value without spaces or quotes: $pair"
  case "$pair" in *REPLACE_ME*) die "$pair: replace the REPLACE_ME values in samconfig.toml ([$stage.deploy.parameters])" ;; esac
  for existing in ${params[@]+"${params[@]}"}; do
    [ "${existing%%=*}" = "${pair%%=*}" ] || kept+=("$existing")
  done
  params=(${kept[@]+"${kept[@]}"} "$pair")
}
for pair in $(samconfig parameter_overrides); do
  [ "${pair%%=*}" = DeployDigest ] || add "$pair"
done
for pair in "$@"; do
  [ "${pair%%=*}" != DeployDigest ] || die "DeployDigest is computed here, not passed"
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

# The build, from the current sources (the Makefile reuses an up-to-date jar); sam build empties the build
# directory first. The handler's class must be at the package's root, where Lambda loads it from.
built=.aws-sam/build
code=$built/InteractionsFunction
say "sam build (reuses target/valine-orchestrator.jar when it is newer than pom.xml and src/main)"
sam build --template-file template.yaml --build-dir "$built"
handler=$(awk '$1 == "Handler:" { sub(/::.*/, "", $2); gsub(/\./, "/", $2); print $2 ".class"; exit }' template.yaml)
[ -n "$handler" ] && [ -f "$code/$handler" ] || die "sam build left no $code/$handler: the package would not start"

digest=$(bash tools/deploy-digest.sh "$code" "$built/template.yaml" "$previous" ${params[@]+"${params[@]}"})
last=$(awk -F '\t' '$1 == "DeployDigest" { print $2 }' "$previous")

function_name() {
  aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='FunctionName'].OutputValue" --output text
}
live_version() {
  aws lambda get-alias --region "$region" --function-name "$1" --name live --query FunctionVersion --output text 2>/dev/null \
    || echo none
}
before=none
if $stack_exists; then
  before=$(live_version "$(function_name)")
fi
say "stack $stack, DeployDigest $digest (last deployed: ${last:-none}); live is on version $before"

# sam reads an empty value only in quotes (Key=""), e.g. AlertChannelId= to turn alerts off.
overrides=""
for pair in ${params[@]+"${params[@]}"}; do
  if [ -z "${pair#*=}" ]; then overrides+="$pair\"\" "; else overrides+="$pair "; fi
done
# The built template, named explicitly: it is what the digest covers. SAM looks for samconfig.toml next to
# the template it is given, so the config file is named too.
sam deploy --config-env "$stage" --config-file "$PWD/samconfig.toml" --template-file "$PWD/$built/template.yaml" \
  --parameter-overrides "${overrides}DeployDigest=$digest"

# What live runs now. SAM appends DeployDigest to the function's description, and a version keeps the
# description it was published with, so live's description ends with the digest of what it runs.
fn=$(function_name)
after=$(live_version "$fn")
description=$(aws lambda get-function-configuration --region "$region" --function-name "$fn" --qualifier live \
  --query Description --output text)
ran=${description##* }
the_version="aws lambda list-versions-by-function --region $region --function-name $fn \\
      --query \"Versions[?ends_with(Description, '$digest')].Version\" --output text"
if [ "$ran" = "$digest" ] && [ "$digest" = "$last" ]; then
  say "nothing the function runs changed; live stays on version $after"
elif [ "$ran" = "$digest" ]; then
  say "live moved from version $before to $after, which runs DeployDigest $digest"
elif [ "$digest" = "$last" ]; then
  die "live (version $after) runs DeployDigest $ran, not $digest. This deploy changed nothing, so it
  did not move live: it was pointed elsewhere by hand (a rollback?). The version that runs this deploy:
    $the_version
  Point live back at it once the reason for the rollback is fixed (RUNBOOK.md, section 6)."
else
  die "live (version $after) does not run this deploy: it runs DeployDigest $ran, not $digest.
  If you declined the change set, nothing was deployed. Otherwise no version was published for this
  deploy: check the stack's events, and RUNBOOK.md, section 6."
fi
