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
