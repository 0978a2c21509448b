# Not shown in the documentation: makes this folder a configuration of its own
# for `terraform validate` (scripts/examples-check.sh).
terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}
