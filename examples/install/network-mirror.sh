#!/bin/sh
# Lays out a release's zip files as a provider network mirror, for Terraform
# (registry.terraform.io) and OpenTofu (registry.opentofu.org):
#
#   sh network-mirror.sh RELEASE_DIR MIRROR_DIR
#
# RELEASE_DIR holds terraform-provider-atlasinv_<VERSION>_SHA256SUMS and the
# zip files it lists, or some of them: a release's assets, or dist/ after
# make release. Serve MIRROR_DIR over https and point a network_mirror block
# at it. Each zip is given with its SHA256SUMS line as its hash ("zh:"),
# which the CLI checks before it installs the zip.
set -eu
src=${1:?usage: network-mirror.sh RELEASE_DIR MIRROR_DIR}
dest=${2:?usage: network-mirror.sh RELEASE_DIR MIRROR_DIR}
name=terraform-provider-atlasinv
found=

for sums in "$src/${name}"_*_SHA256SUMS; do
  [ -f "$sums" ] || continue
  version=${sums##*/"${name}"_}
  version=${version%_SHA256SUMS}
  for host in registry.terraform.io registry.opentofu.org; do
    dir=$dest/$host/atlasinv/atlasinv
    mkdir -p "$dir"
    # <VERSION>.json: the platforms of this version, each with its zip.
    archives=
    while read -r sum file; do
      case $file in "${name}_${version}"_*.zip) ;; *) continue ;; esac
      [ -f "$src/$file" ] || continue
      platform=${file#"${name}_${version}"_}
      platform=${platform%.zip}
      cp "$src/$file" "$dir/$file"
      archives="$archives${archives:+,}
    \"$platform\": {\"url\": \"$file\", \"hashes\": [\"zh:$sum\"]}"
    done <"$sums"
    [ -n "$archives" ] || { echo "network-mirror.sh: no zip of $sums is in $src" >&2; exit 1; }
    printf '{\n  "archives": {%s\n  }\n}\n' "$archives" >"$dir/$version.json"
    found=yes
  done
done
[ -n "$found" ] || { echo "network-mirror.sh: no ${name}_<VERSION>_SHA256SUMS in $src" >&2; exit 1; }

# index.json: every version in the mirror.
for dir in "$dest"/*/atlasinv/atlasinv; do
  versions=
  for f in "$dir"/*.json; do
    version=${f##*/}
    version=${version%.json}
    [ "$version" = index ] && continue
    versions="$versions${versions:+,} \"$version\": {}"
  done
  printf '{\n  "versions": {%s }\n}\n' "$versions" >"$dir/index.json"
done
