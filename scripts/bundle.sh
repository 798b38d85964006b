#!/usr/bin/env bash
# `npm run bundle [-- --out DIR]`: builds an archive a court host installs without network access.
#
# The archive holds the product's runtime files (everything tracked in git except test/ and bench/), the production
# dependencies only (`npm ci --omit=dev`, from the local npm cache this machine's own `npm ci` filled) and the native
# better-sqlite3 addon already built for this platform and Node.js ABI, copied from this checkout's node_modules. The
# host needs Node.js 20 of the same major version and architecture, nothing else: no npm registry, no compiler.
# Install: `tar xzf court-enforcement-graph-*.tar.gz -C /opt/court-graph` (docs/offline-install.md).
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    *) echo "bundle: unknown argument $1 (use --out DIR)" >&2; exit 2 ;;
  esac
done
addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
if [ ! -f "$addon" ]; then
  echo "bundle: $addon is missing: run 'npm ci' first (it builds the addon; see docs/offline-install.md)" >&2
  exit 1
fi
version=$(node -p "require('./package.json').version")
abi=$(node -p "process.versions.modules")
name="court-enforcement-graph-${version}-$(node -p "process.platform")-$(node -p "process.arch")-node${abi}"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

echo "== runtime files"
git ls-files -z --cached --others --exclude-standard -- . ':!:test/' ':!:bench/' ':!:.ci/' ':!:examples/front-end/' |
  xargs -0 -I{} cp --parents {} "$stage/" 2>/dev/null || true
# Deleted-but-tracked files make cp fail; everything listed and present was copied.

echo "== compiled processes (npm run build: dist/start.js, dist/runSubgraph.js; the systemd units run them)"
node_modules/.bin/tsx scripts/build.ts
mkdir -p "$stage/dist"
cp dist/*.js "$stage/dist/"

echo "== production dependencies (npm ci --omit=dev, from the npm cache where it can, no install scripts)"
(cd "$stage" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error)
echo "== native addon for node ABI ${abi}"
mkdir -p "$stage/node_modules/better-sqlite3/build/Release"
cp "$addon" "$stage/node_modules/better-sqlite3/build/Release/"
cat >"$stage/BUNDLE" <<INFO
${name}
built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')
node $(node --version) (ABI ${abi}), $(node -p "process.platform + '-' + process.arch")
INFO

mkdir -p "$out"
tar czf "$out/$name.tar.gz" -C "$stage" .
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "wrote $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1)) and its .sha256"
