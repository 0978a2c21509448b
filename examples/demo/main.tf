# The configuration `make demo` plans against the bundled mock Atlas. The
# provider takes its credentials and base URL from the MONGODB_ATLAS_*
# variables the mock exports, exactly as it would for real Atlas.
terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

provider "atlasinv" {}

variable "org_id" {
  description = "Atlas organization to audit (the mock's demo organization by default)."
  type        = string
  default     = "5f0c0ffee0c0ffee0c0ffee0"
}

data "atlasinv_org_invites" "pending" {
  org_id = var.org_id
}

locals {
  invites = data.atlasinv_org_invites.pending.invites
}

output "pending_invitations" {
  description = "Who is invited, by whom, with which organization roles, until when."
  value = [
    for i in local.invites : {
      username   = i.username
      invited_by = i.inviter_username
      roles      = sort(tolist(i.roles))
      projects   = length(i.group_role_assignments)
      expires_at = i.expires_at
    }
  ]
}

output "org_owner_invitations" {
  description = "Invitations that would make someone an organization owner."
  value       = [for i in local.invites : i.username if contains(i.roles, "ORG_OWNER")]
}

# The same pending invitations on Atlas's organization users API, which
# replaces the invitations API at its sunset (1 July 2027 as of December 2026),
# with the invitations nobody will accept any more next to them.
data "atlasinv_org_users" "pending" {
  org_id                  = var.org_id
  org_membership_statuses = ["PENDING"]
}

data "atlasinv_org_users" "stale" {
  org_id                  = var.org_id
  org_membership_statuses = ["INVITATION_EXPIRED", "INVITATION_REJECTED"]
}

output "pending_users" {
  description = "Pending invitations as org users: who, invited by whom, with which organization roles, until when."
  value = [
    for u in data.atlasinv_org_users.pending.users : {
      username   = u.username
      invited_by = u.inviter_username
      org_roles  = sort(tolist(u.org_roles))
      expires_at = u.invitation_expires_at
    }
  ]
}

output "stale_invitations" {
  description = "Expired and rejected invitations to clean up."
  value       = { for u in data.atlasinv_org_users.stale.users : u.username => u.org_membership_status }
}

# Atlas's older way to invite someone, into one project: these invitations
# appear in none of the lists above, and Atlas has deprecated their API too.
data "atlasinv_project_invites" "legacy" {
  org_id = var.org_id
}

output "project_invitations" {
  description = "Pending project invitations, which neither the organization invitations nor its users show."
  value = [
    for i in data.atlasinv_project_invites.legacy.invites : {
      username   = i.username
      project    = i.project_name
      roles      = i.roles
      invited_by = i.inviter_username
      expires_at = i.expires_at
    }
  ]
}
