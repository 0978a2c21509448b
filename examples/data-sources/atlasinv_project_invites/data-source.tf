variable "org_id" {
  type = string
}

# Every pending project invitation of every project of the organization:
# neither atlasinv_org_invites nor atlasinv_org_users shows them.
data "atlasinv_project_invites" "org" {
  org_id = var.org_id
}

# Invitations expire 30 days after Atlas sends them.
output "pending_project_owners" {
  value = [
    for i in data.atlasinv_project_invites.org.invites : {
      username     = i.username
      project_name = i.project_name
      expires_at   = i.expires_at
    } if contains(i.roles, "GROUP_OWNER")
  ]
}

# One project's invitations, for one person.
data "atlasinv_project_invites" "prod_alice" {
  project_id = "65eef240daa0eee8b9997f5c"
  username   = "alice@example.com"
}
