#!/usr/bin/env bash
# Installs Debian's chromium for the explorer's browser tests where it is missing (as root, from Debian's packages);
# used by .ci/run and by the test suite's global set-up, so `npm test` on a fresh machine has its browser too.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "chromium is missing at $browser and cannot be installed here (not root, or no apt-get): install it (apt-get install -y chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "installing Debian's chromium for the explorer's browser tests" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
