#!/usr/bin/env bash
# make mutate: mutation testing with gremlins (version pinned in tools/go.mod).
# gremlins changes one operator at a time in code the tests cover (a < made
# <=, a == made !=, a + made -), runs the package's tests against each change,
# and counts the mutant killed when a test fails. internal/provider's tests
# include the acceptance suite: TF_ACC=1 with the Terraform CLI the Makefile
# passes in TF_ACC_TERRAFORM_PATH.
#
# Duration of a full run on a fresh clone, 2 cores (make mutate, all three
# packages): 49m55s. internal/atlas 15m27s, internal/provider 33m36s,
# internal/provider/diagnostics 50 s; 861 test runs, 21 of them through the
# acceptance tests (92.7 s each on average). The budget is 60 minutes; it
# was 16m24s and 577 runs before the project data sources, the install and
# release tests and the guides' CLI runs.
#
# What keeps it there:
#   - each listed package is its own gremlins run and its mutants run only that
#     package's tests (gremlins' default mode, not --integration; files of
#     sub-packages are left to their own entry in MUTATE_PACKAGES);
#   - scripts/mutate-go/go runs a package's unit tests first and its
#     acceptance tests only when the unit tests pass. In an earlier
#     internal/provider run, 215 of its 227 mutants ended there (68 killed, 147 not
#     viable: mostly a string + made -), 3.3 s each on average; 12 ran the
#     acceptance tests too, 62 s each on average. Before, every one of them
#     ran the package's whole suite, unit tests among the acceptance tests
#     (MUTATE_SPLIT=0 still does);
#   - MUTATE_SKIP (default: the load test, see below) is left out of every run;
#   - gremlins' default mutators only, only on covered code; go test -failfast
#     (gremlins' own); vet off (lint checks that, not mutants);
#   - MUTATE_WORKERS (default 2) mutants at a time;
#   - a per-mutant limit of MUTATE_TIMEOUT_COEFFICIENT (default 3) times the
#     package's coverage run; a mutant that runs past it is TIMED OUT. Not
#     lower: the slowest internal/provider kill of that run took 158 s of 177.
#
# Efficacy = killed / (killed + lived), where mutants listed in
# tools/mutants-equivalent.txt (no test can tell them apart: same behaviour)
# count as neither. Fails under MUTATE_THRESHOLD percent. Mutants in code no
# test runs are NOT COVERED: each must be listed with its reason in
# tools/mutants-uncovered.txt, and there may be at most MUTATE_MAX_UNCOVERED
# (default 15). An entry of either list that no longer matches fails the run;
# only entries in the packages that ran are checked.
#
# A run that does not complete has no verdicts: when gremlins is stopped it
# reports the mutants then in flight as LIVED or KILLED from tests that were
# cut short. On INT, TERM or HUP, a non-zero exit of gremlins, its "Shutting
# down", a missing report or a test run ended by a signal, this prints why,
# no efficacy, and exits non-zero. gremlins runs in its own process group,
# which gets one SIGINT from here (a second would crash it); a second signal
# here kills that group.
#
# Settings: MUTATE_PACKAGES, MUTATE_WORKERS, MUTATE_TIMEOUT_COEFFICIENT,
# MUTATE_THRESHOLD, MUTATE_MAX_UNCOVERED, MUTATE_SKIP, MUTATE_SPLIT,
# MUTATE_ARGS (more gremlins flags, e.g. --diff main for the mutants of a
# change), MUTATE_REPORT_ONLY=1 (summarise the last complete run again, after
# an edit of the lists, without running gremlins).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TF_ACC_TERRAFORM_PATH:?set TF_ACC_TERRAFORM_PATH (make mutate does)}"
workers=${MUTATE_WORKERS:-2}
coefficient=${MUTATE_TIMEOUT_COEFFICIENT:-3}
# Raise it as tests improve; a few points of room for new code that awaits its
# tests.
threshold=${MUTATE_THRESHOLD:-97}
max_uncovered=${MUTATE_MAX_UNCOVERED:-15}
packages=${MUTATE_PACKAGES:-internal/atlas internal/provider internal/provider/diagnostics}
equivalent=tools/mutants-equivalent.txt
uncovered=tools/mutants-uncovered.txt
out=.tmp/mutate
rows=$out/mutants.txt
mkdir -p "$out"

