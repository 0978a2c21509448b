# The configuration of examples/guides/migrate-to-org-users/before, migrated
# as the guide "Migrate from atlasinv_org_invites to atlasinv_org_users" shows
# it in parts, each marked as a fragment of this file.
terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

variable "org_id" {
  type        = string
  description = "Id of the Atlas organization."
}

data "atlasinv_org_users" "pending" {
  org_id                  = var.org_id
  username                = "alice@example.com" # optional, the same exact-match filter
  org_membership_statuses = ["PENDING"]
}

output "pending" {
  value = [for u in data.atlasinv_org_users.pending.users : "${u.username} (${join(", ", u.org_roles)})"]
}

locals {
  read_only_projects = toset([
    for g in one(data.atlasinv_org_users.pending.users).group_role_assignments : g.group_id
    if contains(g.group_roles, "GROUP_READ_ONLY")
  ])
}

# Keyed by username, which does not change when the invitation ids become
# user ids.
resource "terraform_data" "follow_up" {
  for_each = { for u in data.atlasinv_org_users.pending.users : u.username => u }
  input    = each.value.invitation_expires_at
}
