#!/usr/bin/env bash
# Prints the provider's version: the top entry of CHANGELOG.md ("## 0.1.0
# (Unreleased)" gives 0.1.0). It is the one version source of make install
# and make release: there are no tags yet. It must be a plain semantic
# version, MAJOR.MINOR.PATCH: Terraform matches a prerelease such as
# 0.1.0-SNAPSHOT only with an exact version constraint, so a user's
# `version = "~> 0.1"` would not find it.
set -euo pipefail
cd "$(dirname "$0")/.."
heading=$(grep -m1 '^## ' CHANGELOG.md || true)
version=${heading#\#\# }
version=${version%% *}
if ! [[ $version =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]]; then
  echo "version.sh: the top entry of CHANGELOG.md is \"$heading\"; it must start with a plain MAJOR.MINOR.PATCH version (\"## 0.1.0 (Unreleased)\")" >&2
  exit 1
fi
echo "$version"
