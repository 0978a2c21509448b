# Atlas for Government, as the provider documentation shows it (a fragment
# of this file): the same API on another host.
terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

provider "atlasinv" {
  base_url = "https://cloud.mongodbgov.com"
}
