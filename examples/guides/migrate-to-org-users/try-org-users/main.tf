# What the sunset brings, tried today, as the guide "Migrate from
# atlasinv_org_invites to atlasinv_org_users" shows it in parts, each marked
# as a fragment of this file.
terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

provider "atlasinv" {
  invitations_source = "org_users"
}

# The block that atlasinv_org_invite's error shows once the invitations come
# from the organization users API: the invitee's pending invitation, read by
# email address.
data "atlasinv_org_users" "pending" {
  org_id                  = "5f0c0ffee0c0ffee0c0ffee0"
  username                = "alice@example.com"
  org_membership_statuses = ["PENDING"]
}
