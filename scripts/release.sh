#!/usr/bin/env bash
# Builds a release into dist/ as release.yml does on a tag, but as a
# snapshot: nothing is published, signing is skipped (it needs the release
# key), and the version is the top entry of CHANGELOG.md (scripts/version.sh),
# a plain semantic version, where goreleaser would make a prerelease of it.
# goreleaser is the one pinned in tools/goreleaser/go.mod (built once, then
# from the build cache); it builds with the local toolchain and needs no
# network once the modules are in the module cache.
#
#   bash scripts/release.sh               every platform (make release)
#   bash scripts/release.sh linux_amd64   that platform alone (make release-check)
#
# dist/ then holds the zips, the SHA256SUMS file and the registry manifest,
# named as the registry expects; internal/release checks them.
set -euo pipefail
cd "$(dirname "$0")/.."

goreleaser() { go tool -modfile=tools/goreleaser/go.mod goreleaser "$@"; }

# .goreleaser.yml reads both: the snapshot's version, and which of its builds
# to skip.
RELEASE_VERSION=$(bash scripts/version.sh)
RELEASE_TARGETS=${1:-all}
case $RELEASE_TARGETS in
  all | linux_amd64) ;;
  *)
    echo "release.sh: builds every platform (no argument) or linux_amd64, not \"$RELEASE_TARGETS\"" >&2
    exit 2
    ;;
esac
export RELEASE_VERSION RELEASE_TARGETS

# goreleaser reads the commit (which the binary reports) and its date (the
# binary's time in the zip) from git, but gives both up when the checkout has
# no remote, whose URL it reads first. Then it is given one, the checkout
# itself, for its reads alone: nothing is fetched or pushed.
if ! git ls-remote --get-url >/dev/null 2>&1; then
  n=${GIT_CONFIG_COUNT:-0}
  export "GIT_CONFIG_KEY_$n=remote.origin.url" "GIT_CONFIG_VALUE_$n=$PWD"
  export GIT_CONFIG_COUNT=$((n + 1))
fi

# --snapshot skips publishing and the checks a release makes of the tag, not
# the signs section, hence --skip=sign. Every platform takes about 30 minutes
# on 2 cores: more than goreleaser's default timeout of an hour on a busy
# machine is possible.
goreleaser release --snapshot --skip=sign --clean --timeout=2h
# The checksum step lists the manifest under its release name; the release
# step, which uploads it under that name, is skipped in a snapshot: the copy
# completes the registry's layout here, with the digest SHA256SUMS gives.
prefix=dist/terraform-provider-atlasinv_${RELEASE_VERSION}
if [ ! -f "${prefix}_SHA256SUMS" ]; then
  echo "release.sh: goreleaser made no ${prefix}_SHA256SUMS: is snapshot.version_template in .goreleaser.yml still RELEASE_VERSION?" >&2
  exit 1
fi
cp terraform-registry-manifest.json "${prefix}_manifest.json"
echo "release.sh: dist/ holds release ${RELEASE_VERSION} ($RELEASE_TARGETS)"
