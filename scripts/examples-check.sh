#!/usr/bin/env bash
# Checks the examples that the documentation embeds, and every configuration
# block a user can copy from README.md and docs/ (make examples-check):
#   1. terraform fmt -check -recursive examples/
#   2. terraform init -backend=false, then terraform validate, in each
#      example folder (examples/provider, every examples/data-sources/* and
#      any other folder of .tf files), against the provider built by
#      `make build` (bin/terraform-provider-atlasinv).
#   3. every ```hcl, ```terraform or ```tf block of README.md and docs/**/*.md
#      is one of:
#      - a whole file of examples/ (what {{ tffile }} embeds), checked with
#        its folder in step 2 (a .tofu file, OpenTofu's, is run by the
#        acceptance tests instead);
#      - marked as a fragment by the line right before its fence,
#          <!-- fragment of examples/<path> -->
#        (an HTML comment: the registry does not show it); the file must be
#        a .tf or .tofu file of examples/ and hold the block's lines, in a
#        row, so that a marker cannot point at an example that lacks them;
#      - or a configuration of its own, which must pass terraform fmt -check,
#        init and validate alone. A block without required_providers fails:
#        the CLI would look for hashicorp/atlasinv, as it would for a user.
# init installs the provider as a user's would: from a filesystem_mirror in
# the temporary directory (the build under this version, scripts/install.sh),
# named by a CLI configuration written there, with no other source, so
# nothing is downloaded and nothing is written outside that directory. An
# example's local modules come with it. Each folder is checked in a temporary
# copy, so no .terraform directory or lock file is left in examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export CHECKPOINT_DISABLE=1
tf=$(bash scripts/install-cli.sh terraform "${TF_VERSION:-1.8.5}")
provider_bin="$root/bin/terraform-provider-atlasinv"
if [ ! -x "$provider_bin" ]; then
  echo "examples-check: $provider_bin is missing; run 'make build' first (make examples-check does)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A CLI configuration of our own: the environment's one (if any) may point
