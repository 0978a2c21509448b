# The audit a scheduled CI job runs: the pending invitations of one
# organization against the team's policy. A breach fails the plan through a
# postcondition, whose message names the offenders; the output offenders
# lists them, with the rules each breaks, for the job's summary.
terraform {
  required_providers {
    atlasinv = {
      source  = "atlasinv/atlasinv"
      version = "~> 0.1"
    }
  }
}

# Credentials from the MONGODB_ATLAS_* variables, which CI sets from secrets.
provider "atlasinv" {}

variable "org_id" {
  description = "The Atlas organization to audit."
  type        = string
}

variable "allowed_domains" {
  description = "The e-mail domains that may be invited, in lower case."
  type        = list(string)
}

variable "fail_on_breach" {
  description = "Whether a breach fails the plan. CI plans with false first, for the summary of the offenders, then with true."
  type        = bool
  default     = true
}

data "atlasinv_org_users" "pending" {
  org_id                  = var.org_id
  org_membership_statuses = ["PENDING"]

  # A postcondition sees its own data source only as self (a local built
  # from it would be a cycle), so each rule is written here and again in
  # local.breaches.
  lifecycle {
    postcondition {
      condition     = !var.fail_on_breach || length([for u in self.users : u if contains(u.org_roles, "ORG_OWNER")]) == 0
      error_message = "Pending invitations grant ORG_OWNER: ${join(", ", [for u in self.users : u.username if contains(u.org_roles, "ORG_OWNER")])}."
    }
    postcondition {
      condition     = !var.fail_on_breach || length([for u in self.users : u if !contains(var.allowed_domains, lower(regex("[^@]*$", u.username)))]) == 0
      error_message = "Pending invitations to addresses outside ${join(", ", var.allowed_domains)}: ${join(", ", [for u in self.users : u.username if !contains(var.allowed_domains, lower(regex("[^@]*$", u.username)))])}."
    }
  }
}

locals {
  # The rules each pending invitation breaks, by invitee.
  breaches = {
    for u in data.atlasinv_org_users.pending.users : u.username => compact([
      contains(u.org_roles, "ORG_OWNER") ? "grants ORG_OWNER" : "",
      contains(var.allowed_domains, lower(regex("[^@]*$", u.username))) ? "" : "outside the allowed domains",
    ])
  }
}

output "offenders" {
  description = "The pending invitations that break the policy, with the rules each breaks; empty when none does."
  value = [
    for u in data.atlasinv_org_users.pending.users : {
      username   = u.username
      invited_by = u.inviter_username
      org_roles  = sort(u.org_roles)
      expires_at = u.invitation_expires_at
      breaks     = local.breaches[u.username]
    } if length(local.breaches[u.username]) > 0
  ]
}

output "pending_invitations" {
  description = "How many invitations are pending."
  value       = length(data.atlasinv_org_users.pending.users)
}
