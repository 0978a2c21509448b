# Counts and offenders only: a whole list of pending users can run to
# megabytes of plan output.
output "pending_people" {
  description = "People with at least one pending invitation, either way."
  value       = length(local.people)
}

output "pending_by_project" {
  description = "Project name => how many people are invited into it, either way."
  value = {
    for project, people in { for p in values(local.project_invitations) : p.project => p.person... } :
    project => length(distinct(people))
  }
}

output "pending_by_team" {
  description = "Team name => how many people an organization invitation adds to it."
  value = {
    for team, people in {
      for pair in flatten([
        for u in data.atlasinv_org_users.pending.users : [
          for id in u.team_ids : { team = lookup(local.team_names, id, id), person = lower(u.username) }
        ]
      ]) : pair.team => pair.person...
    } : team => length(distinct(people))
  }
}

output "expired_invitations" {
  description = "Organization invitations that expired unaccepted."
  value       = length(data.atlasinv_org_users.expired.users)
}

output "pending_owners" {
  description = "Pending invitations that grant ORG_OWNER or GROUP_OWNER."
  value       = local.pending_owners
}

output "stale_invitations" {
  description = "Person => the day of their oldest invitation still pending after max_invitation_age_days."
  value       = local.stale_invitations
}

output "invitees_outside_allowed_domains" {
  description = "Invitees whose e-mail domain is not in allowed_email_domains."
  value       = local.outside_allowed_domains
}

output "invited_both_ways" {
  description = "\"person to project\" => project roles, for people invited into a project both through the organization and through the project."
  value       = local.invited_both_ways
}
