# The configuration that the guide "Migrate from atlasinv_org_invites to
# atlasinv_org_users" starts from. The guide shows it in parts, each marked as
# a fragment of this file, so that every part is checked in a configuration
# that validates (scripts/examples-check.sh).
terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

# The guide's "Opt out": keep reading the invitations API after the sunset.
provider "atlasinv" {
  invitations_source = "invitations"
}

variable "org_id" {
  type        = string
  description = "Id of the Atlas organization."
}

data "atlasinv_org_invites" "pending" {
  org_id   = var.org_id
  username = "alice@example.com" # optional
}

output "pending" {
  value = [for i in data.atlasinv_org_invites.pending.invites : "${i.username} (${join(", ", i.roles)})"]
}

locals {
  read_only_projects = toset([
    for g in one(data.atlasinv_org_invites.pending.invites).group_role_assignments : g.group_id
    if g.group_role == "GROUP_READ_ONLY"
  ])
}
