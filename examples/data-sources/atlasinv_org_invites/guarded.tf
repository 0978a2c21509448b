# Not embedded in the documentation: its page shows this block as a fragment
# of this file (templates/data-sources/org_invites.md.tmpl), so that it is
# validated with the example's variable and required_providers.
data "atlasinv_org_invites" "guarded" {
  org_id = var.org_id

  lifecycle {
    postcondition {
      condition     = alltrue([for i in self.invites : !contains(i.roles, "ORG_OWNER")])
      error_message = "Someone has a pending invitation with the ORG_OWNER role."
    }
  }
}
