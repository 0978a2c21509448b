terraform {
  required_providers {
    atlasinv = {
      source  = "atlasinv/atlasinv"
      version = "~> 0.1"
    }
  }
}

# Recommended: leave the credentials out of the configuration and export them
# instead, with the same variables the MongoDB Atlas provider and CLI read,
# e.g. MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET for a service
# account.
provider "atlasinv" {
  request_timeout = "30s"
  max_retries     = 4
}

# Atlas for Government, with a service account passed in explicitly.
variable "gov_client_id" {
  type        = string
  description = "Client id of an Atlas for Government service account (mdb_sa_id_...)."
}

variable "gov_client_secret" {
  type        = string
  description = "Client secret of that service account."
  sensitive   = true
}

provider "atlasinv" {
  alias         = "gov"
  base_url      = "https://cloud.mongodbgov.com"
  client_id     = var.gov_client_id
  client_secret = var.gov_client_secret
}
