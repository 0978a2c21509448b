# The two ways to invite, merged: one entry per person and project,
# whichever way (or both) the person was invited. The two lists may write
# one address in different cases, so people are compared in lower case.
locals {
  # Atlas may leave out projects or teams the credentials cannot access:
  # lookup(names, id, id) falls back to the id rather than fail.
  project_names = { for p in data.atlasinv_org_projects.all.projects : p.id => p.name }
  team_names    = { for t in data.atlasinv_org_teams.all.teams : t.id => t.name }

  # Every pending invitation to a project, one element per invitation and
  # project: the project roles of organization invitations, then the
  # project invitations.
  project_grants = concat(
    flatten([
      for u in data.atlasinv_org_users.pending.users : [
        for a in u.group_role_assignments : {
          person     = lower(u.username)
          project_id = a.group_id
          roles      = tolist(a.group_roles)
          via        = "organization invitation"
        } if a.group_id != null
      ]
    ]),
    [
      for i in data.atlasinv_project_invites.all.invites : {
        person     = lower(i.username)
        project_id = i.project_id
        roles      = i.roles
        via        = "project invitation"
      }
    ],
  )

  # Once per person and project.
  grants_by_person_project = {
    for g in local.project_grants : "${g.person} ${g.project_id}" => g...
  }
  project_invitations = {
    for key, gs in local.grants_by_person_project : key => {
      person  = gs[0].person
      project = lookup(local.project_names, gs[0].project_id, gs[0].project_id)
      roles   = sort(distinct(flatten(gs[*].roles)))
      via     = sort(distinct(gs[*].via))
    }
  }

  # When each person was invited, every way: the organization invitation,
  # and each project invitation. Atlas may leave a date out (null).
  invited_at = {
    for r in concat(
      [for u in data.atlasinv_org_users.pending.users : { person = lower(u.username), at = u.invitation_created_at }],
      [for i in data.atlasinv_project_invites.all.invites : { person = lower(i.username), at = i.created_at }],
    ) : r.person => r.at...
  }
  people = keys(local.invited_at)

  # Pending owners: ORG_OWNER from an organization invitation, GROUP_OWNER
  # from either way into a project.
  pending_owners = sort(distinct(concat(
    [
      for u in data.atlasinv_org_users.pending.users : "${lower(u.username)}: ORG_OWNER"
      if contains(u.org_roles, "ORG_OWNER")
    ],
    [
      for p in values(local.project_invitations) : "${p.person}: GROUP_OWNER of ${p.project} (${join(", ", p.via)})"
      if contains(p.roles, "GROUP_OWNER")
    ],
  )))

  # Invitations older than max_invitation_age_days, compared with one "now"
  # for the whole plan; timecmp() fails on null, hence the conditional (&&
  # does not short-circuit on Terraform 1.8 and older). Each person shows
  # with the day of their oldest such invitation.
  stale_since = timeadd(plantimestamp(), "-${var.max_invitation_age_days * 24}h")
  stale_days = {
    for person, dates in local.invited_at : person => sort([
      for d in dates : formatdate("YYYY-MM-DD", d) if d == null ? false : timecmp(d, local.stale_since) < 0
    ])
  }
  stale_invitations = { for person, days in local.stale_days : person => days[0] if length(days) > 0 }

  # The domain is what follows the last "@".
  allowed_domains = [for d in var.allowed_email_domains : lower(d)]
  outside_allowed_domains = sort([
    for p in local.people : p if !contains(local.allowed_domains, reverse(split("@", p))[0])
  ])

  # Invited both ways into the same project: revoking one invitation leaves
  # the other.
  invited_both_ways = {
    for p in values(local.project_invitations) : "${p.person} to ${p.project}" => p.roles
    if length(p.via) > 1
  }
}
