variable "org_id" {
  type        = string
  description = "Id of the Atlas organization (Organization Settings in the Atlas UI)."
}

# Every pending invitation of the organization.
data "atlasinv_org_invites" "all" {
  org_id = var.org_id
}

output "pending_invitations" {
  value = [
    for i in data.atlasinv_org_invites.all.invites :
    "${coalesce(i.username, i.id)}: ${coalesce(join(", ", sort(i.roles)), "no organization role")} (invited by ${coalesce(i.inviter_username, "unknown")})"
  ]
}

# The invitation of one person, if there is one. Atlas matches the address
# exactly; the list is empty when that person has no pending invitation.
data "atlasinv_org_invites" "alice" {
  org_id   = var.org_id
  username = "alice@example.com"
}

output "alice_is_invited" {
  value = length(data.atlasinv_org_invites.alice.invites) > 0
}

locals {
  # Keyed by email address, ready for for_each. Atlas keeps at most one
  # pending invitation per user and organization.
  invites_by_username = {
    for i in data.atlasinv_org_invites.all.invites : i.username => i
    if i.username != null
  }

  # Invitations that expire within the next 7 days (or already have).
  # plantimestamp() is fixed for the whole plan, so every invitation is
  # compared with the same "now"; the data source is read on every plan.
  expiry_horizon = timeadd(plantimestamp(), "168h")
  invites_with_expiry = [
    for i in data.atlasinv_org_invites.all.invites : i
    if i.expires_at != null
  ]
  expiring_soon = {
    for i in local.invites_with_expiry : coalesce(i.username, i.id) => i.expires_at
    if timecmp(i.expires_at, local.expiry_horizon) <= 0
  }
}

# One object per invited user, e.g. to feed a ticket or a notification.
resource "terraform_data" "invitation_follow_up" {
  for_each = local.invites_by_username

  input = {
    username   = each.key
    roles      = sort(each.value.roles)
    expires_at = each.value.expires_at
  }
}

output "invitations_expiring_within_7_days" {
  value = local.expiring_soon
}

# Guardrail: nobody should be invited straight into the Organization Owner role.
# A failed check is reported as a warning on every plan and apply.
check "no_pending_org_owner_invitations" {
  assert {
    condition = alltrue([
      for i in data.atlasinv_org_invites.all.invites : !contains(i.roles, "ORG_OWNER")
    ])
    error_message = "Pending invitations grant ORG_OWNER to: ${join(", ", [
      for i in data.atlasinv_org_invites.all.invites : coalesce(i.username, i.id)
      if contains(i.roles, "ORG_OWNER")
    ])}. Revoke them in Atlas or invite with a narrower role."
  }
}
