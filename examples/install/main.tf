# A configuration to try an installation with: `terraform init` (or `tofu
# init`) installs atlasinv/atlasinv and writes .terraform.lock.hcl, then
# `terraform plan` lists the organizations that the credentials exported as
# MONGODB_ATLAS_* variables see.
terraform {
  required_providers {
    atlasinv = {
      source  = "atlasinv/atlasinv"
      version = "~> 0.1"
    }
  }
}

provider "atlasinv" {}

data "atlasinv_orgs" "visible" {}

output "organizations" {
  value = data.atlasinv_orgs.visible.organizations[*].name
}