# report PACKAGE: where the last complete run of PACKAGE left gremlins' JSON.
report() { echo "$out/${1//\//-}.json"; }

# ---- Interruption ------------------------------------------------------------
stopped="" # the signal that stopped the run
gpid=""    # gremlins' process group, while it runs
on_signal() {
  if [ -z "$stopped" ]; then
    stopped=$1
    echo "make mutate: $1: stopping gremlins; the mutants in flight will not count" >&2
    [ -z "$gpid" ] || kill -INT -- "-$gpid" 2>/dev/null || true
  elif [ -n "$gpid" ]; then
    echo "make mutate: $1 again: killing gremlins (its copies of the module stay in the temp dir)" >&2
    kill -KILL -- "-$gpid" 2>/dev/null || true
  fi
}
trap 'on_signal SIGINT' INT
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGHUP' HUP

# incomplete REASON...: the run did not complete: say why, keep no report of
# it, print no verdict.
incomplete() {
  local pkg
  for pkg in $packages; do rm -f "$(report "$pkg")"; done
  rm -f "$rows"
  {
    echo
    echo "make mutate: INTERRUPTED, the run did not complete:"
    printf '  %s\n' "$@"
    echo "No verdicts and no efficacy: gremlins counts the mutants whose tests were cut"
    echo "short as LIVED or KILLED. Run make mutate again."
  } >&2
  case $stopped in
  SIGINT) exit 130 ;;
  SIGTERM) exit 143 ;;
  SIGHUP) exit 129 ;;
  esac
  exit 1
}

# show LOG: copy gremlins' output to LOG and show it as it comes, but neither
# its own summary (the efficacy below leaves out the equivalent mutants) nor,
# once it is stopping, the verdicts of the mutants that were in flight. (A
# shell loop: awk may wait for a full buffer before it prints a line.)
show() {
  local line stopping="" summary="" inflight=0
  while IFS= read -r line || [ -n "$line" ]; do
    printf '%s\n' "$line" >>"$1"
    case $line in
    *"Shutting down gracefully"*) stopping=1 ;;
    "Mutation testing completed in "*) summary=1 ;;
    esac
    if [ -n "$stopping" ] && [[ $line =~ ^\ *(KILLED|LIVED|TIMED\ OUT|NOT\ VIABLE|NOT\ COVERED|SKIPPED|RUNNABLE)\  ]]; then
      inflight=$((inflight + 1))
      continue
    fi
    if [ -n "$summary" ] && [[ $line =~ ^(Killed|Timed\ out|Test\ efficacy|Mutator\ coverage): ]]; then
      continue
    fi
    printf '%s\n' "$line"
  done
  [ "$inflight" -eq 0 ] || echo "($inflight mutant(s) in flight when gremlins stopped: not counted)"
}

