#!/usr/bin/env bash
# make demo: plan examples/demo against the bundled mock Atlas, no account
# needed. Builds the provider (and Terraform when it is not cached), starts
# the mock on a free loopback port and always stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

terraform=$(bash scripts/install-cli.sh terraform "${TF_VERSION:-1.8.5}")
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

bin/mockatlas -quiet -env-file "$work/atlas.env" &
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

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "atlasinv/atlasinv" = "$root/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
cp -R examples/demo "$work/demo"
cd "$work/demo"
"$terraform" plan -input=false
