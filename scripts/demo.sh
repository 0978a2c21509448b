#!/usr/bin/env bash
# make demo: plan examples/demo against the bundled mock Atlas, no account
# needed. Uses the terraform (or else tofu) on PATH when its version is one
# the provider supports, and only when there is none builds Terraform from
# the Go module proxy (cached, scripts/install-cli.sh). Builds the provider,
# starts the mock on a free loopback port and always stops it again.
# The CLI installs the provider as a user's would, with terraform init: from
# a filesystem_mirror in the demo's temporary directory, named by a CLI
# configuration written there. Nothing is written to the home directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# The oldest CLI the provider works with: plugin protocol 6, which nested
# attributes need, came with Terraform 1.0; every OpenTofu release has it.
# (README: Compatibility.)
min_terraform=1.0.0
min_tofu=1.6.0

# cli_version prints the version a terraform or tofu binary reports; the
# JSON key is terraform_version for both. No update check, no CLI config.
cli_version() {
  CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
    sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p'
}

# at_least A B: version A (a pre-release suffix counts as its release) is B
# or later.
at_least() {
  [ "$(printf '%s\n%s\n' "$2" "${1%%-*}" | sort -V | head -n1)" = "$2" ]
}

terraform=
for name in terraform tofu; do
  path=$(command -v "$name") || continue
  version=$(cli_version "$path")
  min=$min_terraform
  [ "$name" = tofu ] && min=$min_tofu
  if [ -n "$version" ] && at_least "$version" "$min"; then
    terraform=$path
    echo "make demo: using $name $version from PATH ($path)"
    break
  fi
  if [ -n "$version" ]; then
    echo "make demo: skipping $path: $name $version is older than $min, the oldest supported"
  else
    echo "make demo: skipping $path: it does not report a version (older than Terraform 0.13?)"
  fi
done
if [ -z "$terraform" ]; then
  version=${TF_VERSION:-1.8.5}
  echo "make demo: no supported terraform or tofu on PATH; using Terraform $version built from source (cached after the first build)"
  terraform=$(bash scripts/install-cli.sh terraform "$version")
fi
go build -o bin/terraform-provider-atlasinv .
go build -o bin/mockatlas ./internal/cmd/mockatlas

work=$(mktemp -d)
mock_pid=
cleanup() {
  if [ -n "$mock_pid" ]; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Dates relative to now, so that "expires within 7 days" means something.
bin/mockatlas -quiet -relative-dates -env-file "$work/atlas.env" &
mock_pid=$!
for _ in $(seq 100); do
  [ -s "$work/atlas.env" ] && break
  kill -0 "$mock_pid" 2>/dev/null || { echo "mock Atlas failed to start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/atlas.env" ] || { echo "mock Atlas did not start within 10s" >&2; exit 1; }
# shellcheck disable=SC1091
source "$work/atlas.env"
# The demo signs in with the API key (HTTP digest); the mock also offers a
# service account, which would otherwise take precedence.
unset MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET
echo "mock Atlas listening at $MONGODB_ATLAS_BASE_URL"

# The provider under this version in the unpacked mirror layout, for both
# CLIs' registry hosts (scripts/install.sh), and a CLI configuration that
# installs from that mirror alone.
bash scripts/install.sh mirror bin/terraform-provider-atlasinv "$work/mirror"
cat >"$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path = "$work/mirror"
  }
}
RC
# A plugin cache or data directory of the caller's would be written to.
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
cp -R examples/demo "$work/demo"
cd "$work/demo"
# init's own report (its lock file warning included) only when it fails.
if ! out=$("$terraform" init -input=false -no-color 2>&1); then
  printf '%s\n' "$out" >&2
  echo "make demo: $(basename "$terraform") init failed" >&2
  exit 1
fi
echo "make demo: $(basename "$terraform") init installed atlasinv/atlasinv $(bash "$root/scripts/version.sh") from a filesystem_mirror in the demo's temporary directory"
"$terraform" plan -input=false
