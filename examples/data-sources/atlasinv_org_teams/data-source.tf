variable "org_id" {
  type = string
}

data "atlasinv_org_teams" "all" {
  org_id = var.org_id
}

data "atlasinv_org_users" "pending" {
  org_id                  = var.org_id
  org_membership_statuses = ["PENDING"]
}

locals {
  # Team id => name. Atlas only returns the teams the credentials have
  # access to, so the join falls back to the id rather than fail on a
  # missing key.
  team_names = { for t in data.atlasinv_org_teams.all.teams : t.id => t.name }
}

# Each pending user's teams, by name.
output "pending_user_teams" {
  value = {
    for u in data.atlasinv_org_users.pending.users :
    u.username => sort([for id in u.team_ids : lookup(local.team_names, id, id)])
  }
}
