#!/usr/bin/env bash
# Runs `go test -v` with the given arguments and prints a count of the
# tests (subtests included) that passed, failed and were skipped. A skipped
# test fails the run: make test promises that nothing is skipped (an
# acceptance test skips itself when TF_ACC is missing). So does a run in which
# nothing ran: a -run pattern that matches no test of a package makes go test
# say "[no tests to run]" and exit 0.
# Usage: gotest.sh LABEL go-test-args...
set -uo pipefail
label=$1
shift
# An empty or missing CLI path would let terraform-plugin-testing look for
# one on PATH or download a release: fail instead (install-cli.sh failed?).
if [ -n "${TF_ACC:-}" ] && [ ! -x "${TF_ACC_TERRAFORM_PATH:-}" ]; then
  echo "$label: TF_ACC_TERRAFORM_PATH='${TF_ACC_TERRAFORM_PATH:-}' is not an executable CLI; see the scripts/install-cli.sh output above" >&2
  exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT

go test -v "$@" >"$out" 2>&1
status=$?

passed=$(grep -cE '^\s*--- PASS' "$out")
failed=$(grep -cE '^\s*--- FAIL' "$out")
skipped=$(grep -cE '^\s*--- SKIP' "$out")

# Show what matters: package results, failures with their output, skips.
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  grep -vE '^=== (RUN|PAUSE|CONT|NAME)|^\s*--- PASS' "$out"
else
  grep -E '^(ok|FAIL|PASS|\?)\s|^\s*--- SKIP' "$out"
fi
grep -E '^\s*--- SKIP' -A2 "$out" | head -20
echo "$label"
echo "tests: $passed passed, $failed failed, $skipped skipped"

if [ "$status" -ne 0 ]; then
  exit "$status"
fi
norun=$(grep -E '^(ok|PASS)?\s.*\[no tests to run\]' "$out" | awk '{print $2}' | sort -u)
if [ "$passed" -eq 0 ] || [ -n "$norun" ]; then
  echo "$label: no test ran${norun:+ in:$(printf ' %s' $norun)}; check the -run pattern" >&2
  exit 1
fi
if [ "$skipped" -ne 0 ]; then
  echo "$label: tests were skipped; make test runs everything (is TF_ACC set?)" >&2
  exit 1
fi
