#!/usr/bin/env bash
# Fails when the checked-in generated resolver types, the supergraph or docs/errors.md differ from what the sources
# produce.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent codegen >/dev/null
npm run --silent compose >/dev/null
npm run --silent docs:errors >/dev/null
if ! git diff --exit-code --stat -- subgraphs/*/generated schema/supergraph.graphql docs/errors.md; then
  echo "generated code, schema/supergraph.graphql or docs/errors.md is stale: run 'npm run codegen && npm run compose && npm run docs:errors' and commit" >&2
  exit 1
fi
if [ -n "$(git status --porcelain -- subgraphs/*/generated schema/ docs/errors.md)" ]; then
  echo "untracked generated files: commit them" >&2
  git status --porcelain -- subgraphs/*/generated schema/ docs/errors.md >&2
  exit 1
fi
echo "generated code, supergraph and docs/errors.md are up to date"
