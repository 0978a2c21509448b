# The organization and the policy; nothing secret. The ids are those of the
# bundled mock Atlas's demo organization: put your own.
org_id          = "5f0c0ffee0c0ffee0c0ffee0"
allowed_domains = ["example.com", "example.net", "example.org"]
