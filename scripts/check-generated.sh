#!/usr/bin/env bash
# Fails when the checked-in generated resolver types, the supergraph, the front-end example's typed documents
# (examples/front-end/generated) or docs/errors.md differ from what the sources produce.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent codegen >/dev/null
npm run --silent compose >/dev/null
# after compose: the front-end's typed documents are generated from the API schema of the composed supergraph
npm run --silent codegen:front-end >/dev/null
npm run --silent docs:errors >/dev/null
if ! git diff --exit-code --stat -- subgraphs/*/generated examples/front-end/generated schema/supergraph.graphql docs/errors.md; then
  echo "generated code, schema/supergraph.graphql, examples/front-end/generated or docs/errors.md is stale: run 'npm run codegen && npm run compose && npm run codegen:front-end && npm run docs:errors' and commit" >&2
  exit 1
fi
if [ -n "$(git status --porcelain -- subgraphs/*/generated examples/front-end/generated schema/ docs/errors.md)" ]; then
  echo "untracked generated files: commit them" >&2
  git status --porcelain -- subgraphs/*/generated examples/front-end/generated schema/ docs/errors.md >&2
  exit 1
fi
echo "generated code, supergraph and docs/errors.md are up to date"
