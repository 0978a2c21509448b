variable "org_id" {
  type        = string
  description = "Id of the Atlas organization (Organization Settings in the Atlas UI)."
}

# Pending invitations: users invited who have not accepted yet.
data "atlasinv_org_users" "pending" {
  org_id                  = var.org_id
  org_membership_statuses = ["PENDING"]
}

output "pending_invitations" {
  value = [
    for u in data.atlasinv_org_users.pending.users :
    "${u.username}: ${coalesce(join(", ", sort(u.org_roles)), "no organization role")} (invited by ${coalesce(u.inviter_username, "unknown")}, expires ${coalesce(u.invitation_expires_at, "never")})"
  ]
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