# ---- Run ---------------------------------------------------------------------
start=$(date +%s)
if [ "${MUTATE_REPORT_ONLY:-}" != 1 ]; then
  for pkg in $packages; do
    [ -d "$pkg" ] || { echo "make mutate: no package $pkg" >&2; exit 1; }
    rm -f "$(report "$pkg")"
  done
  rm -f "$rows" "$out/steps.tsv"

  # casecover (tools/casecover) completes gremlins' coverage profile with the
  # code Go's blocks leave out: switch cases and package-level declarations.
  if ! (cd tools && go build -o "../$out/gremlins" github.com/go-gremlins/gremlins/cmd/gremlins &&
    go build -o "../$out/casecover" ./casecover); then
    [ -z "$stopped" ] || incomplete "$stopped received"
    exit 1
  fi

  # The sources as they are now: scripts/mutate-go/go finds each mutant's
  # line by comparing gremlins' copy with this one.
  rm -rf "$out/orig"
  mkdir -p "$out/orig"
  cp go.mod "$out/orig/"
  for pkg in $packages; do
    mkdir -p "$out/orig/$pkg"
    cp "$pkg"/*.go "$out/orig/$pkg/"
  done

  export ATLASINV_REAL_GO ATLASINV_MUTATE_OUT
  ATLASINV_REAL_GO=$(command -v go)
  ATLASINV_MUTATE_OUT=$PWD/$out
  export PATH="$PWD/scripts/mutate-go:$PATH"
  export TF_ACC=1 CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$PWD/scripts/test.tfrc"
  # -count=1: the per-mutant timeout is a multiple of the coverage run, which
  # must not come from the test cache.
  # MUTATE_SKIP: tests left out of every mutant's run. The load test (100 reads
  # through a rate limiter: 30 s on its own, where the rest of the acceptance
  # suite takes 55) exercises internal/atlas's transport, whose mutants run
  # against the atlas unit tests, and no provider code the rest of the suite
  # leaves untested.
  skip=${MUTATE_SKIP-^TestAccLoad_}
  export GOFLAGS="${GOFLAGS:+$GOFLAGS }-vet=off -count=1${skip:+ -skip=$skip}"

  fifo=$out/gremlins.fifo
  for pkg in $packages; do
    [ -z "$stopped" ] || incomplete "$stopped before gremlins ran on $pkg"
    name=${pkg//\//-}
    pstart=$(date +%s)
    echo "== gremlins on $pkg (workers $workers, timeout coefficient $coefficient)"
    rm -f "$fifo" "$out/$name.log" "$out/$name.run.json" "$out/interrupted"
    mkfifo "$fifo"
    (
      trap '' INT TERM HUP
      show "$out/$name.log" <"$fifo"
    ) &
    shown=$!
    # --exclude-files /: only the package's own files; a sub-package is an
    # entry of its own.
    # shellcheck disable=SC2086 # MUTATE_ARGS is a list of flags
    setsid "$out/gremlins" unleash --workers "$workers" --timeout-coefficient "$coefficient" \
      --exclude-files / --output "$out/$name.run.json" ${MUTATE_ARGS:-} "./$pkg" \
      >"$fifo" 2>&1 </dev/null &
    gpid=$!
    [ -z "$stopped" ] || kill -INT -- "-$gpid" 2>/dev/null || kill -INT "$gpid" 2>/dev/null || true
    rc=0
    while :; do
      wait "$gpid" && rc=0 || rc=$?
      kill -0 "$gpid" 2>/dev/null || break
    done
    gpid=""
    wait "$shown" || true
    rm -f "$fifo"

    why=()
    [ -z "$stopped" ] || why+=("$stopped received")
    [ "$rc" -eq 0 ] || why+=("gremlins exited with status $rc")
    if [ -s "$out/interrupted" ]; then
      while IFS= read -r line; do why+=("$line"); done <"$out/interrupted"
    fi
    ! grep -q 'Shutting down gracefully' "$out/$name.log" || why+=("gremlins was stopped (it printed \"Shutting down gracefully\")")
    grep -q '^Mutation testing completed in ' "$out/$name.log" || why+=("gremlins did not report a completed run on $pkg")
    [ -s "$out/$name.run.json" ] || why+=("gremlins wrote no report for $pkg")
    [ "${#why[@]}" -eq 0 ] || incomplete "${why[@]}"
    mv "$out/$name.run.json" "$(report "$pkg")"
    took=$(($(date +%s) - pstart))
    echo "== $pkg: $((took / 60))m$((took % 60))s"
  done
fi
elapsed=$(($(date +%s) - start))

# ---- Summary -----------------------------------------------------------------
# One row per mutant: "path:line:col TYPE STATUS", paths relative to the
# module root. mutantrows refuses a mutant gremlins did not run.
reports=()
for pkg in $packages; do
  [ -s "$(report "$pkg")" ] || {
    echo "make mutate: no complete run of $pkg to summarise; run make mutate" >&2
    exit 1
  }
  reports+=("$pkg=../$(report "$pkg")")
done
if ! (cd tools && go run ./mutantrows "${reports[@]}") >"$rows.tmp"; then
  incomplete "tools/mutantrows could not read gremlins' reports (above: why), e.g. a mutant gremlins did not run"
fi
sort -t: -k1,1 -k2,2n -k3,3n "$rows.tmp" >"$rows"
rm -f "$rows.tmp"
[ -z "$stopped" ] || incomplete "$stopped received"

# read_list FILE MAP: the entries of a list, "path:line:col TYPE  reason", or
# with the reason in the comment lines just above (shared by consecutive
# entries), into MAP["path:line:col TYPE"]=reason. Only entries in the
# packages that ran; a malformed entry or one without a reason fails.
bad=()
read_list() {
  local file=$1 line pos typ reason block="" last="" dir
  local -n into=$2
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ $line =~ ^[[:space:]]*$ ]]; then
      block="" last=blank
    elif [[ $line =~ ^[[:space:]]*#[[:space:]]?(.*)$ ]]; then
      [ "$last" != entry ] || block=""
      block+="${block:+ }${BASH_REMATCH[1]}"
      last=comment
    else
      read -r pos typ reason <<<"$line"
      last=entry
      if ! [[ $pos =~ ^[^:]+\.go:[0-9]+:[0-9]+$ && $typ =~ ^[A-Z_]+$ ]]; then
        bad+=("$file: not \"path:line:col TYPE  reason\": $line")
        continue
      fi
      dir=${pos%%:*}
      dir=${dir%/*}
      [[ " $packages " == *" $dir "* ]] || continue
      reason=${reason:-$block}
      [ -n "$reason" ] || bad+=("$file: $pos $typ has no reason")
      into["$pos $typ"]=$reason
    fi
  done <"$file"
}
declare -A equiv=() accepted=()
read_list "$equivalent" equiv
[ ! -f "$uncovered" ] || read_list "$uncovered" accepted

killed=0 lived=0 eq=0 timedout=0 notviable=0 notcovered=0 skipped=0
survivors=() stale=() hung=() nocover=() unlisted=0
declare -A seen=()
while read -r pos typ status; do
  key="$pos $typ"
  seen["$key"]=$status
  case "$status" in
  KILLED) killed=$((killed + 1)) ;;
  LIVED)
    if [ -n "${equiv[$key]+x}" ]; then eq=$((eq + 1)); else
      lived=$((lived + 1))
      survivors+=("$key")
    fi
    ;;
  "TIMED OUT")
    timedout=$((timedout + 1))
    hung+=("$key")
    ;;
  "NOT VIABLE") notviable=$((notviable + 1)) ;;
  "NOT COVERED")
    notcovered=$((notcovered + 1))
    if [ -n "${accepted[$key]+x}" ]; then
      nocover+=("$key  (listed: ${accepted[$key]:-no reason})")
    else
      unlisted=$((unlisted + 1))
      nocover+=("$key  (NOT LISTED in $uncovered)")
    fi
    ;;
  SKIPPED) skipped=$((skipped + 1)) ;;
  esac
done <"$rows"
# An entry is stale when its mutant is gone or no longer has the listed status
# (SKIPPED: outside a --diff, not tried).
for key in "${!equiv[@]}"; do
  case "${seen[$key]:-}" in
  LIVED | SKIPPED) ;;
  "") stale+=("$equivalent: $key (no such mutant)") ;;
  *) stale+=("$equivalent: $key (${seen[$key]})") ;;
  esac
done
for key in "${!accepted[@]}"; do
  case "${seen[$key]:-}" in
  "NOT COVERED" | SKIPPED) ;;
  "") stale+=("$uncovered: $key (no such mutant)") ;;
  *) stale+=("$uncovered: $key (${seen[$key]})") ;;
  esac
done

echo
if [ "${#survivors[@]}" -gt 0 ]; then
  echo "Surviving mutants (a change no test noticed):"
  printf '  %s\n' "${survivors[@]}"
fi
if [ "${#hung[@]}" -gt 0 ]; then
  echo "Timed out (the tests hung or ran past the per-mutant timeout; not counted):"
  printf '  %s\n' "${hung[@]}"
fi
if [ "${#nocover[@]}" -gt 0 ]; then
  echo "Not covered (no test runs this code; not counted):"
  printf '  %s\n' "${nocover[@]}"
fi
if [ "${#stale[@]}" -gt 0 ]; then
  echo "Listed, but not a mutant with that status any more (remove or fix the entry):"
  printf '  %s\n' "${stale[@]}" | sort
fi
if [ "${#bad[@]}" -gt 0 ]; then
  echo "Unreadable list entries:"
  printf '  %s\n' "${bad[@]}"
fi
covered=$((killed + lived))
efficacy=$(awk -v k="$killed" -v c="$covered" 'BEGIN { printf "%.1f", c ? 100 * k / c : 0 }')
echo "packages: $packages"
echo "mutants: $killed killed, $lived lived, $eq equivalent (listed), $timedout timed out, $notviable not viable, $notcovered not covered$([ "$skipped" -eq 0 ] || echo ", $skipped skipped (outside the diff)")"
echo "efficacy: $efficacy% ($killed killed / $covered covered, equivalent mutants excluded); threshold $threshold%"
if [ "${MUTATE_REPORT_ONLY:-}" != 1 ]; then
  # Per test run, from scripts/mutate-go/go: how far each got.
  [ ! -s "$out/steps.tsv" ] || awk -F'\t' '
    { n++; split($2, a, " "); t = a[3] + 0
      if (NF >= 3 && $3 ~ /^acc /) { split($3, b, " "); t += b[3]; acc++; acct += t }
      else if (a[1] == "unit") { unit++; unitt += t } else { one++; onet += t } }
    END {
      printf "test runs: %d", n
      if (unit) printf ", %d ended at the unit tests (killed or not viable; mean %.1f s)", unit, unitt / unit
      if (acc) printf ", %d ran the acceptance tests (mean %.1f s)", acc, acct / acc
      if (one) printf ", %d in one go test (mean %.1f s)", one, onet / one
      print "; timed-out runs are not in these figures"
    }' "$out/steps.tsv"
  echo "duration: $((elapsed / 60))m$((elapsed % 60))s"
fi
fail=0
if awk -v e="$efficacy" -v t="$threshold" 'BEGIN { exit !(e < t) }'; then
  echo "make mutate: efficacy $efficacy% is under the threshold $threshold%" >&2
  fail=1
fi
if [ "$unlisted" -gt 0 ]; then
  echo "make mutate: $unlisted not covered mutants are not listed in $uncovered: test the code, delete it, or list it with the reason" >&2
  fail=1
fi
if [ "$notcovered" -gt "$max_uncovered" ]; then
  echo "make mutate: $notcovered not covered mutants, more than $max_uncovered" >&2
  fail=1
fi
if [ "${#stale[@]}" -gt 0 ]; then
  echo "make mutate: $equivalent or $uncovered lists mutants that do not have that status" >&2
  fail=1
fi
if [ "${#bad[@]}" -gt 0 ]; then
  echo "make mutate: unreadable entries in $equivalent or $uncovered" >&2
  fail=1
fi
exit "$fail"
