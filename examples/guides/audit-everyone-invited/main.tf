# Everyone invited into one Atlas organization: the people invited through
# the organization and those invited into one of its projects, once per
# person and project, with the names of projects and teams. The
# credentials come from the environment (MONGODB_ATLAS_PUBLIC_KEY and
# MONGODB_ATLAS_PRIVATE_KEY, or a service account's).
terraform {
  # check blocks and plantimestamp() need Terraform 1.5 or OpenTofu 1.6.
  required_version = ">= 1.5.0"
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

variable "org_id" {
  description = "Id of the Atlas organization to audit (Organization Settings in the Atlas UI)."
  type        = string
}

variable "allowed_email_domains" {
  description = "E-mail domains invitees may belong to, such as [\"example.com\"]; a subdomain must be listed on its own."
  type        = list(string)
  validation {
    condition     = length(var.allowed_email_domains) > 0
    error_message = "List at least one e-mail domain: an empty list would flag every invitee."
  }
}

variable "max_invitation_age_days" {
  description = "Flag invitations still pending after this many days. Atlas expires them after 30."
  type        = number
  default     = 7
  validation {
    condition     = var.max_invitation_age_days == floor(var.max_invitation_age_days) && var.max_invitation_age_days >= 1 && var.max_invitation_age_days < 30
    error_message = "Give a whole number of days from 1 to 29: an invitation is no longer pending after 30."
  }
}

# Invited through the organization, not accepted yet: their organization
# roles, teams and project roles (group_role_assignments).
data "atlasinv_org_users" "pending" {
  org_id                  = var.org_id
  org_membership_statuses = ["PENDING"]
}

# History: invitations nobody accepted within 30 days. They can no longer
# be accepted, so the checks leave them out; the count shows who keeps
# inviting.
data "atlasinv_org_users" "expired" {
  org_id                  = var.org_id
  org_membership_statuses = ["INVITATION_EXPIRED"]
}

# Invited into one project through Atlas's project invitations, which the
# organization users list does not show. Needs Project Owner in every
# project (an Organization Owner has it); a project it cannot read fails
# the plan rather than be skipped.
data "atlasinv_project_invites" "all" {
  org_id = var.org_id
}

# Names for the project and team ids.
data "atlasinv_org_projects" "all" {
  org_id = var.org_id
}

data "atlasinv_org_teams" "all" {
  org_id = var.org_id
}
