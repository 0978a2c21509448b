# The provider documentation's section on the deprecation of the invitations
# API shows these blocks, each marked as a fragment of this file.
terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

provider "atlasinv" {
  invitations_source = "org_users" # or "auto" (the default), "invitations"
}

# The block that the deprecation warning shows, ready to paste.
data "atlasinv_org_users" "pending" {
  org_id                  = "5f0c0ffee0c0ffee0c0ffee0"
  org_membership_statuses = ["PENDING"]
}
