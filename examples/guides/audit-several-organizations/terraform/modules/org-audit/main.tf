# The pending invitations of the one organization that the provider's
# credentials belong to. The caller passes the provider configuration in
# (providers = { atlasinv = atlasinv.<alias> }); the module has none of its
# own.
terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

# An organization API key or service account sees its own organization only,
# so the organization id comes from the credentials.
data "atlasinv_orgs" "mine" {
  lifecycle {
    postcondition {
      condition     = length(self.organizations) == 1
      error_message = "These credentials see ${length(self.organizations)} organizations; give this module an API key or service account of one organization."
    }
  }
}

locals {
  org = one(data.atlasinv_orgs.mine.organizations)
}

data "atlasinv_org_users" "pending" {
  org_id                  = local.org.id
  org_membership_statuses = ["PENDING"]
}

output "org_id" {
  value = local.org.id
}

output "org_name" {
  value = local.org.name
}

output "pending_invitations" {
  description = "Who is invited, by whom, with which organization roles, until when."
  value = [
    for u in data.atlasinv_org_users.pending.users : {
      username   = u.username
      invited_by = u.inviter_username
      org_roles  = sort(u.org_roles)
      expires_at = u.invitation_expires_at
    }
  ]
}
