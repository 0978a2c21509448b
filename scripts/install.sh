#!/usr/bin/env bash
# Puts the provider where Terraform and OpenTofu find it as
# atlasinv/atlasinv, in the unpacked layout of a local mirror:
#   DIR/HOSTNAME/atlasinv/atlasinv/VERSION/OS_ARCH/terraform-provider-atlasinv_vVERSION
# under HOSTNAME registry.terraform.io (Terraform's) and registry.opentofu.org
# (OpenTofu's), VERSION being CHANGELOG.md's top entry (scripts/version.sh).
# The file name is the one a release zip holds (.goreleaser.yml).
#
#   install.sh install          make install: builds the provider with that
#                               version and puts it in DIR =
#                               $HOME/.terraform.d/plugins, the implied local
#                               mirror that both CLIs search with no CLI
#                               configuration.
#   install.sh uninstall        make uninstall: removes the files install puts
#                               there for this version, then the directories
#                               that leaves empty, and nothing else.
#   install.sh mirror BIN DIR   puts the provider binary BIN in DIR, for a
#                               filesystem_mirror of a CLI configuration
#                               (make demo, make examples-check).
#
# Unix only (Linux, macOS, BSD): on Windows the implied mirror is
# %APPDATA%\terraform.d\plugins, and the file ends in .exe.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: install.sh install | uninstall | mirror BINARY DIR"
action=${1:?$usage}
version=$(bash scripts/version.sh)
os_arch=$(go env GOOS)_$(go env GOARCH)
name=terraform-provider-atlasinv_v$version
hosts=(registry.terraform.io registry.opentofu.org)

# target_dir DIR HOST: where the binary for HOST goes under DIR.
target_dir() {
  echo "$1/$2/atlasinv/atlasinv/$version/$os_arch"
}

# place BINARY DIR: copies BINARY under DIR for every host. Each copy is
# renamed into place, so a CLI never runs a half-written file.
place() {
  local dir host
  for host in "${hosts[@]}"; do
    dir=$(target_dir "$2" "$host")
    mkdir -p "$dir"
    cp "$1" "$dir/.$name.tmp"
    chmod 0755 "$dir/.$name.tmp"
    mv -f "$dir/.$name.tmp" "$dir/$name"
  done
}

case "$action" in
install)
  plugins="${HOME:?HOME is not set}/.terraform.d/plugins"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # The version is set as release builds set it; the commit comes from the
  # build info (internal/version).
  go build -ldflags "-X main.version=$version" -o "$work/$name" .
  place "$work/$name" "$plugins"
  for host in "${hosts[@]}"; do
    echo "installed $(target_dir "$plugins" "$host")/$name"
  done
  cat <<EOF
A configuration that requires atlasinv/atlasinv version $version (or a
constraint it meets, such as "~> ${version%.*}") now installs it with
terraform init or tofu init, no CLI configuration needed. While it is there,
neither CLI installs atlasinv/atlasinv from a registry. Reinstalling $version
with other code changes its checksum: a lock file that recorded the old one
fails init (even init -upgrade) until its atlasinv/atlasinv entry is deleted.
make uninstall removes it.
EOF
  ;;
uninstall)
  plugins="${HOME:?HOME is not set}/.terraform.d/plugins"
  for host in "${hosts[@]}"; do
    dir=$(target_dir "$plugins" "$host")
    if [ -e "$dir/$name" ]; then
      rm -f "$dir/$name"
      echo "removed $dir/$name"
    fi
    # The directories install may have created, deepest first, while they
    # are empty; plugins/ itself stays.
    d=$dir
    while [ "$d" != "$plugins" ] && rmdir "$d" 2>/dev/null; do
      d=$(dirname "$d")
    done
  done
  # Any other version still there keeps the registry out for
  # atlasinv/atlasinv: say so rather than remove what this did not install.
  left=$(find "$plugins"/registry.terraform.io/atlasinv/atlasinv "$plugins"/registry.opentofu.org/atlasinv/atlasinv \
    -mindepth 1 -maxdepth 1 2>/dev/null || true)
  if [ -n "$left" ]; then
    echo "other versions of atlasinv/atlasinv are still there, and keep both CLIs from installing it from a registry (remove them by hand if unwanted):"
    printf '%s\n' "$left" | sed 's/^/  /'
  fi
  ;;
mirror)
  bin=${2:?$usage}
  dir=${3:?$usage}
  place "$bin" "$dir"
  ;;
*)
  echo "$usage" >&2
  exit 2
  ;;
esac
