#!/usr/bin/env bash
# Prints the deploy digest tools/deploy.sh records in the package: a SHA-256 over everything that decides what
# the Lambda function runs, so that the package (and with it the version SAM publishes and `live`) changes
# whenever one of them changes, and stays the same when none does (the code directory includes what the
# Makefile recorded, the SHA-256 of template.yaml and of all of samconfig.toml, so editing another stage's
# section or a comment there changes it too):
#   - the code: the directory `sam build` packages (.aws-sam/build/InteractionsFunction, the shaded jar's
#     contents), every file's path and bytes; or a single file such as a jar,
#   - the template that is deployed (every literal: flags such as DRY_RUN or LOG_LEVEL, Timeout, Runtime, ...),
#   - the value every stack parameter will have after this deploy (AlertChannelId, which turns
#     ENABLE_ALERTS on, SecretName, MemorySize, ...): the override this deploy passes,
#     or else the stack's current value, which CloudFormation keeps for a parameter not passed.
# A DeployDigest parameter a stack still has from older deploys is left out.
# No AWS calls; TemplateContractTest runs it.
#
# usage: tools/deploy-digest.sh CODE TEMPLATE PREVIOUS [Key=Value ...]
#   CODE       a directory (what SAM zips: file paths and contents count, times and permissions do not)
#              or a file
#   PREVIOUS   the stack's current parameters, one "Key<TAB>Value" a line, as printed by
#              aws cloudformation describe-stacks --stack-name S \
#                --query 'Stacks[0].Parameters[].[ParameterKey,ParameterValue]' --output text
#              (an empty file for a stack that does not exist yet)
#   Key=Value  the parameter overrides this deploy passes to `sam deploy`
set -euo pipefail

die() { echo "deploy-digest: $*" >&2; exit 2; }
[ $# -ge 3 ] || die "usage: tools/deploy-digest.sh CODE TEMPLATE PREVIOUS [Key=Value ...]"
code=$1 template=$2 previous=$3
shift 3
[ -f "$code" ] || [ -d "$code" ] || die "no such file or directory: $code"
for file in "$template" "$previous"; do
  [ -f "$file" ] || die "no such file: $file"
done

if command -v sha256sum >/dev/null 2>&1; then sha256sum=(sha256sum); else sha256sum=(shasum -a 256); fi
sha256() { "${sha256sum[@]}" | cut -c1-64; }

overrides=""
for pair in "$@"; do
  case "$pair" in
    *=*) ;;
    *) die "not Key=Value: $pair" ;;
  esac
  key=${pair%%=*}
  [[ $key =~ ^[A-Za-z0-9]+$ ]] || die "not a parameter name: $key"
  overrides+="O"$'\t'"$key"$'\t'"${pair#*=}"$'\n'
done

# A directory as SAM packages it: its files (not directories), each by path relative to it and content, in
# byte order of the paths. sha256sum prints "<hash>  ./<path>" for each; that listing is hashed.
code_line() {
  if [ -d "$code" ]; then
    echo "code directory $( (cd "$code" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r "${sha256sum[@]}") | sha256)"
  else
    echo "code file $(sha256 <"$code")"
  fi
}

{
  echo "valine-orchestrator deploy digest 2"
  code_line
  echo "template $(sha256 <"$template")"
  # Override beats previous value; one line per parameter, in a fixed order.
  { awk -F '\t' '$1 != "" { print "P\t" $1 "\t" $2 }' "$previous"; printf '%s' "$overrides"; } \
    | awk -F '\t' '
        { names[$2] = 1; if ($1 == "O") { given[$2] = $3 } else { kept[$2] = $3 } }
        END {
          for (name in names) {
            if (name == "DeployDigest") continue
            print "param " name "=" ((name in given) ? given[name] : kept[name])
          }
        }' \
    | LC_ALL=C sort
} | sha256