# elsewhere or hold credentials for a registry we must not reach. A plugin
# cache or data directory of the caller's would be written to.
bash scripts/install.sh mirror "$provider_bin" "$work/mirror"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
cat >"$TF_CLI_CONFIG_FILE" <<CFG
provider_installation {
  filesystem_mirror {
    path = "$work/mirror"
  }
}
CFG
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR
# Validation never calls Configure, but make sure no real credentials could
# be used if it ever did.
for v in $(env | sed -n 's/^\(MONGODB_ATLAS_[A-Z_]*\|MCLI_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

# init_and_validate DIR: terraform init (its report only when it fails),
# then validate, in DIR; prints what failed or validate's verdict.
init_and_validate() {
  local out
  if ! out=$(cd "$1" && "$tf" init -backend=false -input=false -no-color 2>&1); then
    printf '%s\n' "$out"
    return 1
  fi
  (cd "$1" && "$tf" validate -no-color 2>&1)
}

fail=0
echo "==> terraform fmt -check -recursive examples/"
if ! "$tf" fmt -check -recursive -diff examples/; then
  echo "examples-check: the files above are not formatted; run: terraform fmt -recursive examples/" >&2
  fail=1
fi

# Every folder with .tf files: examples/provider, each examples/data-sources/*,
# and any other configuration kept under examples/ (such as examples/demo).
mapfile -t dirs < <(find examples -name '*.tf' -not -path '*/.terraform/*' -exec dirname {} \; | LC_ALL=C sort -u)

# The folders are checked one per CPU at a time (validate spends most of its
# time starting the provider), each into a file of its own; the reports are
# printed afterwards, in order.
results="$work/results"
mkdir -p "$results"
max_jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
for i in "${!dirs[@]}"; do
  d=${dirs[$i]}
  copy="$work/copy/$d"
  mkdir -p "$copy"
  cp -R "$d"/. "$copy"/
  rm -rf "$copy/.terraform" "$copy/.terraform.lock.hcl"
  while [ "$(jobs -rp | wc -l)" -ge "$max_jobs" ]; do wait -n || true; done
  (
    if init_and_validate "$copy" >"$results/$i.out"; then rc=0; else rc=$?; fi
    echo "$rc" >"$results/$i.rc"
  ) &
done
wait
for i in "${!dirs[@]}"; do
  echo "==> terraform init and validate ${dirs[$i]}"
  printf '%s\n' "$(cat "$results/$i.out")"
  if [ "$(cat "$results/$i.rc")" -ne 0 ]; then
    echo "examples-check: ${dirs[$i]} does not validate" >&2
    fail=1
  fi
done

# Step 3: the blocks of README.md and docs/, as a user copies them.
#
# extract_blocks writes the N-th block to $blocks/N.tf, its fence's
# indentation removed, and prints "N<TAB>file:line<TAB>marked file (or -)".
# A malformed marker, a marker not right before a block, and a block never
# closed are printed as "!<TAB>file:line<TAB>what is wrong": a marker that
# checks nothing must not pass for one that does. Plain POSIX awk.
blocks="$work/blocks"
mkdir -p "$blocks"
extract_blocks() {
  awk -v out="$blocks" '
    function report(line, msg) { printf "!\t%s:%d\t%s\n", file, line, msg }
    function end_file() {
      if (state == "block") report(start, "the block is never closed")
      if (marker != "") report(marker_line, "the marker is not right before a block")
      state = ""; marker = ""
    }
    FNR == 1 { if (NR > 1) end_file(); file = FILENAME }
    state == "block" {
      if ($0 ~ /^[ \t]*```[ \t]*$/) { close(path); state = ""; next }
      line = $0
      if (substr(line, 1, indent) ~ /^ *$/) line = substr(line, indent + 1)
      print line > path
      next
    }
    state == "other" { if ($0 ~ /^[ \t]*```[ \t]*$/) state = ""; next }
    /^[ \t]*```(hcl|terraform|tf)[ \t]*$/ {
      n++; path = out "/" n ".tf"; start = FNR
      match($0, /^ */); indent = RLENGTH
      printf "" > path
      printf "%d\t%s:%d\t%s\n", n, file, FNR, (marker == "" ? "-" : marker)
      marker = ""; state = "block"
      next
    }
    marker != "" { report(marker_line, "the marker is not right before a block"); marker = "" }
    /^[ \t]*```/ { state = "other"; next }
    /<!--[ \t]*fragment/ {
      if ($0 ~ /^[ \t]*<!-- fragment of [^ \t]+ -->[ \t]*$/) {
        marker = $0
        sub(/^[ \t]*<!-- fragment of /, "", marker)
        sub(/ -->[ \t]*$/, "", marker)
        marker_line = FNR
      } else {
        report(FNR, "malformed marker; write <!-- fragment of examples/<path> -->")
      }
    }
    END { end_file() }
  ' "$@"
}

# trimmed FILE: FILE without its leading and trailing blank lines.
trimmed() {
  awk '{ l[NR] = $0 }
    END {
      last = NR; while (last > 0 && l[last] ~ /^[ \t]*$/) last--
      first = 1; while (first <= last && l[first] ~ /^[ \t]*$/) first++
      for (i = first; i <= last; i++) print l[i]
    }' "$1"
}

# holds FILE BLOCK: FILE has BLOCK's lines in a row (trailing white space
# aside). BLOCK is not empty.
holds() {
  awk 'FNR == NR { sub(/[ \t]+$/, ""); want[++n] = $0; next }
    { sub(/[ \t]+$/, ""); have[++m] = $0 }
    END {
      for (i = 0; i + n <= m; i++) {
        for (j = 1; j <= n && have[i + j] == want[j]; j++) {}
        if (j > n) exit 0
      }
      exit 1
    }' "$2" "$1"
}

# The files of examples/ that the docs may embed whole, trimmed as blocks are.
mapfile -t example_files < <(find examples \( -name '*.tf' -o -name '*.tofu' \) -not -path '*/.terraform/*' | LC_ALL=C sort)
for f in "${example_files[@]}"; do
  mkdir -p "$work/whole/$(dirname "$f")"
  trimmed "$f" >"$work/whole/$f"
done

mapfile -t doc_files < <(find docs -name '*.md' | LC_ALL=C sort)
mapfile -t found < <(extract_blocks README.md "${doc_files[@]}")
n_alone=0 n_whole=0 n_fragment=0
for entry in "${found[@]}"; do
  IFS=$'\t' read -r id where marked <<<"$entry"
  if [ "$id" = "!" ]; then
    echo "examples-check: $where: $marked" >&2
    fail=1
    continue
  fi
  block="$blocks/$id.block"
  trimmed "$blocks/$id.tf" >"$block"
  if [ ! -s "$block" ]; then
    echo "examples-check: $where: an empty block" >&2
    fail=1
    continue
  fi

  if [ "$marked" != - ]; then
    echo "==> $where: fragment of $marked"
    case "$marked" in
    examples/*.tf | examples/*.tofu) ;;
    *)
      echo "examples-check: $where: a fragment must name a .tf or .tofu file under examples/, not $marked" >&2
      fail=1
      continue
      ;;
    esac
    if [ ! -f "$marked" ]; then
      echo "examples-check: $where: $marked, named by the marker, does not exist" >&2
      fail=1
    elif ! holds "$marked" "$block"; then
      echo "examples-check: $where: $marked does not hold this block's lines in a row; make them match, or mark the example that holds them" >&2
      fail=1
    else
      n_fragment=$((n_fragment + 1))
    fi
    continue
  fi

  whole=
  for f in "${example_files[@]}"; do
    if cmp -s "$block" "$work/whole/$f"; then
      whole=$f
      break
    fi
  done
  if [ -n "$whole" ]; then
    case "$whole" in
    *.tofu) echo "==> $where: the whole of $whole (OpenTofu's: run by the acceptance tests, not validated here)" ;;
    *) echo "==> $where: the whole of $whole" ;;
    esac
    n_whole=$((n_whole + 1))
    continue
  fi

  # A configuration of its own: a folder with the block alone.
  echo "==> $where: terraform fmt -check, init and validate"
  copy="$work/alone/$id"
  mkdir -p "$copy"
  cp "$block" "$copy/main.tf"
  if ! (cd "$copy" && "$tf" fmt -check -diff -no-color main.tf); then
    echo "examples-check: $where: the block is not formatted as terraform fmt would" >&2
    fail=1
  fi
  if out=$(init_and_validate "$copy"); then rc=0; else rc=$?; fi
  printf '%s\n' "$out"
  if [ "$rc" -ne 0 ]; then
    echo "examples-check: $where: the block does not validate on its own; complete it (required_providers included), or mark it <!-- fragment of examples/<file> --> after putting it in that example" >&2
    fail=1
  else
    n_alone=$((n_alone + 1))
  fi
done

if [ "$fail" -ne 0 ]; then
  echo "examples-check: FAILED" >&2
  exit 1
fi
echo "examples-check: ${#dirs[@]} example folders formatted and valid"
echo "examples-check: blocks of README.md and docs/: $n_alone valid alone, $n_whole whole example files, $n_fragment fragments held by their examples"
