# The atlasinv_org_invites example (examples/data-sources/atlasinv_org_invites),
# ported to atlasinv_org_users: the guide "Migrate from atlasinv_org_invites to
# atlasinv_org_users" shows everything below the variable, marked as a
# fragment of this file.
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

# Every pending invitation of the organization: the PENDING users. Without
# org_membership_statuses Atlas adds the ACTIVE members.
data "atlasinv_org_users" "pending" {
  org_id                  = var.org_id
  org_membership_statuses = ["PENDING"]
}

# username is never null, so no coalesce(username, id).
output "pending_invitations" {
  value = [
    for u in data.atlasinv_org_users.pending.users :
    "${u.username}: ${coalesce(join(", ", sort(u.org_roles)), "no organization role")} (invited by ${coalesce(u.inviter_username, "unknown")})"
  ]
}

# The invitation of one person, if there is one.
data "atlasinv_org_users" "alice" {
  org_id                  = var.org_id
  username                = "alice@example.com"
  org_membership_statuses = ["PENDING"]
}

output "alice_is_invited" {
  value = length(data.atlasinv_org_users.alice.users) > 0
}

locals {
  # Keyed by email address, ready for for_each: no null to filter out.
  invites_by_username = {
    for u in data.atlasinv_org_users.pending.users : u.username => u
  }

  # Invitations that expire within the next 7 days (or already have). A
  # PENDING user's invitation_expires_at may be null and timecmp() fails on
  # null, so the test for null comes first, in a conditional: && would not
  # protect timecmp() on Terraform 1.8 and older.
  expiry_horizon = timeadd(plantimestamp(), "168h")
  expiring_soon = {
    for u in data.atlasinv_org_users.pending.users : u.username => u.invitation_expires_at
    if u.invitation_expires_at == null ? false : timecmp(u.invitation_expires_at, local.expiry_horizon) <= 0
  }
}

resource "terraform_data" "invitation_follow_up" {
  for_each = local.invites_by_username

  input = {
    username   = each.key
    roles      = sort(each.value.org_roles)
    expires_at = each.value.invitation_expires_at
  }
}

output "invitations_expiring_within_7_days" {
  value = local.expiring_soon
}

# Reads the PENDING users only: over all users it would fire on the
# organization's real owners. A failed check is a warning, not an error.
check "no_pending_org_owner_invitations" {
  assert {
    condition = alltrue([
      for u in data.atlasinv_org_users.pending.users : !contains(u.org_roles, "ORG_OWNER")
    ])
    error_message = "Pending invitations grant ORG_OWNER to: ${join(", ", [
      for u in data.atlasinv_org_users.pending.users : u.username
      if contains(u.org_roles, "ORG_OWNER")
    ])}. Revoke them in Atlas or invite with a narrower role."
  }
}
