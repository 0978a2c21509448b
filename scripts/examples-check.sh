#!/usr/bin/env bash
# Checks the examples that the documentation embeds (make examples-check):
#   1. terraform fmt -check -recursive examples/
#   2. terraform validate in each example folder (examples/provider, every
#      examples/data-sources/* and any other folder of .tf files), against the provider built by `make build`
#      (bin/terraform-provider-atlasinv) through dev_overrides.
# With dev_overrides, validate needs no `terraform init` (`terraform get`
# installs an example's local modules, offline) and nothing is
# installed or downloaded. Each folder is validated in a temporary copy, so no
# .terraform directory or lock file is left in examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export CHECKPOINT_DISABLE=1
tf=$(bash scripts/install-cli.sh terraform "${TF_VERSION:-1.8.5}")
provider_bin="$root/bin/terraform-provider-atlasinv"
if [ ! -x "$provider_bin" ]; then
  echo "examples-check: $provider_bin is missing; run 'make build' first (make examples-check does)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A CLI configuration of our own: the environment's one (if any) may point
# elsewhere or hold credentials for a registry we must not reach.
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
cat >"$TF_CLI_CONFIG_FILE" <<CFG
provider_installation {
  dev_overrides {
    "atlasinv/atlasinv" = "$root/bin"
  }
  direct {}
}
CFG
# Validation never calls Configure, but make sure no real credentials could
# be used if it ever did.
for v in $(env | sed -n 's/^\(MONGODB_ATLAS_[A-Z_]*\|MCLI_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

# Terraform warns on every command that dev_overrides are in effect; that is
# the point here, so the warning is dropped, and with it the "but there were
# some validation warnings" of a success that had no other warning.
without_override_warning() {
  awk '
    /^Warning: Provider development overrides are in effect$/ { skip = 1; next }
    skip && /^releases\.$/ { skip = 0; next }
    skip { next }
    /^Warning:/ { warned = 1 }
    /^Success! The configuration is valid, but there were some validation warnings/ && !warned {
      print "Success! The configuration is valid."; getline; next
    }
    NF || printed { print; printed = NF }
  '
}

fail=0
echo "==> terraform fmt -check -recursive examples/"
if ! "$tf" fmt -check -recursive -diff examples/; then
  echo "examples-check: the files above are not formatted; run: terraform fmt -recursive examples/" >&2
  fail=1
fi

# Every folder with .tf files: examples/provider, each examples/data-sources/*,
# and any other configuration kept under examples/ (such as examples/demo).
mapfile -t dirs < <(find examples -name '*.tf' -not -path '*/.terraform/*' -exec dirname {} \; | LC_ALL=C sort -u)

for d in "${dirs[@]}"; do
  copy="$work/copy/$d"
  mkdir -p "$copy"
  cp -R "$d"/. "$copy"/
  rm -rf "$copy/.terraform" "$copy/.terraform.lock.hcl"
  echo "==> terraform validate $d"
  if out=$(cd "$copy" && "$tf" get -no-color >/dev/null && "$tf" validate -no-color 2>&1); then rc=0; else rc=$?; fi
  printf '%s\n' "$out" | without_override_warning
  if [ "$rc" -ne 0 ]; then
    echo "examples-check: $d does not validate" >&2
    fail=1
  fi
done

if [ "$fail" -ne 0 ]; then
  echo "examples-check: FAILED" >&2
  exit 1
fi
echo "examples-check: ${#dirs[@]} example folders formatted and valid"
