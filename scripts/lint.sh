#!/usr/bin/env bash
# Lints the provider module (make lint) with the golangci-lint version pinned
# in tools/go.mod and the configuration in .golangci.yml, then the GitHub
# workflows with the actionlint pinned in tools/actionlint/go.mod. Extra
# arguments go to `golangci-lint run`, e.g. `bash scripts/lint.sh --fix`.
set -euo pipefail
cd "$(dirname "$0")/.."

# `go tool -modfile` builds (once, then from the build cache) the tool from
# the tools module; golangci-lint itself then loads ./... of the root module.
go tool -modfile=tools/go.mod golangci-lint config verify
go tool -modfile=tools/go.mod golangci-lint run "$@" ./...
# actionlint checks .github/workflows/*.yml: syntax, expressions, job
# dependencies, matrix references and the inputs of the actions it knows.
# Named files replace its default of .github/workflows, so both are named:
# the repository's workflows and the ones the guides give users to copy.
go tool -modfile=tools/actionlint/go.mod actionlint .github/workflows/*.yml examples/guides/audit-in-ci/audit.yml
echo "actionlint: .github/workflows and examples/guides/audit-in-ci/audit.yml are clean"
