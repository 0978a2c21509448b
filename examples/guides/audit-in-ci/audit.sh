#!/usr/bin/env bash
# The audit of audit.yml for any CI that runs a shell script on a schedule:
# installs atlasinv from its release, plans once to write the offenders as a
# Markdown summary, then again with the policy enforced. It exits
# non-zero on a breach, the plan's error naming the offenders.
#
# Run it in the folder of main.tf and terraform.tfvars, with the credentials
# exported (MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, or an
# API key's MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY).
# It needs curl, sha256sum and jq. Settings, all optional:
#   TERRAFORM          the CLI: terraform (the default) or tofu
#   ATLASINV_VERSION   the provider's release
#   ATLASINV_RELEASES  where the release zip files are
#   AUDIT_SUMMARY      the file the summary goes to (audit-summary.md)
set -euo pipefail

tf=${TERRAFORM:-terraform}
version=${ATLASINV_VERSION:-0.1.0}
releases=${ATLASINV_RELEASES:-https://github.com/atlasinv/terraform-provider-atlasinv/releases/download}
summary=${AUDIT_SUMMARY:-audit-summary.md}
os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
case $arch in
x86_64) arch=amd64 ;;
aarch64) arch=arm64 ;;
esac

# The release zip of this machine's platform, checked against the release's
# SHA256SUMS, in a filesystem mirror for Terraform's and OpenTofu's hosts.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
zip=terraform-provider-atlasinv_${version}_${os}_${arch}.zip
sums=terraform-provider-atlasinv_${version}_SHA256SUMS
(
  cd "$work"
  curl -fsSL --retry 3 -O "$releases/v$version/$zip" -O "$releases/v$version/$sums"
  sha256sum --check --ignore-missing "$sums"
)
for host in registry.terraform.io registry.opentofu.org; do
  mkdir -p "$work/providers/$host/atlasinv/atlasinv"
  cp "$work/$zip" "$work/providers/$host/atlasinv/atlasinv/"
done
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$work/providers"
    include = ["registry.terraform.io/atlasinv/atlasinv", "registry.opentofu.org/atlasinv/atlasinv"]
  }
  direct {
    exclude = ["registry.terraform.io/atlasinv/atlasinv", "registry.opentofu.org/atlasinv/atlasinv"]
  }
}
EOF
export TF_CLI_CONFIG_FILE=$work/cli.tfrc TF_IN_AUTOMATION=1 TF_INPUT=0

"$tf" init
# The outputs come from the saved plan: terraform output reads the state,
# which a plan does not write, and Terraform 1.8 will not apply a
# refresh-only plan that changes no managed resource. A plan applies nothing.
"$tf" plan -out=audit.tfplan -var fail_on_breach=false
"$tf" show -json audit.tfplan | jq -r '
  .planned_values.outputs.offenders.value |
  "## Pending Atlas invitations that break the policy", "",
  if length == 0 then "None."
  else
    "| Invitee | Invited by | Organization roles | Expires | Breaks |",
    "|---|---|---|---|---|",
    (.[] | "| \(.username) | \(.invited_by // "") | \(.org_roles | join(", ")) | \(.expires_at // "") | \(.breaks | join("; ")) |")
  end' >"$summary"
cat "$summary"
"$tf" plan
