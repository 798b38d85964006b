#!/usr/bin/env bash
# Fails when the checked-in generated resolver types or the supergraph differ from what the sources produce.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent codegen >/dev/null
npm run --silent compose >/dev/null
if ! git diff --exit-code --stat -- subgraphs/*/generated schema/supergraph.graphql; then
  echo "generated code or schema/supergraph.graphql is stale: run 'npm run codegen && npm run compose' and commit" >&2
  exit 1
fi
if [ -n "$(git status --porcelain -- subgraphs/*/generated schema/)" ]; then
  echo "untracked generated files: commit them" >&2
  git status --porcelain -- subgraphs/*/generated schema/ >&2
  exit 1
fi
echo "generated code and supergraph are up to date"
