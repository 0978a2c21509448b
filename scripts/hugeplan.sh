#!/usr/bin/env bash
# make hugeplan: the provider's peak memory while it refuses a 1 GiB answer,
# measured on a real `terraform plan` against the mock Atlas on loopback
# (under 512 MiB: DESIGN.md, Bounded answers). Builds the provider and the
# driver (internal/cmd/hugeplan), which prints the peak RSS and the
# diagnostic.
# Nothing is downloaded at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
terraform=$(bash scripts/install-cli.sh terraform "${TF_VERSION:-1.8.5}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/terraform-provider-atlasinv" .
go build -o "$work/hugeplan" ./internal/cmd/hugeplan
"$work/hugeplan" -terraform "$terraform" -provider "$work/terraform-provider-atlasinv"
