# Every organization these credentials can see. An organization API key or
# service account sees its own organization only, so org_id need not be
# hard-coded: it comes from the credentials.
data "atlasinv_orgs" "visible" {}

locals {
  # one() fails the plan, with a clear message, unless the credentials see
  # exactly one organization.
  org = one(data.atlasinv_orgs.visible.organizations)
}

data "atlasinv_org_users" "pending" {
  org_id                  = local.org.id
  org_membership_statuses = ["PENDING"]
}

# The organization's name beside each pending invitation: the users API does
# not carry it.
output "pending_invitations" {
  value = [
    for u in data.atlasinv_org_users.pending.users : {
      org_name = local.org.name
      username = u.username
    }
  ]
}

# One organization by its exact name (Atlas's own filter matches any name
# that starts with it, in any case; the provider keeps the exact matches).
data "atlasinv_orgs" "production" {
  name = "Production"
}

output "production_org_id" {
  value = one(data.atlasinv_orgs.production.organizations[*].id)
}
