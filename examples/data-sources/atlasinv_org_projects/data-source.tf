variable "org_id" {
  type = string
}

data "atlasinv_org_projects" "all" {
  org_id = var.org_id
}

data "atlasinv_org_users" "pending" {
  org_id                  = var.org_id
  org_membership_statuses = ["PENDING"]
}

locals {
  # Project id => name. Atlas may leave out projects the credentials cannot
  # access, so the join falls back to the id rather than fail on a missing
  # key.
  project_names = { for p in data.atlasinv_org_projects.all.projects : p.id => p.name }
}

# Each pending user's project roles, by project name.
output "pending_project_roles" {
  value = {
    for u in data.atlasinv_org_users.pending.users : u.username => {
      for a in u.group_role_assignments : lookup(local.project_names, a.group_id, a.group_id) => a.group_roles
    }
  }
}

# One project by its exact name (Atlas's own filter matches any name that
# starts with it, in any case; the provider keeps the exact matches).
data "atlasinv_org_projects" "prod" {
  org_id = var.org_id
  name   = "Prod"
}

output "prod_project_id" {
  value = one(data.atlasinv_org_projects.prod.projects[*].id)
}
