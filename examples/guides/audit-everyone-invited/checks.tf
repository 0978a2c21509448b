# A failed check is a warning on every plan and apply; it stops neither.
check "no_pending_owners" {
  assert {
    condition     = length(local.pending_owners) == 0
    error_message = "Pending invitations grant an owner role: ${join("; ", local.pending_owners)}. Revoke them in Atlas, or invite with a narrower role."
  }
}

check "no_stale_invitations" {
  assert {
    condition     = length(local.stale_invitations) == 0
    error_message = "Invited more than ${var.max_invitation_age_days} days ago and still pending: ${join(", ", keys(local.stale_invitations))}. Remind them, or revoke the invitations."
  }
}

check "invitees_in_allowed_domains" {
  assert {
    condition     = length(local.outside_allowed_domains) == 0
    error_message = "Invited from outside ${join(", ", local.allowed_domains)}: ${join(", ", local.outside_allowed_domains)}."
  }
}
