#!/usr/bin/env bash
# Provider documentation with the tfplugindocs pinned in tools/go.mod.
#
#   bash scripts/docs.sh generate   render docs/ from templates/, examples/
#                                   and the provider schema (make generate)
#   bash scripts/docs.sh check      render docs/ again, fail if that changed
#                                   anything, then tfplugindocs validate
#                                   (make docs-check)
#
# Nothing is downloaded. tfplugindocs would otherwise build the provider and
# look for a terraform binary on PATH, downloading the latest release when it
# finds none. Instead this script builds the provider itself, asks the
# Terraform CLI cached by scripts/install-cli.sh for the schema
# (`terraform providers schema -json` through dev_overrides, no init), and
# hands the JSON to tfplugindocs as --providers-schema, so tfplugindocs runs
# neither go build nor terraform. The cached terraform is first on PATH all
# the same, and CHECKPOINT_DISABLE=1 keeps every tool off the network.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in
generate | check) ;;
*)
  echo "usage: $0 generate|check" >&2
  exit 2
  ;;
esac

provider_name=atlasinv
rendered_name="MongoDB Atlas Invitations (atlasinv)"

export CHECKPOINT_DISABLE=1
tf=$(bash scripts/install-cli.sh terraform "${TF_VERSION:-1.8.5}")
PATH="$(dirname "$tf"):$PATH"
export PATH

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tfplugindocs() {
  go tool -modfile=tools/go.mod tfplugindocs "$@"
}

# The provider schema, from a fresh build of this tree. tfplugindocs looks
# the schema up under registry.terraform.io/hashicorp/<provider-name>, so the
# throwaway configuration uses the implied hashicorp/atlasinv address.
go build -o "$work/bin/terraform-provider-$provider_name" .
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/hashicorp/$provider_name" = "$work/bin"
  }
  direct {}
}
CFG
mkdir "$work/schema"
printf 'provider "%s" {}\n' "$provider_name" >"$work/schema/main.tf"
(cd "$work/schema" && TF_CLI_CONFIG_FILE="$work/cli.tfrc" "$tf" providers schema -json) >"$work/schema.json"

generate() {
  tfplugindocs generate \
    --provider-dir . \
    --provider-name "$provider_name" \
    --rendered-provider-name "$rendered_name" \
    --providers-schema "$work/schema.json"
}

if [ "$mode" = generate ]; then
  generate
  exit 0
fi

# check: render into the tree and compare with what was there before.
mkdir -p "$work/before"
if [ -d docs ]; then
  cp -R docs "$work/before/docs"
else
  mkdir "$work/before/docs"
fi
generate >"$work/generate.log" 2>&1 || {
  cat "$work/generate.log" >&2
  echo "docs-check: tfplugindocs generate failed" >&2
  exit 1
}
if ! git diff --no-index --exit-code --stat -- "$work/before/docs" docs >/dev/null 2>&1; then
  git --no-pager diff --no-index -- "$work/before/docs" docs | sed "s|$work/before/|/|g" >&2 || true
  cat >&2 <<MSG

docs-check: docs/ was out of date with templates/, examples/ or the provider
schema (the diff above). It has now been regenerated in place: run
'make generate' yourself next time, review the result with 'git diff -- docs/'
and commit it.
MSG
  exit 1
fi
echo "docs-check: docs/ is up to date"

# validate logs every file it looks at as [DEBUG] on stderr; that is shown
# only when it fails.
if ! tfplugindocs validate \
  --provider-dir . \
  --provider-name "$provider_name" \
  --providers-schema "$work/schema.json" >"$work/validate.log" 2>&1; then
  cat "$work/validate.log" >&2
  echo "docs-check: tfplugindocs validate failed" >&2
  exit 1
fi
grep -v '\[DEBUG\]' "$work/validate.log" || true
echo "docs-check: tfplugindocs validate passed"
