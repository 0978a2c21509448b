# Two organizations, each audited by one instance of the local module
# ./modules/org-audit, which gets the provider alias holding that
# organization's credentials. Add an organization: one provider alias, one
# module block, one more entry in the output.
terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

variable "base_url" {
  description = "Atlas Administration API to read."
  type        = string
  default     = "https://cloud.mongodb.com"
}

variable "credentials" {
  description = "An API key of each organization, keyed by provider alias (eu, us)."
  type = map(object({
    public_key  = string
    private_key = string
  }))
  sensitive = true
}

provider "atlasinv" {
  alias       = "eu"
  base_url    = var.base_url
  public_key  = var.credentials["eu"].public_key
  private_key = var.credentials["eu"].private_key
}

provider "atlasinv" {
  alias       = "us"
  base_url    = var.base_url
  public_key  = var.credentials["us"].public_key
  private_key = var.credentials["us"].private_key
}

module "eu" {
  source = "./modules/org-audit"
  providers = {
    atlasinv = atlasinv.eu
  }
}

module "us" {
  source = "./modules/org-audit"
  providers = {
    atlasinv = atlasinv.us
  }
}

output "pending_invitations" {
  description = "Every organization's pending invitations, under the organization's name."
  value = {
    for org in [module.eu, module.us] : org.org_name => org.pending_invitations
  }
}
