#!/usr/bin/env bash
# The browser the console's tests drive (npm test runs this first): Debian's chromium, installed
# with apt-get when it is missing (as root, or through sudo). CHROMIUM_PATH points elsewhere.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "The console's browser tests need Chromium: install Debian's chromium package, or set CHROMIUM_PATH." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests…" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
