variable "org_id" {
  type        = string
  description = "Id of the Atlas organization (Organization Settings in the Atlas UI)."
}

# Pending invitations: users invited who have not accepted yet. Without
# org_membership_statuses Atlas would list ACTIVE members too.
data "atlasinv_org_users" "pending" {
  org_id                  = var.org_id
  org_membership_statuses = ["PENDING"]

  # A postcondition stops the plan with an error, where a check block (below)
  # only warns. Hundreds of open invitations mean someone is inviting in bulk:
  # stop before anything relies on this list.
  lifecycle {
    postcondition {
      condition     = length(self.users) <= 200
      error_message = "${length(self.users)} pending invitations: review who is inviting in bulk before relying on this list."
    }
  }
}

output "pending_invitations" {
  value = [
    for u in data.atlasinv_org_users.pending.users :
    "${u.username}: ${coalesce(join(", ", sort(u.org_roles)), "no organization role")} (invited by ${coalesce(u.inviter_username, "unknown")}, expires ${coalesce(u.invitation_expires_at, "never")})"
  ]
}

# Guardrail: nobody should be invited straight into the Organization Owner
# role. It reads the PENDING users only: leaving org_membership_statuses out
# would add the ACTIVE members, and the check would fire on the organization's
# real owners. A failed check is reported as a warning on every plan and apply;
# it does not stop them.
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

locals {
  # Pending invitations that expire within the next 7 days (or already have).
  # plantimestamp() is fixed for the whole plan, so every invitation is
  # compared with the same "now". Atlas may leave invitation_expires_at out
  # of a PENDING user too, and timecmp() fails the plan on null, hence
  # `x == null ? false : timecmp(x, ...)`: `x != null && timecmp(x, ...)` is
  # no guard on Terraform 1.8 and older, whose && evaluates both sides.
  expiry_horizon = timeadd(plantimestamp(), "168h")
  expiring_soon = {
    for u in data.atlasinv_org_users.pending.users : u.username => u.invitation_expires_at
    if u.invitation_expires_at == null ? false : timecmp(u.invitation_expires_at, local.expiry_horizon) < 0
  }
}

output "invitations_expiring_within_7_days" {
  value = local.expiring_soon
}

# Invitations nobody will accept any more: expired, or declined by the
# invitee. The invitations API never showed these; here they are a filter.
data "atlasinv_org_users" "cleanup" {
  org_id                  = var.org_id
  org_membership_statuses = ["INVITATION_EXPIRED", "INVITATION_REJECTED"]
}

output "invitations_to_clean_up" {
  value = {
    for u in data.atlasinv_org_users.cleanup.users : u.username => u.org_membership_status
  }
}

# Members who have not signed in for 90 days, for an access review. Leaving
# org_membership_statuses out lists ACTIVE and PENDING users, Atlas's default;
# only members have last_auth, and it is null for one who never signed in.
# plantimestamp() is fixed for the whole plan, so every user is compared with
# the same "now".
data "atlasinv_org_users" "members" {
  org_id                  = var.org_id
  org_membership_statuses = ["ACTIVE"]
}

locals {
  inactive_since = timeadd(plantimestamp(), "-2160h") # 90 days
  inactive_members = {
    for u in data.atlasinv_org_users.members.users : u.username => coalesce(u.last_auth, "never")
    if u.last_auth == null || timecmp(coalesce(u.last_auth, local.inactive_since), local.inactive_since) < 0
  }
}

output "members_inactive_for_90_days" {
  value = local.inactive_members
}

# One person, whatever their status. Atlas matches the address exactly; the
# list is empty when that address is not a user of the organization.
data "atlasinv_org_users" "alice" {
  org_id                  = var.org_id
  username                = "alice@example.com"
  org_membership_statuses = ["ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED"]
}

output "alice_status" {
  value = one(data.atlasinv_org_users.alice.users[*].org_membership_status)
}
