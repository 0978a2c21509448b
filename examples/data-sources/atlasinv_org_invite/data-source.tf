variable "org_id" {
  type        = string
  description = "Id of the Atlas organization."
}

variable "invitation_id" {
  type        = string
  description = "Id of the invitation, e.g. from atlasinv_org_invites or an Atlas audit event."
}

data "atlasinv_org_invite" "this" {
  org_id        = var.org_id
  invitation_id = var.invitation_id
}

output "invitation_username" {
  value = data.atlasinv_org_invite.this.username
}

output "invitation_roles" {
  value = sort(data.atlasinv_org_invite.this.roles)
}

output "invitation_expires_at" {
  value = data.atlasinv_org_invite.this.expires_at
}

output "invitation_projects" {
  value = {
    for a in data.atlasinv_org_invite.this.group_role_assignments : a.group_id => a.group_role...
  }
}
